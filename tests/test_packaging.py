"""A wheel built from the repository, installed non-editable into a fresh virtual environment, builds every example
copied outside the repository and a project made by `kachestvo init`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import PROJECTS, ROOT

pytestmark = pytest.mark.slow  # a wheel, a fresh virtual environment and a build of every example: minutes


def _run(args, cwd, env=None):
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{args}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def _share_dependencies(env_dir: Path, python: Path) -> None:
    """Let the new venv import the running environment's dependencies (pandas, mkdocs…) without installing them.

    A .pth file lists the site-packages folders of the interpreter running the tests, whatever it is (the
    README's plain venv, a venv over the system packages, the system itself). They come after the new venv's
    own folder, where the wheel is installed; and a folder named in a .pth file has its own .pth files ignored,
    so an editable install of the checkout is not loaded."""
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=env_dir).strip()
    shared = [p for p in sys.path if p.rstrip("/").endswith(("site-packages", "dist-packages")) and Path(p).is_dir()]
    Path(purelib, "kachestvo-test-dependencies.pth").write_text("\n".join(shared) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A venv that sees the running environment's dependencies (no network needed) but installs kachestvo from the
    wheel only."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"  # a clean copy: the wheel must not depend on files the repository happens to hold
    top_level = {".git", "site", "build", ".kachestvo-cache", "examples", "tests", "data", "content"}

    def skip(folder, names):
        return [n for n in names if (folder == str(ROOT) and n in top_level) or n == "__pycache__" or n.endswith(".egg-info")]

    shutil.copytree(ROOT, src, ignore=skip)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp / "dist"), str(src)], cwd=tmp)
    wheel = next((tmp / "dist").glob("kachestvo-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert {"kachestvo/templates/tables.js", "kachestvo/skeleton/mkdocs.yml", "kachestvo/skeleton/content/index.md"} <= set(names)
    package = ROOT / "scripts" / "kachestvo"
    missing = [
        f"kachestvo/{p.relative_to(package).as_posix()}"
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and f"kachestvo/{p.relative_to(package).as_posix()}" not in names
    ]
    assert missing == [], f"files of the package that the wheel leaves out (pyproject's package-data): {missing}"
    env_dir = tmp / "venv"
    _run([sys.executable, "-m", "venv", str(env_dir)], cwd=tmp)
    python = env_dir / "bin" / "python"
    _share_dependencies(env_dir, python)
    _run([str(python), "-m", "pip", "install", "-q", "--ignore-installed", "--no-deps", "--no-index", str(wheel)], cwd=tmp)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = _run([str(python), "-c", "import kachestvo; print(kachestvo.__file__)"], cwd=tmp, env=env)
    assert where.strip().startswith(str(env_dir)), where  # the wheel, not the editable checkout
    return env_dir / "bin" / "kachestvo", env, tmp


@pytest.mark.e2e
@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_wheel_builds_each_example_copied_anywhere(venv, name, tmp_path):
    kachestvo, env, _ = venv
    target = tmp_path / name
    shutil.copytree(PROJECTS[name], target, ignore=shutil.ignore_patterns("site", "build", ".kachestvo-cache"))
    _run([str(kachestvo), "validate", "--project", str(target)], cwd=tmp_path, env=env)
    _run([str(kachestvo), "build", "--project", str(target)], cwd=tmp_path, env=env)
    assert (target / "site" / "assets" / "tables.js").is_file()


@pytest.mark.e2e
def test_wheel_init_validate_build(venv, tmp_path):
    kachestvo, env, _ = venv
    _run([str(kachestvo), "init", "novyj"], cwd=tmp_path, env=env)
    _run([str(kachestvo), "validate", "--project", "novyj"], cwd=tmp_path, env=env)
    out = _run([str(kachestvo), "build", "--project", "novyj"], cwd=tmp_path, env=env)
    assert "Сайт собран" in out and (tmp_path / "novyj" / "site" / "index.html").is_file()

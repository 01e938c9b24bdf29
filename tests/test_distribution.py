"""Distribution: a project made by `init` installs the exact tool that made it (a vendored wheel and hash-pinned
dependencies), its generated workflows pass on a fresh machine, `upgrade` moves it to the running version, and the
locks agree with pyproject.toml."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from conftest import ROOT
from kachestvo import wheel
from kachestvo.cli import main
from kachestvo.init import LOCK, REQUIREMENTS, InitFailed, init, site_url_of, tool_files, version
from kachestvo.paths import PACKAGE_DIR, Project
from kachestvo.validate import validate

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CI_LOCK = ROOT / ".ci" / "requirements.txt"
RELEASE_LOCK = ROOT / ".ci" / "release-requirements.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def _pins(lock: Path) -> dict[str, list[tuple[Version, str | None]]]:
    """name → [(version, marker)] of a lock; every requirement must carry at least one hash."""
    pins: dict[str, list[tuple[Version, str | None]]] = {}
    text = lock.read_text(encoding="utf-8")
    for block in re.split(r"\n(?=\S)", text):
        first = block.splitlines()[0]
        if first.startswith("#") or not first.strip():
            continue
        m = PIN.match(first)
        if m is None:  # only the vendored wheel of a project's lock is a path
            assert first.startswith("./tool/kachestvo-"), (lock, first)
        else:
            pins.setdefault(canonicalize_name(m[1]), []).append((Version(m[2]), m[3]))
        assert "--hash=sha256:" in block, (lock, first)
    return pins


def _check(lock: Path, requirements: list[str]) -> None:
    pins = _pins(lock)
    for line in requirements:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name in pins, f"{lock.name}: {req.name} from pyproject.toml is not locked"
        for pinned, _marker in pins[name]:
            assert req.specifier.contains(pinned), f"{lock.name}: {req.name}=={pinned} is outside {req.specifier}"
    for name, versions in pins.items():
        assert not any(v.is_prerelease for v, _ in versions), f"{lock.name}: pre-release {name} {versions}"


def test_locks_agree_with_pyproject():
    """Every dependency of pyproject.toml is locked, within its range, by hash; nothing is a pre-release."""
    runtime = PYPROJECT["project"]["dependencies"]
    build = PYPROJECT["build-system"]["requires"]
    _check(LOCK, runtime)
    _check(CI_LOCK, runtime + PYPROJECT["project"]["optional-dependencies"]["test"] + build)
    _check(RELEASE_LOCK, build + ["build"])


def test_every_dependency_has_a_major_range_and_no_pre_release():
    for line in (
        PYPROJECT["project"]["dependencies"]
        + PYPROJECT["project"]["optional-dependencies"]["test"]
        + PYPROJECT["build-system"]["requires"]
    ):
        req = Requirement(line)
        assert any(s.operator == "<" for s in req.specifier), f"{line}: no upper bound"
        assert any(s.operator == ">=" for s in req.specifier), f"{line}: no lower bound"
        assert not any(Version(s.version).is_prerelease for s in req.specifier), f"{line}: a pre-release"


def test_the_wheel_is_deterministic_and_holds_the_whole_package(tmp_path):
    first = wheel.build(tmp_path / "a")
    second = wheel.build(tmp_path / "b")
    assert first.name == f"kachestvo-{version()}-py3-none-any.whl"
    assert first.read_bytes() == second.read_bytes()
    names = set(zipfile.ZipFile(first).namelist())
    package = {
        f"kachestvo/{p.relative_to(PACKAGE_DIR).as_posix()}"
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    assert package <= names and "kachestvo/skeleton/requirements.txt" in names
    info = f"kachestvo-{version()}.dist-info"
    metadata = zipfile.ZipFile(first).read(f"{info}/METADATA").decode()
    assert f"Version: {version()}" in metadata
    # the installed metadata is the current pyproject's (after a dependency changes: pip install -e . again)
    declared = {(canonicalize_name(r.name), r.specifier) for r in map(Requirement, PYPROJECT["project"]["dependencies"])}
    shipped = {
        (canonicalize_name(r.name), r.specifier)
        for r in (
            Requirement(line.split(":", 1)[1].strip()) for line in metadata.splitlines() if line.startswith("Requires-Dist:")
        )
        if r.marker is None
    }
    assert shipped == declared
    assert "kachestvo = kachestvo.cli:main" in zipfile.ZipFile(first).read(f"{info}/entry_points.txt").decode()


def test_project_requirements_pin_the_vendored_wheel_by_its_hash(tmp_path):
    init(tmp_path / "p")
    wheels = list((tmp_path / "p" / "tool").glob("*.whl"))
    assert [w.name for w in wheels] == [f"kachestvo-{version()}-py3-none-any.whl"]
    text = (tmp_path / "p" / REQUIREMENTS).read_text(encoding="utf-8")
    digest = hashlib.sha256(wheels[0].read_bytes()).hexdigest()
    assert f"./tool/{wheels[0].name} \\\n    --hash=sha256:{digest}" in text
    assert LOCK.read_text(encoding="utf-8") in text
    _check(tmp_path / "p" / REQUIREMENTS, PYPROJECT["project"]["dependencies"])


def test_upgrade_replaces_tool_files_and_says_what_changed(tmp_path, capsys, monkeypatch):
    root = tmp_path / "p"
    init(root)
    own = ("mkdocs.yml", "README.md", "content/index.md", ".gitignore")  # the README promises upgrade leaves these
    for rel in own:
        (root / rel).write_text((root / rel).read_text(encoding="utf-8") + "\n# своё\n", encoding="utf-8")
    data_before = {p: p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}
    own_before = {rel: (root / rel).read_bytes() for rel in own}
    old = root / "tool" / "kachestvo-0.0.1-py3-none-any.whl"
    old.write_bytes(b"old")
    (root / REQUIREMENTS).write_text("kachestvo==0.0.1\n", encoding="utf-8")
    (root / ".github" / "workflows" / "publish.yml").unlink()
    monkeypatch.chdir(tmp_path)
    assert main(["upgrade", "--project", "p"]) == 0
    out = capsys.readouterr().out
    assert f"переведён на kachestvo {version()}" in out
    assert "заменён: «p/tool/requirements.txt»" in out
    assert "добавлен: «p/.github/workflows/publish.yml»" in out
    assert "удалён: «p/tool/kachestvo-0.0.1-py3-none-any.whl»" in out
    assert "pull-request.yml" not in out  # unchanged files are not listed
    assert not old.exists()
    for rel, content in tool_files("municipality").items():
        assert (root / rel).read_bytes() == content, rel
    assert {p: p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()} == data_before
    assert {rel: (root / rel).read_bytes() for rel in own} == own_before
    assert main(["upgrade", "--project", "p"]) == 0
    assert "ничего не изменено" in capsys.readouterr().out
    workflows = {p: p.read_bytes() for p in (ROOT / ".github" / "workflows").iterdir()}
    assert main(["upgrade", "--project", str(ROOT)]) == 2  # the tool's own repository is not a project to upgrade
    assert "исходники самого kachestvo" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in (ROOT / ".github" / "workflows").iterdir()} == workflows
    assert not (ROOT / "tool").exists()


def test_init_makes_a_git_repository_on_the_branch_publish_runs_on(tmp_path):
    init(tmp_path / "p")
    head = subprocess.run(["git", "symbolic-ref", "HEAD"], cwd=tmp_path / "p", capture_output=True, text=True, check=True)
    publish = yaml.safe_load((tmp_path / "p" / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    assert head.stdout.strip() == f"refs/heads/{publish[True]['push']['branches'][0]}"
    ignored = subprocess.run(
        ["git", "check-ignore", ".venv/bin/python", "site/index.html", "build/x.md", ".kachestvo-cache/a", "x/__pycache__/a.pyc"],
        cwd=tmp_path / "p",
        capture_output=True,
        text=True,
    )
    assert len(ignored.stdout.split()) == 5, ignored.stdout


def _workflows() -> list[Path]:
    skeleton = [p for p in (PACKAGE_DIR / "skeleton").rglob("*.yml") if "workflows" in p.parts]
    return sorted((ROOT / ".github" / "workflows").glob("*.yml")) + sorted(skeleton)


def test_every_job_has_a_timeout_and_the_diff_runs_even_when_validation_fails():
    found_diff = 0
    for path in _workflows():
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, job in spec["jobs"].items():
            assert isinstance(job.get("timeout-minutes"), int), f"{path.name}: job {name} has no timeout-minutes"
            for step in job.get("steps", []):
                if "kachestvo diff" in step.get("run", ""):
                    found_diff += 1
                    assert step.get("if") == "${{ !cancelled() }}", path
    assert found_diff == 2  # this repository's and the municipality skeleton's pull-request workflows


def test_every_generated_build_restores_the_build_cache_keyed_by_its_inputs():
    """Each skeleton job that runs `kachestvo build` restores that project's .kachestvo-cache first (a cold chart is
    rendered once per content, not once per run), from an action pinned by commit, keyed by the data, content,
    configuration and tool it depends on, with the older entries as a fallback."""
    builds = 0
    for path in _workflows():
        if PACKAGE_DIR not in path.parents:
            continue
        for name, job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].items():
            steps = job.get("steps", [])
            for i, step in enumerate(steps):
                if "kachestvo build" not in step.get("run", ""):
                    continue
                builds += 1
                caches = [s for s in steps[:i] if s.get("uses", "").startswith("actions/cache@")]
                assert len(caches) == 1, f"{path.name}: job {name} builds without the build cache"
                uses, spec = caches[0]["uses"], caches[0]["with"]
                assert re.fullmatch(r"actions/cache@[0-9a-f]{40}", uses), uses
                project = "municipalities/${{ matrix.municipality }}/" if "--project" in step["run"] else ""
                assert spec["path"] == project + ".kachestvo-cache", spec
                key = spec["key"]
                for part in ("data/**", "content/**", "mkdocs.yml", "'tool/requirements.txt'"):
                    assert part in key, (path.name, part)
                assert key.startswith(spec["restore-keys"]) and key.count("hashFiles(") == 1, key
    assert builds == 3  # the municipality's pull-request and publish workflows, the region's matrix


def test_region_matrix_lives_in_the_region_skeleton(tmp_path, capsys):
    assert not (ROOT / ".github" / "workflows" / "region-matrix.yml").exists()
    assert main(["init", str(tmp_path / "region"), "--regional"]) == 0
    region = tmp_path / "region"
    assert (region / ".github" / "workflows" / "region-matrix.yml").is_file()
    assert (region / REQUIREMENTS).is_file() and not (region / "data").exists()
    fields = ["--id", "a", "--name", "А", "--region", "Р", "--authority", "У"]
    assert main(["init", str(region / "municipalities" / "a"), *fields]) == 0
    assert "в репозитории региона" in capsys.readouterr().out
    inner = region / "municipalities" / "a"
    assert (inner / "data" / "datapackage.json").is_file()
    assert not (inner / ".github").exists() and not (inner / "tool").exists() and not (inner / ".git").exists()


def test_zizmor_reports_nothing_on_every_workflow(tmp_path):
    """This repository's workflows and every workflow `init` writes: pinned actions, least privilege, no credentials."""
    zizmor = shutil.which("zizmor")
    if zizmor is None:
        pytest.skip("zizmor is not installed (pip install '.[test]')")
    init(tmp_path / "m")
    init(tmp_path / "r", regional=True)
    folders = [ROOT / ".github" / "workflows", tmp_path / "m" / ".github" / "workflows", tmp_path / "r" / ".github" / "workflows"]
    done = subprocess.run([zizmor, "--offline", *map(str, folders)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings" in done.stdout + done.stderr


def _fresh_env(tmp: Path) -> dict[str, str]:
    """A fresh virtual environment (no kachestvo, none of this machine's packages) first on PATH."""
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(tmp / "venv")], check=True)
    bin_ = str(tmp / "venv" / "bin")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if not Path(p, "activate").exists()]
    env.update(PATH=os.pathsep.join([bin_, *path]), VIRTUAL_ENV=str(tmp / "venv"), CI="true", GITHUB_ACTIONS="true")
    for name in ("GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_ENV"):
        env[name] = str(tmp / name.lower())
        Path(env[name]).write_text("", encoding="utf-8")
    return env


def _git(cwd: Path, *args: str) -> str:
    author = ["-c", "user.name=Сотрудник", "-c", "user.email=staff@example.org"]
    return subprocess.run(["git", *author, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _run_steps(workflow: Path, project: Path, env: dict[str, str], expressions: dict[str, str]) -> list[str]:
    """Run every `run:` step of the workflow's jobs in order, as GitHub does (bash -eo pipefail); the names run."""
    spec = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    done = []
    for job in spec["jobs"].values():
        for step in job["steps"]:
            if "run" not in step:
                continue  # actions: checkout (the project is here), setup-python (the venv), artifacts
            assert step.get("if", "${{ !cancelled() }}") == "${{ !cancelled() }}", step
            step_env = dict(env)
            for key, value in step.get("env", {}).items():
                step_env[key] = re.sub(r"\$\{\{\s*(.+?)\s*\}\}", lambda m: expressions[m[1]], str(value))
            result = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=project,
                env=step_env,
                capture_output=True,
                text=True,
                timeout=1200,
            )
            output = f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            assert result.returncode == 0, f"{workflow.name}: {step.get('name')}\n{output}"
            done.append(step.get("name", step["run"]))
    return done


@pytest.mark.slow
@pytest.mark.e2e
def test_generated_workflows_pass_on_a_fresh_machine(tmp_path):
    """A project made by `init`: both workflows' steps, in order, in a fresh venv that only the registries can fill."""
    project = tmp_path / "проект"
    municipality = ["--id", "novyj", "--name", "Новый район", "--region", "Область", "--authority", "Управление образования"]
    assert main(["init", str(project), *municipality, "--repository", "https://github.com/example-org/kachestvo-site"]) == 0
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "kachestvo init")
    base = _git(project, "rev-parse", "HEAD")
    table = project / "data" / "municipality.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("Новый район", "Новый муниципальный округ"), encoding="utf-8")
    _git(project, "commit", "-qam", "Переименование")  # the pull request's head
    env = _fresh_env(tmp_path)
    check = subprocess.run(["python", "-c", "import kachestvo"], env=env, cwd=tmp_path, capture_output=True)
    assert check.returncode != 0  # nothing of this machine's kachestvo reaches the fresh environment
    workflows = project / ".github" / "workflows"
    ran = _run_steps(workflows / "pull-request.yml", project, env, {"github.event.pull_request.base.sha": base})
    assert len(ran) == 5, ran
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    # validation, code-or-data and the diff against the pull request's base all reached the job summary
    assert "### Проверка данных\n\nДанные в порядке" in summary and "### Изменения на сайте" in summary, summary
    assert "### Код или данные" in summary, summary
    assert base in summary, summary
    ran = _run_steps(workflows / "publish.yml", project, env, {})
    assert len(ran) == 2, ran
    where = subprocess.run(
        ["python", "-c", "import kachestvo; print(kachestvo.__file__)"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert where.stdout.startswith(str(tmp_path / "venv")), where.stdout  # the vendored wheel, installed by hash
    sitemap = (project / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example-org.github.io/kachestvo-site/</loc>" in sitemap
    assert 'href="/kachestvo-site/assets/' in (project / "site" / "404.html").read_text(encoding="utf-8")


def test_site_url_from_the_repository_or_given(tmp_path):
    assert site_url_of("https://github.com/Org-1/kachestvo-site") == "https://org-1.github.io/kachestvo-site/"
    assert site_url_of("https://github.com/org/org.github.io.git") == "https://org.github.io/"
    with pytest.raises(InitFailed, match="--site-url"):
        site_url_of("https://gitlab.com/org/site")
    init(tmp_path / "a", repository="https://github.com/org/site.git", git=False)
    mkdocs = yaml.load((tmp_path / "a" / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert mkdocs["site_url"] == "https://org.github.io/site/"
    project = Project.at(tmp_path / "a")
    assert json.loads(project.datapackage.read_text(encoding="utf-8"))["kachestvo"] == {
        "repository_url": "https://github.com/org/site"
    }
    assert validate(project)[1] == []
    init(tmp_path / "b", site_url="https://kachestvo.example.ru/raion", git=False)
    mkdocs = yaml.load((tmp_path / "b" / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert mkdocs["site_url"] == "https://kachestvo.example.ru/raion/"
    with pytest.raises(InitFailed, match="https://"):
        init(tmp_path / "c", site_url="javascript:alert(1)", git=False)
    assert not (tmp_path / "c").exists()


def test_release_publishes_with_trusted_publishing_only():
    """A version tag builds wheel and sdist; only the publishing job may ask for an OpenID token; no stored secret."""
    text = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    spec = yaml.safe_load(text)
    assert spec[True] == {"push": {"tags": ["v*"]}} and spec["permissions"] == {}
    assert "secrets." not in text and "password" not in text
    jobs = spec["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["publish"]["permissions"] == {"id-token": "write"} and jobs["publish"]["needs"] == "build"
    build = "\n".join(s.get("run", "") for s in jobs["build"]["steps"])
    assert "--wheel --sdist" in build and "--require-hashes -r .ci/release-requirements.txt" in build
    publish = [s["uses"] for s in jobs["publish"]["steps"] if s.get("uses", "").startswith("pypa/gh-action-pypi-publish@")]
    assert len(publish) == 1 and re.fullmatch(r"pypa/gh-action-pypi-publish@[0-9a-f]{40}", publish[0])


def test_a_stale_editable_install_is_not_vendored(tmp_path, monkeypatch):
    """pyproject.toml changed after `pip install -e .`: the wheel would carry old dependencies, so init refuses."""
    real = wheel.metadata.distribution("kachestvo")

    class Stale:
        version = real.version
        requires = [r for r in real.requires if not r.startswith("pandas")]
        read_text = real.read_text

    monkeypatch.setattr(wheel.metadata, "distribution", lambda name: Stale())
    with pytest.raises(wheel.NotInstalled, match="pip install -e"):
        wheel.build(tmp_path)
    with pytest.raises(InitFailed, match="pip install -e"):
        init(tmp_path / "p")
    assert not list(tmp_path.iterdir())

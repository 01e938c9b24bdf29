"""`kachestvo init DIR`: a new municipality's repository that validates and builds as it stands.

It writes the data package (every table with its header and schema copy), content/index.md, a standalone
mkdocs.yml, a .gitignore, a staff README, and what installs this exact tool on any machine: `tool/` holds a
wheel of the running kachestvo and `tool/requirements.txt`, every dependency pinned with its hash, which the
GitHub workflows install with `pip install --require-hashes`. The folder becomes a git repository whose
branch is `main`, the branch the publishing workflow runs on. A project inside a region's repository (a folder
under one whose workflows hold region-matrix.yml) gets only its data and site files: the region installs the tool.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from kachestvo import schemas, wheel
from kachestvo.config import HTTPS_URL
from kachestvo.paths import PACKAGE_DIR, shown

SKELETON = PACKAGE_DIR / "skeleton"
LOCK = SKELETON / "requirements.txt"  # the runtime dependencies of this version, with hashes (.ci/lock makes it)
TOOL = "tool"  # the project's folder holding the wheel and its requirements
REQUIREMENTS = f"{TOOL}/requirements.txt"
BRANCH = "main"
# skeleton file → path in the new project: the project's own files (written once, then the staff's)
FILES = {
    "mkdocs.yml": "mkdocs.yml",
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "content/index.md": "content/index.md",
}
# the files that install and run the tool: written by `init`, replaced by `upgrade`
WORKFLOWS = {
    "municipality": {
        "workflows/pull-request.yml": ".github/workflows/pull-request.yml",
        "workflows/publish.yml": ".github/workflows/publish.yml",
    },
    "region": {"region/workflows/region-matrix.yml": ".github/workflows/region-matrix.yml"},
}
REGION_FILES = {"region/README.md": "README.md", "gitignore": ".gitignore"}
REGION_MARK = ".github/workflows/region-matrix.yml"
MUNICIPALITY_FIELDS = ("municipality_id", "name", "region", "authority")
GITHUB_REPOSITORY = re.compile(r"^https://github\.com/([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?/?$")


class InitFailed(Exception):
    """The project was not created; the message says why, in Russian."""


def version() -> str:
    try:
        return wheel.version()
    except wheel.NotInstalled:  # running from a source tree without an install
        return "0"


def site_url_of(repository: str) -> str:
    """The GitHub Pages address of a GitHub repository (https://github.com/org/name → https://org.github.io/name/)."""
    m = GITHUB_REPOSITORY.match(repository)
    if not m:
        raise InitFailed(
            f"адрес репозитория «{repository}» не похож на адрес GitHub (https://github.com/организация/репозиторий). "
            "Укажите адрес сайта сами: --site-url https://…/"
        )
    owner, name = m.groups()
    if name.lower() == f"{owner.lower()}.github.io":
        return f"https://{owner.lower()}.github.io/"
    return f"https://{owner.lower()}.github.io/{name}/"


def region_root(target: Path) -> Path | None:
    """The region repository `target` lies in (a parent folder with region-matrix.yml), if any."""
    for parent in target.resolve().parents:
        if (parent / REGION_MARK).is_file():
            return parent
    return None


def init(
    target: Path,
    municipality: dict[str, str] | None = None,
    today: dt.date | None = None,
    *,
    site_url: str | None = None,
    repository: str | None = None,
    regional: bool = False,
    git: bool = True,
) -> list[Path]:
    """Create the project in `target` (absent or empty); return the files written."""
    _can_create(target, repository)
    site_url = _site_url(site_url or (site_url_of(repository) if repository else None))
    region = region_root(target)
    if regional:
        files = _region_files()
    else:
        files = _municipality_files(site_url, region is not None)
        files.update(_data_package(municipality, today or dt.date.today(), repository))
    if region is None:  # a repository of its own: who reviews the code and settings of its sites
        files.update(_own_repository_files(regional))
    written = _write(target, files)
    if not regional:
        (target / "content" / "documents").mkdir(parents=True, exist_ok=True)
    if region is None and git:
        _git_init(target)
    return written


def _can_create(target: Path, repository: str | None) -> None:
    """Raise InitFailed when the target folder is taken or the repository's address is not https."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitFailed(f"папка {shown(target)} уже существует и не пуста. Укажите новую или пустую папку.")
    if repository is not None and not HTTPS_URL.match(repository):
        raise InitFailed(f"адрес репозитория «{repository}» должен начинаться с https:// и не содержать пробелов.")


def _own_repository_files(regional: bool) -> dict[str, str | bytes]:
    """What a repository of its own holds besides the project: CODEOWNERS and the vendored tool."""
    files: dict[str, str | bytes] = {".github/CODEOWNERS": _codeowners(regional)}
    try:  # made before anything is written: a tool that cannot be vendored leaves no half project
        files.update(tool_files("region" if regional else "municipality"))
    except wheel.NotInstalled as exc:
        raise InitFailed(str(exc)) from None
    return files


def _site_url(site_url: str | None) -> str | None:
    """The site's address with a final slash; https only (or a local http address for a preview)."""
    if site_url is None:
        return None
    if not HTTPS_URL.match(site_url) and not re.match(r"^http://(localhost|127\.0\.0\.1)(:[0-9]+)?(/|$)", site_url):
        raise InitFailed(f"адрес сайта «{site_url}» должен начинаться с https:// и не содержать пробелов.")
    return site_url.rstrip("/") + "/"


def _region_files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {dest: _skeleton(src) for src, dest in REGION_FILES.items()}
    files[".gitignore"] = _region_gitignore(str(files[".gitignore"]))
    files["municipalities/README.md"] = _skeleton("region/municipalities.md")
    return files


def _municipality_files(site_url: str | None, in_region: bool) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {dest: _skeleton(src) for src, dest in FILES.items()}
    if site_url:
        files["mkdocs.yml"] = _with_site_url(str(files["mkdocs.yml"]), site_url)
    if in_region:  # the region's repository ignores build outputs and installs the tool
        del files[".gitignore"]
    return files


def _region_gitignore(text: str) -> str:
    """The skeleton's .gitignore with each build output also ignored in every municipality's folder: a rule that
    starts with «/» holds only at the repository's root, and a committed cache is a cache anyone could have written."""
    generated = text.split("\n# ", 1)[0]  # the first block: what `kachestvo build` writes
    rules = [line for line in generated.splitlines() if line.startswith("/")]
    nested = "".join(f"/municipalities/*{rule}\n" for rule in rules)
    return text.rstrip("\n") + "\n# the same, in each municipality's project\n" + nested


def _codeowners(regional: bool) -> str:
    """The skeleton's CODEOWNERS; in a region's repository each rule but .github/ and tool/ (both at the region's
    root) covers every municipality."""
    text = str(_skeleton("CODEOWNERS"))
    if not regional:
        return text
    lines = []
    for line in text.splitlines():
        if line.startswith("/") and not line.startswith(("/.github/", f"/{TOOL}/")):
            line = "/municipalities/*" + line
        lines.append(line)
    return "\n".join(lines) + "\n"


def kind(root: Path) -> str:
    """«region» for a region's repository (its workflows hold region-matrix.yml), else «municipality»."""
    return "region" if (root / REGION_MARK).is_file() else "municipality"


def tool_files(kind_: str) -> dict[str, bytes]:
    """What installs and runs this version of the tool in a project: the wheel, its requirements, the workflows."""
    with tempfile.TemporaryDirectory() as tmp:
        built = wheel.build(Path(tmp))
        data = built.read_bytes()
    name = f"{TOOL}/{built.name}"
    requirements = (
        f"# kachestvo {version()} и все его зависимости, каждая с хешем SHA-256. Установка (из корня проекта):\n"
        f"#   pip install --require-hashes -r {REQUIREMENTS}\n"
        "# Файл и колесо рядом с ним пишут «kachestvo init» и «kachestvo upgrade»; не правьте их вручную.\n"
        + LOCK.read_text(encoding="utf-8")
        + f"./{name} \\\n    --hash=sha256:{hashlib.sha256(data).hexdigest()}\n"
        "    # kachestvo: колесо в папке tool/ этого проекта\n"
    )
    files = {name: data, REQUIREMENTS: requirements.encode("utf-8")}
    for src, dest in WORKFLOWS[kind_].items():
        files[dest] = _skeleton(src).encode("utf-8")
    return files


def _data_package(municipality: dict[str, str] | None, today: dt.date, repository: str | None) -> dict[str, str]:
    files = {}
    resources = []
    for name in schemas.table_names():
        rows = [_municipality_row(municipality, today)] if name == "municipality" and municipality else []
        files[f"data/{name}.csv"] = _csv(name, rows)
        files[f"data/schemas/{name}.json"] = schemas.canonical_text(name)
        resources.append(
            {"name": name, "title": schemas.schema(name)["title"], "path": f"{name}.csv", "schema": f"schemas/{name}.json"}
        )
    descriptor: dict = {"name": "data", "title": "Повышение качества образования", "resources": resources}
    if repository:
        descriptor["kachestvo"] = {"repository_url": repository.rstrip("/").removesuffix(".git")}
    files["data/datapackage.json"] = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    return files


def _write(target: Path, files: dict[str, str | bytes]) -> list[Path]:
    written = []
    for rel, content in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


def _git_init(target: Path) -> None:
    """`git init` with `main` as the branch (what publish.yml runs on), unless git is absent or already around."""
    git = shutil.which("git")
    if git is None:
        return
    inside = subprocess.run([git, "rev-parse", "--is-inside-work-tree"], cwd=target, capture_output=True, text=True)
    if inside.returncode == 0:
        return
    subprocess.run([git, "init", "-q"], cwd=target, check=True, capture_output=True)
    subprocess.run([git, "symbolic-ref", "HEAD", f"refs/heads/{BRANCH}"], cwd=target, check=True, capture_output=True)


def _with_site_url(mkdocs_yml: str, site_url: str) -> str:
    """Add `site_url` after `site_name`: the sitemap lists the pages and the 404 page finds its styles."""
    line = f"site_url: {site_url}  # адрес сайта: без него карта сайта пуста, а страница 404 без оформления\n"
    head, sep, tail = mkdocs_yml.partition("\nsite_name:")
    name_line, nl, rest = tail.partition("\n")
    return head + sep + name_line + nl + line + rest


def _skeleton(name: str) -> str:
    return (SKELETON / name).read_text(encoding="utf-8").replace("__KACHESTVO_VERSION__", version())


def _municipality_row(m: dict[str, str], today: dt.date) -> dict[str, str]:
    missing = [f for f in MUNICIPALITY_FIELDS if not (m.get(f) or "").strip()]
    if missing:
        titles = ", ".join(f"--{f.removeprefix('municipality_')}" for f in missing)
        raise InitFailed(
            f"для строки муниципалитета не хватает параметров: {titles}. Укажите все четыре "
            "(--id, --name, --region, --authority) или ни одного и заполните municipality.csv позже."
        )
    return dict(m, as_of=today.isoformat())


def _csv(name: str, rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=schemas.field_names(name), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()

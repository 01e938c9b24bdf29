"""`kachestvo changes`: does a pull request change data only, or code and configuration that a maintainer reviews?

The trust boundary (docs/src/security.md): data files (data/*.csv, the schema copies) are staff input, checked by
validation; everything else that shapes the site or the build is code — mkdocs.yml, content/, the package's settings
in data/datapackage.json (they can allow raw HTML and hooks), templates and overrides, hooks, workflows, .github,
and tool/ (the wheel the workflows install and run).
The PR workflow prints this in its job summary, so a reviewer sees at once that a PR is more than data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kachestvo import git
from kachestvo.paths import Project

DATA = "данные"
CODE = "код и настройки"
OTHER = "прочее"

# a document file is data when it is a document (PDF, a transcription, a scan); HTML, SVG or scripts there are code
DOCUMENT_SUFFIXES = {".pdf", ".txt", ".md", ".doc", ".docx", ".odt", ".xlsx", ".xls", ".ods", ".png", ".jpg", ".jpeg", ".csv"}
# tool/: the wheel and hashed requirements that the workflows install and run (`kachestvo init`)
CODE_PREFIXES = ("content/", ".github/", "overrides/", "hooks/", "templates/", "theme/", "docs/", "scripts/", "tool/")
# what Python, MkDocs or a browser runs: «python -m pip» in the workflows imports from the checkout's root first, and
# Python imports a module from a lone .pyc as readily as from a .py
CODE_SUFFIXES = (".py", ".pyc", ".pyo", ".pyd", ".so", ".pth", ".whl", ".sh", ".j2", ".yml", ".yaml", ".js", ".html", ".css")
CODE_FILES = {"mkdocs.yml", "data/datapackage.json", "CODEOWNERS", "pyproject.toml", "requirements.txt", ".gitignore"}


class ChangesFailed(Exception):
    """git could not list the changes; the message says why, in Russian."""


@dataclass(frozen=True)
class Changed:
    path: str  # relative to the project
    kind: str  # DATA, CODE or OTHER


def classify(path: str) -> str:
    """DATA, CODE or OTHER for a path relative to the project (forward slashes)."""
    name = path.rsplit("/", 1)[-1]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if path in CODE_FILES or path.startswith(".github/") or suffix in CODE_SUFFIXES:
        return CODE
    if path.startswith("data/"):
        return DATA if suffix in (".csv", ".json") else CODE
    if path.startswith("content/documents/") and suffix in DOCUMENT_SUFFIXES - {".md"}:
        return DATA
    if path.startswith(CODE_PREFIXES):
        return CODE
    return OTHER


def changes(project: Project, ref: str) -> list[Changed]:
    """Every path under the project that differs from `ref` (committed, staged, in the working tree or new)."""
    if ref.startswith("-"):
        raise ChangesFailed(f"версия «{ref}» не может начинаться с «-». Укажите ветку, тег или коммит.")
    top = Path(_git(project.root, "rev-parse", "--show-toplevel").strip()).resolve()
    prefix = project.root.relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    listed = _git(project.root, "diff", "--name-only", "-z", "--no-renames", ref, "--", ".")
    listed += _git(project.root, "ls-files", "-z", "--others", "--exclude-standard", "--full-name", "--", ".")
    paths = sorted({p[len(prefix) :] for p in listed.split("\0") if p and p.startswith(prefix)})
    return [Changed(p, classify(p)) for p in paths]


def format_markdown(found: list[Changed], ref: str) -> str:
    code = [c for c in found if c.kind == CODE]
    head = "### Код или данные\n\n"
    if not found:
        return head + f"Файлы проекта не отличаются от версии `{ref}`.\n"
    if not code:
        data = sum(c.kind == DATA for c in found)
        return head + f"Pull request меняет только данные и прочие файлы (файлов данных: {data}); код сайта не меняется.\n"
    lines = [
        head.rstrip("\n") + "\n",
        f"**Pull request меняет код или настройки сайта, а не только данные** — файлов: {len(code)}. "
        "Такие изменения определяют, что и как публикуется и что выполняется при сборке; их должен проверить "
        "сопровождающий (см. CODEOWNERS и страницу «Безопасность»), а не только сотрудник, отвечающий за данные.\n",
    ]
    lines += [f"- `{_md(c.path)}`" for c in code]
    return "\n".join(lines) + "\n"


def format_text(found: list[Changed], ref: str) -> str:
    code = [c for c in found if c.kind == CODE]
    if not code:
        return f"Относительно {ref} меняются только данные и прочие файлы: файлов {len(found)}."
    return "\n".join(
        [f"Относительно {ref} меняется код или настройки сайта (нужна проверка сопровождающего): файлов {len(code)}."]
        + [f"  {c.path}" for c in code]
    )


def _md(path: str) -> str:
    return path.replace("`", "'").replace("\n", " ").replace("\r", " ")


def _git(cwd: Path, *args: str) -> str:
    try:
        return git.run(cwd, *args).decode("utf-8", "replace")
    except git.GitFailed as exc:
        raise ChangesFailed(str(exc)) from None

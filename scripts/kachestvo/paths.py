"""Every path the pipeline uses, in one place. Imports nothing else of the project."""

from __future__ import annotations

import functools
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kachestvo import git

PACKAGE_DIR = Path(__file__).resolve().parent
SCHEMAS_DIR = PACKAGE_DIR / "schemas"
TEMPLATES_DIR = PACKAGE_DIR / "templates"


@dataclass(frozen=True)
class Project:
    """A municipality's project: data/, content/, mkdocs.yml; build/ and site/ are outputs."""

    root: Path

    @classmethod
    def at(cls, root: str | Path = ".") -> "Project":
        return cls(Path(root).resolve())

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def datapackage(self) -> Path:
        return self.data / "datapackage.json"

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def cache(self) -> Path:
        """The build's caches: outside build/, which is MkDocs' input. A cache committed to git is never read:
        anyone who can open a pull request could put pages or charts into it, so then a fresh private folder
        outside the repository is used instead (see `committed_cache`)."""
        inside = self.root / CACHE
        return _private_cache(self.root) if committed_cache(self.root) else inside

    def prefix(self) -> str:
        """What makes a project-relative path relative to where the user stands (as problems and messages show it)."""
        try:
            rel = self.root.relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return self.root.as_posix() + "/"
        return "" if rel == "." else rel + "/"

    def relative(self, path: Path) -> str:
        """A path as shown in messages: relative to the project, with forward slashes."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def shown(path: str | Path) -> str:
    """A path as every command prints it: relative to where the user stands (absolute if outside), in «quotes»."""
    resolved = Path(path).resolve()
    cwd = Path.cwd().resolve()
    try:
        rel = resolved.relative_to(cwd).as_posix()
    except ValueError:
        rel = os.path.relpath(resolved, cwd) if resolved.anchor == cwd.anchor else resolved.as_posix()
        rel = Path(rel).as_posix()
        if rel.count("../") > 2:  # far away: the absolute path is clearer
            rel = resolved.as_posix()
    return f"«{rel}»"


CACHE = ".kachestvo-cache"
# The generated MkDocs configuration (output/publish.py): in the project's folder, with paths relative to it, so that
# Zensical (which wants docs_dir and site_dir inside the configuration's folder) builds it too:
# `zensical build -f .kachestvo-mkdocs.yml`.
GENERATED = ".kachestvo-mkdocs.yml"


def committed_cache(root: Path) -> bool:
    """Whether git tracks anything under the project's cache folder (`git ls-files`; False outside a repository)."""
    return bool((git.output(root, "ls-files", "-z", "--", CACHE, timeout=60) or "").strip("\0"))


@functools.lru_cache(maxsize=None)
def _private_cache(root: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix="kachestvo-cache-"))

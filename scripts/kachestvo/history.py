"""What git knows about a project's data: the commit a site is built from and when each page's input files last changed.

Everything here is a function of the commit (and of uncommitted changes, which are named as such), never of the
clock: the same commit gives a byte-identical site. Outside a git repository there is no history, and pages say so.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from kachestvo.paths import Project


@dataclass
class History:
    project: Project
    commit: str | None = None  # full hash of HEAD; None outside git (or before the first commit)
    prefix: str = ""  # the project's folder inside the repository, «» or «examples/x/»
    repository_url: str | None = None  # e.g. https://github.com/org/repo: links to file histories
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, project: Project, repository_url: str | None = None) -> History:
        top = _git(project.root, "rev-parse", "--show-toplevel")
        commit = _git(project.root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        if top is None or commit is None:
            return cls(project, repository_url=repository_url)
        rel = project.root.relative_to(Path(top).resolve()).as_posix()
        return cls(project, commit, "" if rel == "." else rel + "/", repository_url and repository_url.rstrip("/"))

    def fingerprint(self) -> str:
        """What of git the pages show (the data's last commits, uncommitted changes), for the build cache's key;
        the build commit itself is only in the footer, so a commit that leaves the data alone reuses the pages."""
        if self.commit is None:
            return ""
        paths = [self.prefix + "data", self.prefix + "content"]
        last = _git(self.project.root, "log", "-1", "--format=%H", self.commit, "--", *paths) or ""
        status = _git(self.project.root, "status", "--porcelain", "--", "data", "content") or ""
        return f"{last}\n{status}\n{self.repository_url or ''}"

    @property
    def short(self) -> str | None:
        return self.commit[:7] if self.commit else None

    def commit_url(self) -> str | None:
        return f"{self.repository_url}/commit/{self.commit}" if self.commit and self.repository_url else None

    def files(self, tables: tuple[str, ...]) -> list[str]:
        """Project-relative input files of a page: data/<table>.csv that exist; «*» → data/datapackage.json too."""
        if "*" in tables:
            return ["data/datapackage.json"] + sorted(
                p.relative_to(self.project.root).as_posix() for p in self.project.data.glob("*.csv")
            )
        return [f"data/{t}.csv" for t in tables if (self.project.data / f"{t}.csv").is_file()]

    def of_files(self, files: list[str]) -> dict:
        """{date: ISO date of the last commit touching the files or None, dirty: uncommitted changes, links: [(name, url)]}."""
        key = tuple(files)
        if key not in self._cache:
            paths = [self.prefix + f for f in files]
            date = _git(self.project.root, "log", "-1", "--format=%cs", self.commit, "--", *paths) if self.commit else None
            status = _git(self.project.root, "status", "--porcelain", "--", *files) if self.commit else None
            links = [(Path(f).name, f"{self.repository_url}/commits/{self.commit}/{self.prefix}{f}") for f in files]
            self._cache[key] = dict(
                date=date or None, dirty=bool(status), links=links if self.repository_url and self.commit else []
            )
        return self._cache[key]


def _git(cwd: Path, *args: str) -> str | None:
    """A git command's output, or None when git is missing or the folder is not in a repository."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False)
    except FileNotFoundError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None

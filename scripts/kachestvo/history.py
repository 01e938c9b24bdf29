"""What git knows about a project's data: the commit a site is built from and when each page's data last changed.

Everything here is a function of the commit (and of uncommitted changes, which are named as such), never of the
clock: the same commit gives a byte-identical site. Outside a git repository there is no history, and pages say so.
Git runs in the project's folder with project-relative paths, so a project anywhere in its repository (an example
in `examples/x/`) reads its own history. A page made from some rows of a table (a school's page) is dated by the
commits that changed those rows: one `git log` and one `git cat-file` per file, whatever the number of schools.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from kachestvo import git
from kachestvo.paths import Project


@dataclass
class History:
    project: Project
    commit: str | None = None  # full hash of HEAD; None outside git (or before the first commit)
    prefix: str = ""  # the project's folder inside the repository, «» or «examples/x/» (for links only)
    repository_url: str | None = None  # e.g. https://github.com/org/repo: a link to the data's history
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, project: Project, repository_url: str | None = None) -> History:
        top = git.output(project.root, "rev-parse", "--show-toplevel")
        commit = git.output(project.root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        if top is None or commit is None:
            return cls(project, repository_url=repository_url)
        rel = project.root.resolve().relative_to(Path(top).resolve()).as_posix()
        return cls(project, commit, "" if rel == "." else rel + "/", repository_url and repository_url.rstrip("/"))

    def fingerprint(self) -> str:
        """What of git the pages show (the data's last commits, uncommitted changes), for the build cache's key;
        the build commit itself is only in the footer, so a commit that leaves the data alone reuses the pages."""
        if self.commit is None:
            return ""
        last = git.output(self.project.root, "log", "-1", "--format=%H", self.commit, "--", "data", "content") or ""
        status = git.output(self.project.root, "status", "--porcelain", "--", "data", "content") or ""
        return f"{last}\n{status}\n{self.repository_url or ''}"

    @property
    def short(self) -> str | None:
        return self.commit[:7] if self.commit else None

    def commit_url(self) -> str | None:
        return f"{self.repository_url}/commit/{self.commit}" if self.commit and self.repository_url else None

    def data_url(self) -> str | None:
        """The history of the project's data folder in the repository (a secondary link under each page)."""
        return f"{self.repository_url}/commits/{self.commit}/{self.prefix}data" if self.commit and self.repository_url else None

    def files(self, tables: tuple[str, ...]) -> list[str]:
        """Project-relative input files of a page: data/<table>.csv that exist; «*» → data/datapackage.json too."""
        if "*" in tables:
            return ["data/datapackage.json"] + sorted(
                p.relative_to(self.project.root).as_posix() for p in self.project.data.glob("*.csv")
            )
        return [f"data/{t}.csv" for t in tables if (self.project.data / f"{t}.csv").is_file()]

    def of_files(self, files: list[str], rows: dict[str, tuple[tuple[str, ...], frozenset]] | None = None) -> dict:
        """{date: ISO date of the last commit that changed the page's data or None, dirty: uncommitted changes to it}.

        `rows` narrows a file to some of its rows: file → (columns, keys) — only the rows carrying one of `keys` in
        one of `columns`, and the rows with all those columns empty (shared by every page, e.g. a municipality's
        results), count; the other files count whole."""
        rows = rows or {}
        key = (tuple(files), tuple(sorted((f, c, tuple(sorted(k, key=str))) for f, (c, k) in rows.items())))
        if key in self._cache:
            return self._cache[key]
        dates, dirty = [], False
        for f in files if self.commit is not None else ():  # outside git: no date, nothing uncommitted
            dates += self._dates(f, rows.get(f))
            dirty = dirty or self._dirty(f, rows.get(f))
        info = dict(date=max((d for d in dates if d), default=None), dirty=dirty)
        self._cache[key] = info
        return info

    def _dates(self, f: str, narrowed: tuple[tuple[str, ...], frozenset] | None) -> list[str | None]:
        """The dates of the last commits that changed a file (whole, or its rows carrying some keys: see `of_files`)."""
        if narrowed is None:
            return [self._file_date(f)]
        columns, keys = narrowed
        changed = self._row_dates(f, columns)
        return [changed[k] for k in set(keys) | {None} if k in changed]

    def _dirty(self, f: str, narrowed: tuple[tuple[str, ...], frozenset] | None) -> bool:
        """Whether a file (whole, or its rows carrying some keys) has uncommitted changes."""
        if narrowed is None:
            return self._file_dirty(f)
        columns, keys = narrowed
        return bool(self._dirty_keys(f, columns) & (set(keys) | {None}))

    def _file_date(self, f: str) -> str | None:
        key = ("date", f)
        if key not in self._cache:
            self._cache[key] = git.output(self.project.root, "log", "-1", "--format=%cs", self.commit, "--", f) or None
        return self._cache[key]

    def _file_dirty(self, f: str) -> bool:
        key = ("dirty", f)
        if key not in self._cache:
            self._cache[key] = bool(git.output(self.project.root, "status", "--porcelain", "--", f))
        return self._cache[key]

    def _row_dates(self, f: str, columns: tuple[str, ...]) -> dict:
        """{key: ISO date of the last commit that added, removed or changed a row carrying it} (None: rows with all
        `columns` empty). Commits are read newest first, each version of the file once; every commit is read, since
        a page is dated by the removal of its last row too (a key no longer in the file)."""
        cache_key = ("rows", f, columns)
        if cache_key in self._cache:
            return self._cache[cache_key]
        log = git.output(
            self.project.root, "log", "--format=%x01%cs", "--raw", "--no-abbrev", "--no-renames", self.commit, "--", f
        )
        changes = []  # (date, old blob, new blob), newest first
        for entry in (log or "").split("\x01")[1:]:
            lines = entry.strip().splitlines()
            raw = [line for line in lines[1:] if line.startswith(":")]
            if raw:
                meta = raw[0].split("\t")[0].split()
                changes.append((lines[0].strip(), meta[2], meta[3]))
        out: dict = {}
        with git.Blobs(self.project.root) as blobs:
            previous = (None, None)  # consecutive versions share a blob: the older one read last is the next newer one
            for date, old, new in changes:
                after = previous[1] if previous[0] == new else _Version(blobs.text(new))
                before = _Version(blobs.text(old))
                previous = (old, before)
                for k in _changed_keys(before, after, columns):
                    out.setdefault(k, date)
        self._cache[cache_key] = out
        return out

    def _dirty_keys(self, f: str, columns: tuple[str, ...]) -> set:
        """Keys whose rows differ between the build commit and the working tree."""
        if not self._file_dirty(f):
            return set()
        cache_key = ("dirty-rows", f, columns)
        if cache_key not in self._cache:
            committed = git.output(self.project.root, "show", f"{self.commit}:./{f}")
            path = self.project.root / f
            now = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
            self._cache[cache_key] = _changed_keys(_Version(committed or ""), _Version(now), columns)
        return self._cache[cache_key]


class _Version:
    """A version of a CSV text: its header, its other lines as a set (rows are unique: every table has a primary
    key) and whether a record spans lines (a quoted line break: some line has an odd number of quotes)."""

    def __init__(self, text: str):
        lines = text.rstrip("\n").split("\n") if text else []  # records end in «\n»; other breaks are inside values
        self.text, self.header, self.rows = text, lines[:1], set(lines[1:])
        self.spanning = '"' in text and any(line.count('"') % 2 for line in lines if '"' in line)


def _changed_keys(before: _Version, after: _Version, columns: tuple[str, ...]) -> set:
    """The keys of the rows added, removed or changed between two versions of a CSV text. Only the lines that differ
    are parsed, unless the header changed or a record spans lines — then both versions are read whole and compared
    row by row."""
    if before.header == after.header and before.header and not (before.spanning or after.spanning):
        where = _positions(next(csv.reader(before.header)), columns)
        keys = set()
        for record in csv.reader(sorted(before.rows ^ after.rows)):
            keys |= _keys(record, where)
        return keys
    old, new = _groups(before.text, columns), _groups(after.text, columns)
    return {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}


def _positions(header: list[str], columns: tuple[str, ...]) -> list[int]:
    """Where the key columns the header has stand in it."""
    return [header.index(c) for c in columns if c in header]


def _keys(record: list[str], where: list[int]) -> set:
    """The keys a record carries in the key columns (at `where`); {None} when all of them are empty."""
    return {record[i] for i in where if i < len(record) and record[i] != ""} or {None}


def _groups(text: str, columns: tuple[str, ...]) -> dict:
    """A CSV text's rows by key: key → its rows, each the (column, value) pairs of its non-empty cells (so an added
    empty column or a reordering of columns changes no row). A row belongs to each of its keys."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    where = _positions(header, columns)
    out: dict = {}
    for record in reader:
        cells = tuple(sorted((h, v) for h, v in zip(header, record) if v != ""))
        for k in _keys(record, where):
            out.setdefault(k, []).append(cells)
    return out

"""School pages reused from the previous build: a school's page is generated again only when its inputs changed.

A school page is a function of the tool, of the dataset without the other schools' own rows (their results,
activities, list decisions, classifications and recommendations: nothing of another school's own rows reaches this
school's page) and of this school's own rows. Its key hashes exactly that. After one changed result row the one
school's page is generated again (with the section pages, which summarise every school); the other school pages
and their charts are taken from the memo. The history line at a page's end is never stored: it is made afresh.

tests/test_memo.py changes a cell of every table in turn and asserts that a build reusing the memo equals a build
without it, byte for byte. Stored like the build cache (a JSON index and one file of bytes, no pickle); only the
entries of the latest build are kept.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from kachestvo import checksum, schemas
from kachestvo.dataset import LINE
from kachestvo.pages.registry import EVERY_PAGE

# Tables whose rows with a school_id belong to that school alone: they reach no other school's page.
OWN = ("results", "activities", "list_membership", "classifications", "recommendations")
FORMAT = 1


class Memo:
    """The previous build's school pages (read entry by entry from its file) and this build's (written to a new
    file as they are made or reused): memory stays flat however many schools there are."""

    def __init__(self, folder: Path, charts: Path, tool: str):
        self.folder, self.charts, self.tool = folder, charts, tool
        self.index_path, self.blob_path = folder / "pages-index.json", folder / "pages.bin"
        self._old: dict[str, list] = {}
        self._blob = None  # the previous build's file, open for reading
        self._out = None  # this build's file, written as pages come
        self._entries: dict[str, list] = {}
        self._size = 0
        self._digest = hashlib.sha256()
        self._common: str | None = None
        self._tables: dict[tuple, str] = {}
        self.reused: list[str] = []  # paths of the pages taken from the previous build
        try:
            index = json.loads(self.index_path.read_text(encoding="utf-8"))
            if index.get("format") == FORMAT and index.get("tool") == tool:
                blob = self.blob_path.open("rb")
                if checksum.of_stream(blob) == index.get("sha256"):  # torn or edited: start afresh
                    self._old, self._blob = index["entries"], blob
                else:
                    blob.close()
        except (OSError, ValueError, KeyError, TypeError):
            pass

    def key(self, ctx, school_id: str) -> str:
        """The hash of what the school's page is made from (the tool's version is in the memo's header)."""
        h = hashlib.sha256(f"{self.common(ctx.ds)}\n{school_id}\n".encode())
        for name in OWN:
            rows = [{k: v for k, v in r.items() if k != LINE} for r in ctx.of_school(name, school_id)]
            h.update(name.encode() + b"\n" + _dump(rows).encode("utf-8") + b"\n")
        return h.hexdigest()

    def common(self, ds) -> str:
        """The hash of everything every school page may read: all tables but the schools' own rows, the package's
        descriptor and which tables hold rows (sections are published by it)."""
        if self._common is None:
            h = hashlib.sha256(_dump(ds.descriptor).encode("utf-8"))
            for name in schemas.table_names():
                h.update(f"\n{name}\n{self._table(ds, name, without_own=name in OWN)}".encode())
            self._common = h.hexdigest()
        return self._common

    def section_key(self, ds, path: str, inputs: tuple[str, ...]) -> str:
        """The hash of what a section's page is made from: its input tables and what any page may read besides
        (links to schools and documents, the municipality, the glossary's tooltips, the descriptor, which tables
        hold rows). A section built from every table (inputs «*») has no key: it is always made."""
        h = hashlib.sha256(f"section\n{path}\n".encode() + _dump(ds.descriptor).encode("utf-8"))
        h.update(_dump([ds.has(name) for name in schemas.table_names()]).encode())
        for name in sorted(set(inputs) | set(EVERY_PAGE)):
            h.update(f"\n{name}\n{self._table(ds, name)}".encode())
        return h.hexdigest()

    def _table(self, ds, name: str, without_own: bool = False) -> str:
        """A table's hash (without the CSV line numbers, which no page shows), computed once per build."""
        key = (name, without_own)
        if key not in self._tables:
            if not ds.has(name):  # not ds[name]: reading an absent table adds an empty frame
                self._tables[key] = "empty"
            else:
                frame = ds[name].drop(columns=[LINE])
                if without_own:
                    frame = frame[frame["school_id"].isna()]
                self._tables[key] = hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()
        return self._tables[key]

    def get(self, key: str, path: str) -> tuple[str, list[str]] | None:
        """(page body, its charts' keys) stored under the key, if every chart's SVG is still in the chart cache."""
        entry = self._old.get(key)
        if entry is None or self._blob is None:
            return None
        start, size, charts = entry
        from kachestvo.output.charts import cached

        if not all(cached(self.charts, c) is not None for c in charts):
            return None
        self._blob.seek(start)
        data = self._blob.read(size)
        if len(data) != size:
            return None
        self._append(key, data, charts)
        self.reused.append(path)
        return data.decode("utf-8"), charts

    def put(self, key: str, body: str, charts: list[str]) -> None:
        self._append(key, body.encode("utf-8"), charts)

    def _append(self, key: str, data: bytes, charts: list[str]) -> None:
        if key in self._entries:
            return
        self._writing().write(data)
        self._digest.update(data)
        self._entries[key] = [self._size, len(data), charts]
        self._size += len(data)

    def _writing(self):
        """This build's file (a temporary name until save)."""
        if self._out is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._out = self.blob_path.with_suffix(".bin.tmp").open("wb")
        return self._out

    def save(self) -> None:
        """Keep this build's entries in place of the previous ones (the file is renamed, then the index written)."""
        self._writing()
        self.close()
        self.blob_path.with_suffix(".bin.tmp").replace(self.blob_path)
        index = dict(format=FORMAT, tool=self.tool, sha256=self._digest.hexdigest(), entries=self._entries)
        tmp_index = self.index_path.with_suffix(".json.tmp")
        tmp_index.write_text(json.dumps(index), encoding="utf-8")
        tmp_index.replace(self.index_path)

    def close(self) -> None:
        """Close the files (a failed build leaves the previous memo as it was)."""
        for fh in (self._blob, self._out):
            if fh is not None:
                fh.close()
        self._blob = self._out = None


def _dump(value) -> str:
    """Canonical text of rows (dates, Markup and numbers by their str(); keys sorted)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)

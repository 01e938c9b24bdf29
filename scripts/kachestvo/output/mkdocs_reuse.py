"""MkDocs' own work for unchanged pages, reused from the previous successful publish.

MkDocs builds a whole site every time (its `--dirty` build leaves a search index of the changed pages only, so it is
never used). Most of that time goes to each page twice: Markdown → HTML (`Page.render`), then the theme's template,
the search plugin's parse and the post-page events (`_build_page`). Both are functions of what they are given, so
while MkDocs runs, this module wraps the two (`reusing`) and answers them from `.kachestvo-cache/mkdocs/` when their
inputs are the same as in an earlier build:

- a page's render is keyed by the site (`Site.render_key`: the loaded configuration without the footer, every file's
  source and address, the theme's files in the project, the libraries, Python and the tool) and the page's own
  Markdown and address; it restores what `render` sets: the HTML, the table of contents, the title, the anchors and
  the links to other pages' anchors (so MkDocs' anchor validation still sees them);
- a page's output is keyed by the same plus every page's title and address (the navigation, previous and next) and
  the page's rendered HTML, table of contents, title and metadata; it restores the written file and the page's
  entries of the search index. The footer names the build's commit, so the output is stored around it (the one
  place the theme prints `copyright`) and the current footer is put back in: a new commit that changes nothing
  else reuses every page.

Entries are written as pending files and become valid only when the whole strict build succeeds (a page that made
MkDocs warn is never reused, so a warning cannot be silenced); entries the build did not use are removed. Reuse is
on only for the plugins whose per-page work it replaces (Material's search; Material's privacy without fetching);
with any other plugin or hook MkDocs runs as usual. `tests/test_mkdocs_reuse.py` builds sites with and without
reuse after each kind of change and compares every file, byte for byte.

While it wraps the two steps it also lets go of what they leave behind: a page's Markdown once it is rendered and its
HTML once it is written (nothing later reads either), where MkDocs itself keeps both for every page until the build
ends. With the search entries handed over without Material's one big index file (output/publish.py), MkDocs' part of
a 20,000-school build fell from about 1.5 GB to 0.45 GB (docs/src/developers/benchmark.md).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path

FORMAT = 3
# plugins whose per-page events are either replaced here (search: its entries are stored with the page) or a pure
# function of the page's output (privacy, when it fetches nothing: it only warns, and a stored page never warned)
PLUGINS = {"search", "material/search", "privacy", "material/privacy"}
# Markdown extensions that make a page's HTML from its own text alone (pymdownx.snippets, which includes other files,
# is not one of them); extension objects only from the tool itself (output/sanitise.py)
MARKDOWN = {
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "meta", "sane_lists",
    "smarty", "tables", "toc", "nl2br", "codehilite", "pymdownx.betterem", "pymdownx.caret", "pymdownx.details",
    "pymdownx.emoji", "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.keys", "pymdownx.mark",
    "pymdownx.smartsymbols", "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist", "pymdownx.tilde",
}  # fmt: skip
FOOTER_SLOT = b'class="md-copyright__highlight">'
SKIPPED_CONFIG = {"site_dir", "copyright", "config_file_path", "dev_addr"}  # where the site is written; the footer


def plain(value, depth: int = 0):
    """A value of the loaded configuration as JSON-able data, the same for the same configuration in any process:
    objects by their type's name and their own configuration (never their address)."""
    if depth > 12:
        return "…"
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    for kind, made in _PLAIN:
        if isinstance(value, kind):
            return made(value, depth + 1)
    return _object(value, depth + 1)


def _partial(value: functools.partial, depth: int) -> dict:
    parts = {"partial": value.func, "args": list(value.args), "kw": value.keywords}
    return {k: plain(v, depth) for k, v in parts.items()}


def _object(value, depth: int):
    """A function by its name; any other object by its type's name and its own configuration, if it has one."""
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    own = getattr(value, "config", None)
    name = f"{type(value).__module__}.{type(value).__qualname__}"
    return {"type": name, "config": plain(own, depth)} if isinstance(own, Mapping) else name


_PLAIN = (
    (functools.partial, _partial),
    (Mapping, lambda value, depth: {str(k): plain(v, depth) for k, v in value.items()}),
    ((list, tuple), lambda value, depth: [plain(v, depth) for v in value]),
    ((set, frozenset), lambda value, depth: sorted(json.dumps(plain(v, depth), sort_keys=True, default=str) for v in value)),
)


def supported(config) -> bool:
    """Is every plugin one whose per-page work reuse replaces, every Markdown extension one that reads nothing but
    the page, and is there a footer to put the commit in?"""
    for ext in config.get("markdown_extensions", []):
        name = ext.removeprefix("markdown.extensions.") if isinstance(ext, str) else None
        if name not in MARKDOWN and not type(ext).__module__.startswith("kachestvo."):
            return False
    for name, plugin in config["plugins"].items():
        if name not in PLUGINS:
            return False
        if "privacy" in name and plugin.config.get("enabled", True) and plugin.config.get("assets_fetch"):
            return False
    return bool(config.get("copyright"))


def _toc(items) -> list[dict]:
    return [{"level": i.level, "id": i.id, "name": i.title, "children": _toc(i.children)} for i in items]


def _target(file) -> list | None:
    """What a page's link to a file makes of it: the file's address and whether it is published."""
    return None if file is None else [file.src_uri, file.url, str(file.inclusion)]


def _restore(page, stored: dict, files) -> None:
    """Set what `Page.render` sets, from a stored render."""
    from mkdocs.structure.toc import get_toc

    page.content, page.toc = stored["content"], get_toc(stored["toc"])
    page._title_from_render = stored["title"]
    page.present_anchor_ids = set(stored["anchors"])
    if stored["links"] is not None:
        page.links_to_anchors = {files.get_file_from_path(src): links for src, links in stored["links"].items()}


def _digest(*parts) -> str:
    # paths are part of the configuration: under a C locale a Cyrillic folder name holds surrogates (its bytes kept)
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _theme_files(config) -> list[tuple[str, str]]:
    """The files of the theme's folders that no installed library holds (custom_dir, wherever it is): the libraries'
    own are in their versions."""
    libraries = [Path(p).resolve() for p in sys.path if Path(p).name in ("site-packages", "dist-packages")]
    out = []
    for folder in map(Path, config["theme"].dirs):
        if not any(folder.resolve().is_relative_to(lib) for lib in libraries):
            files = sorted(p for p in folder.rglob("*") if p.is_file())
            out += [(p.relative_to(folder).as_posix(), hashlib.sha256(p.read_bytes()).hexdigest()) for p in files]
    return out


class Store:
    """Entries by key in one folder: read and verified one at a time; new ones pending until `commit`. An entry is
    the SHA-256 of its JSON text, a line break and the text."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()
        self.pending: list[Path] = []

    def get(self, key: str):
        try:
            data = (self.folder / f"{key}.json").read_bytes()
        except OSError:
            return None
        text = data[65:]
        if data[:64] != hashlib.sha256(text).hexdigest().encode():
            return None  # torn or edited: made again
        self.used.add(key)
        return json.loads(text)

    def put(self, key: str, body) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{key}.json.new"
        text = json.dumps(body, ensure_ascii=False).encode("utf-8")
        path.write_bytes(hashlib.sha256(text).hexdigest().encode() + b"\n" + text)
        self.pending.append(path)
        self.used.add(key)

    def commit(self) -> None:
        """After a successful build: the pending entries become valid, entries this build did not use go."""
        for path in self.pending:
            path.replace(path.with_suffix(""))
        self.pending.clear()
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name.removesuffix(".json") not in self.used:
                    path.unlink(missing_ok=True)

    def abandon(self) -> None:
        for path in self.pending:
            path.unlink(missing_ok=True)
        self.pending.clear()


class Site:
    """One MkDocs build's reuse: the site's part of the keys, the stores, and the wrapped steps."""

    def __init__(self, config, folder: Path, tool: str):
        from kachestvo.output import site_record

        self.config = config
        self.renders, self.pages = Store(folder / "render"), Store(folder / "page")
        settings = {k: plain(v) for k, v in config.items() if k not in SKIPPED_CONFIG}
        self.site = _digest(
            FORMAT,
            tool,
            sys.version,
            site_record.library_versions(),
            settings,
            [str(d) for d in config["theme"].dirs],
            _theme_files(config),
            os.environ.get("SOURCE_DATE_EPOCH"),
        )
        self._pages: str | None = None
        self.footer = config["copyright"].encode("utf-8")
        # the search plugin makes its index in its on_config, when MkDocs' build starts: looked up when needed
        self._search = next((p for n, p in config["plugins"].items() if n.endswith("search")), None)
        self.reused = {"render": 0, "page": 0}

    def entries(self) -> list | None:
        """The search index's entries so far (None without a search plugin)."""
        return self._search.search_index.entries if self._search is not None else None

    def render_key(self, page) -> str:
        return _digest(self.site, page.file.src_uri, page.file.dest_uri, page.url, page.markdown)

    def render(self, original, page, config, files) -> None:
        self._render(original, page, config, files)
        # read by nothing after the render, so no page's source waits for the last page; empty, not None: a page
        # whose Markdown is None has no title (`Page.title` takes None for "not read yet")
        page.markdown = ""

    def _render(self, original, page, config, files) -> None:
        key = self.render_key(page)
        hit = self.renders.get(key)
        if hit is not None and all(_target(files.get_file_from_path(path)) == found for path, found in hit["lookups"]):
            _restore(page, hit, files)
            self.reused["render"] += 1
            return
        lookups: dict[str, list | None] = {}
        lookup = files.get_file_from_path

        def recorded(path: str):
            found = lookup(path)
            lookups[path] = _target(found)
            return found

        files.get_file_from_path = recorded  # what the links resolved to: the render depends on no other file
        try:
            original(page, config, files)
        finally:
            del files.get_file_from_path
        links = getattr(page, "links_to_anchors", None)
        body = dict(
            content=page.content,
            toc=_toc(page.toc),
            title=page._title_from_render,
            anchors=sorted(page.present_anchor_ids or ()),
            links={f.src_uri: dict(v) for f, v in links.items()} if links is not None else None,
            lookups=sorted(lookups.items()),
        )
        self.renders.put(key, body)

    def page_key(self, page, doc_files, excluded: bool) -> str:
        if self._pages is None:  # every page is rendered by now: titles and addresses shape navigation and links
            self._pages = _digest(self.site, [(f.src_uri, f.page.url, f.page.title) for f in doc_files if f.page])
        fields = (page.file.src_uri, page.file.dest_uri, page.url, page.content, _toc(page.toc), page.title)
        return _digest(self._pages, fields, plain(page.meta), excluded, page.is_homepage)

    def build_page(self, original, page, config, doc_files, nav, env, dirty=False, excluded=False) -> None:
        self._build_page(original, page, config, doc_files, nav, env, dirty, excluded)
        page.content = None  # written: no other page's output reads it, so no page's HTML waits for the last page

    def _build_page(self, original, page, config, doc_files, nav, env, dirty=False, excluded=False) -> None:
        from mkdocs import utils

        key = self.page_key(page, doc_files, excluded)
        hit = self.pages.get(key)
        if hit is not None:
            utils.write_file(hit["before"].encode("utf-8") + self.footer + hit["after"].encode("utf-8"), page.file.abs_dest_path)
            if self.entries() is not None:
                self.entries().extend(hit["search"])
            self.reused["page"] += 1
            return
        before = len(self.entries() or [])
        original(page, config, doc_files, nav, env, dirty, excluded=excluded)
        entries = (self.entries() or [])[before:]
        try:
            written = Path(page.file.abs_dest_path).read_bytes()
        except OSError:
            return
        split = self._around_footer(written)
        if split is not None:
            self.pages.put(key, dict(before=split[0], after=split[1], search=entries))

    def _around_footer(self, html: bytes) -> tuple[str, str] | None:
        """The page's bytes before and after the footer (the theme's one `copyright`), if it is there exactly once."""
        if html.count(self.footer) != 1 or html.count(FOOTER_SLOT) != 1:
            return None
        start = html.index(self.footer)
        slot = html.index(FOOTER_SLOT) + len(FOOTER_SLOT)
        if slot > start or html[slot:start].strip():
            return None
        return html[:start].decode("utf-8"), html[start + len(self.footer) :].decode("utf-8")

    def commit(self) -> None:
        self.renders.commit()
        self.pages.commit()

    def abandon(self) -> None:
        self.renders.abandon()
        self.pages.abandon()


@contextmanager
def reusing(config, folder: Path | None, tool: str):
    """While MkDocs builds with `config`: renders and pages answered from `folder` where their inputs are unchanged;
    yields the Site (None when reuse is off). Entries are kept only if the build succeeds."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.structure.pages import Page

    if folder is None or not supported(config):
        yield None
        return
    site = Site(config, folder, tool)
    render, build_page = Page.render, mkdocs_build._build_page
    Page.render = lambda page, cfg, files: site.render(render, page, cfg, files)
    mkdocs_build._build_page = functools.partial(site.build_page, build_page)
    try:
        yield site
    except BaseException:
        site.abandon()
        raise
    else:
        site.commit()
    finally:
        Page.render = render
        mkdocs_build._build_page = build_page

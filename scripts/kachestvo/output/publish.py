"""MkDocs build into a temporary directory, then a swap into site/: a failed build leaves site/ untouched."""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from markupsafe import Markup, escape

from kachestvo.output import search
from kachestvo.paths import GENERATED, Project

NOT_FOUND = "<h1>404 - Not found</h1>"  # Material's 404 page, whatever the theme's language
LOGO_LINK = re.compile(r'<a href="([^"]*)"[^>]*class="md-header__button md-logo"')


def russian_404(site: Path) -> None:
    """Material's 404 page says «404 - Not found» in every language: the visitor reads Russian and a way home
    (the header logo's link, which MkDocs makes right for the published address)."""
    page = site / "404.html"
    if not page.is_file():
        return
    html = page.read_text(encoding="utf-8")
    home = LOGO_LINK.search(html)
    link = f' <a href="{home.group(1)}">Перейти на главную страницу</a>.' if home else ""
    text = (
        "<h1>Страница не найдена</h1>\n<p>Такой страницы на сайте нет: возможно, в адресе опечатка или страница "
        f"переехала.{link}</p>"
    )
    page.write_text(html.replace(NOT_FOUND, text), encoding="utf-8")


class MkDocsFailed(Exception):
    """MkDocs refused to build (strict mode turns warnings into failures); the message lists them."""


REUSE = "mkdocs"  # the cache's folder of MkDocs' pages (output/mkdocs_reuse.py)


def config(project: Project, nav: list, site_name: str, copyright: str) -> Path:
    """A generated configuration inheriting the project's mkdocs.yml; only the data-driven keys (the build writes
    into a temporary folder given to MkDocs directly; the file names the project's site/)."""
    text = {
        "INHERIT": _relative(project.mkdocs_yml, project.root),
        "docs_dir": _relative(project.build, project.root),
        "site_dir": _relative(project.site, project.root),
        "site_name": str(escape(site_name)),
        "copyright": copyright,
        "nav": [{str(escape(title)): path} for title, path in nav],
    }
    path = project.root / GENERATED
    path.write_text(json.dumps(text, ensure_ascii=False, indent=1), encoding="utf-8")  # JSON is valid YAML
    return path


def _relative(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def mkdocs_build(
    config_file: Path, epoch: int | None, site_dir: Path | None = None, allow_code: bool = False, reuse: Path | None = None
) -> int | None:
    """MkDocs' strict build of a generated configuration; with `reuse` (a cache folder) the pages whose inputs did
    not change since the last successful build are taken from it (output/mkdocs_reuse.py): how many, or None when
    reuse is off."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    from kachestvo import site_config
    from kachestvo.output import cache, mkdocs_reuse
    from kachestvo.output.sanitise import SanitiseExtension

    refused = site_config.problems(config_file, config_file.parent.resolve(), allow_code)
    if refused:  # before MkDocs reads it: its loader would construct the tags and import the hooks
        raise MkDocsFailed("\n".join(refused))

    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        overrides = {"site_dir": str(site_dir)} if site_dir is not None else {}
        cfg = load_config(config_file=str(config_file), strict=True, **overrides)
        # site_name holds HTML-escaped text, since Material prints it raw in most places; as Markup, the places
        # that do escape it (`| e` in the logo's title attribute) leave it as it is: escaped exactly once everywhere.
        cfg["site_name"] = Markup(cfg["site_name"])
        cfg["markdown_extensions"].append(SanitiseExtension())  # content/'s regions only (output/sanitise.py)
        _search_in_parts(cfg)
        with mkdocs_reuse.reusing(cfg, reuse, cache.tool_fingerprint()) as reused:
            build(cfg)
        return reused.reused["page"] if reused is not None else None
    except (Abort, ConfigurationError, SystemExit) as exc:
        raise MkDocsFailed("\n".join(handler.messages) or str(exc)) from exc
    finally:
        logger.removeHandler(handler)


SEARCH_CONFIG = ("lang", "separator", "pipeline", "fields")  # what Material's index file says of its search


def _search_in_parts(cfg) -> None:
    """Material's search plugin ends the build by writing every page's text as one JSON text (at 20,000 schools
    its entries, that text and its bytes are in memory at once, then split reads it back): its entries go straight
    into the site's search files instead (output/search.py), the same bytes as splitting that file would give."""
    for name, plugin in cfg["plugins"].items():
        if name.endswith("search") and type(plugin).__module__.startswith("material."):
            events = cfg["plugins"].events["post_build"]
            events[:] = [functools.partial(_write_search, plugin) if _owner(m) is plugin else m for m in events]


def _owner(method):
    return getattr(method, "__self__", None)


def _write_search(plugin, *, config) -> None:
    """In place of the search plugin's on_post_build."""
    if not plugin.config.enabled:
        return
    index = plugin.search_index
    search.write(Path(config.site_dir), {key: index.config[key] for key in SEARCH_CONFIG}, index.entries)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def publish(
    project: Project, nav: list, site_name: str, copyright: str, epoch: int | None, allow_code: bool = False
) -> int | None:
    """Build the site into a temporary folder, then put it in place of site/; returns the pages MkDocs took from
    the previous build (None: reuse was off)."""
    tmp = Path(tempfile.mkdtemp(prefix=".site-new-", dir=project.root))
    try:
        reused = mkdocs_build(config(project, nav, site_name, copyright), epoch, tmp, allow_code, reuse=project.cache / REUSE)
        search.split(tmp)
        russian_404(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = project.root / ".site-old"
    shutil.rmtree(old, ignore_errors=True)
    if project.site.exists():
        project.site.rename(old)
    tmp.rename(project.site)
    shutil.rmtree(old, ignore_errors=True)
    return reused

"""MkDocs build into a temporary directory, then a swap into site/: a failed build leaves site/ untouched."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from markupsafe import Markup, escape

from kachestvo.output import search
from kachestvo.paths import Project


class MkDocsFailed(Exception):
    """MkDocs refused to build (strict mode turns warnings into failures); the message lists them."""


def config(project: Project, nav: list, site_name: str, copyright: str, site_dir: Path) -> Path:
    """A generated configuration inheriting the project's mkdocs.yml; only the data-driven keys."""
    project.cache.mkdir(parents=True, exist_ok=True)
    text = {
        "INHERIT": str(project.mkdocs_yml),
        "docs_dir": str(project.build),
        "site_dir": str(site_dir),
        "site_name": str(escape(site_name)),
        "copyright": copyright,
        "nav": [{str(escape(title)): path} for title, path in nav],
    }
    path = project.cache / "mkdocs.generated.yml"
    path.write_text(json.dumps(text, ensure_ascii=False, indent=1), encoding="utf-8")  # JSON is valid YAML
    return path


def mkdocs_build(config_file: Path, epoch: int | None) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        cfg = load_config(config_file=str(config_file), strict=True)
        # site_name holds HTML-escaped text, since Material prints it raw in most places; as Markup, the places
        # that do escape it (`| e` in the logo's title attribute) leave it as it is: escaped exactly once everywhere.
        cfg["site_name"] = Markup(cfg["site_name"])
        build(cfg)
    except (Abort, ConfigurationError, SystemExit) as exc:
        raise MkDocsFailed("\n".join(handler.messages) or str(exc)) from exc
    finally:
        logger.removeHandler(handler)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def publish(project: Project, nav: list, site_name: str, copyright: str, epoch: int | None) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=".site-new-", dir=project.root))
    try:
        mkdocs_build(config(project, nav, site_name, copyright, tmp), epoch)
        search.trim(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = project.root / ".site-old"
    shutil.rmtree(old, ignore_errors=True)
    if project.site.exists():
        project.site.rename(old)
    tmp.rename(project.site)
    shutil.rmtree(old, ignore_errors=True)

"""`kachestvo build`: validate (loads once) → protect → pages (+ charts) → downloads → stage → publish."""

from __future__ import annotations

import calendar

from markupsafe import escape

from kachestvo.dataset import Dataset
from kachestvo.fmt import date
from kachestvo.output import charts, downloads, stage
from kachestvo.output.publish import MkDocsFailed, publish
from kachestvo.pages import generate
from kachestvo.paths import Project
from kachestvo.protect import protect
from kachestvo.validate import validate
from kachestvo.validate.problems import format_text


class BuildFailed(Exception):
    """The site was not built; the previous site/ is untouched. The message says why, in Russian."""


def build(project: Project, log=print) -> None:
    ds, problems = validate(project)
    if problems:
        raise BuildFailed(format_text(problems) + "\nСайт не собран; опубликованный ранее сайт не изменён.")
    site, ctx = pages(project, ds)
    site.assets.update(charts.render_all(site.charts, project.cache / "charts"))
    try:
        stage.stage(project, site.pages, site.assets, project.build)
    except FileExistsError as exc:
        raise BuildFailed(
            f"Файлы в content/ совпадают с генерируемыми: {', '.join(exc.args[0])}. "
            "Переименуйте их: эти страницы создаются из данных."
        ) from exc
    m = ctx.municipality
    name = m.get("site_title") or f"Повышение качества образования — {m['name']}"
    copyright = (
        f"{escape(m['name'])} · данные по состоянию на {escape(date(m['as_of']))} · {escape(m['authority'])}"
        " · сайт собран kachestvo из открытых данных"
    )
    try:
        publish(project, site.nav + _content_pages(project), name, copyright, _epoch(m["as_of"]))
    except MkDocsFailed as exc:
        raise BuildFailed(f"MkDocs не собрал сайт:\n{exc}\nОпубликованный ранее сайт не изменён.") from exc
    log(f"Сайт собран: {project.relative(project.site)} — страниц {len(site.pages)}, графиков {len(site.charts)}.")


def pages(project: Project, ds: Dataset | None = None):
    """Protect and generate: every page and asset of a validated project (loaded unless given), nothing written."""
    if ds is None:
        ds, problems = validate(project)
        if problems:
            raise BuildFailed(format_text(problems))
    safe = protect(ds)
    site, ctx = generate(safe)
    site.assets.update(downloads.files(safe))
    return site, ctx


def _content_pages(project: Project) -> list[tuple[str, str]]:
    """Hand-written top-level pages of content/ join the nav after the generated sections."""
    out = []
    for path in sorted(project.content.glob("*.md")) if project.content.exists() else []:
        if path.name != "index.md":
            first = path.read_text(encoding="utf-8").lstrip().splitlines()[:1]
            title = first[0].lstrip("# ").strip() if first and first[0].startswith("# ") else path.stem
            out.append((title, path.name))
    return out


def _epoch(as_of) -> int:
    return calendar.timegm(as_of.timetuple())

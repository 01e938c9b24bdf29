"""`kachestvo build`: validate (loads once) → protect → pages (+ charts) → downloads → stage → publish.

Unchanged inputs (and tool) skip straight to stage → publish with the cached files (`output/cache.py`)."""

from __future__ import annotations

import calendar
from typing import TYPE_CHECKING

from markupsafe import escape

from kachestvo.fmt import date
from kachestvo.output import cache, stage
from kachestvo.output.publish import MkDocsFailed, publish
from kachestvo.paths import Project
from kachestvo.validate.problems import format_text

if TYPE_CHECKING:
    from kachestvo.dataset import Dataset

# pandas, altair and the page modules are imported only when something is generated: an unchanged rebuild
# (served from the build cache) does not pay for them


class BuildFailed(Exception):
    """The site was not built; the previous site/ is untouched. The message says why, in Russian."""


def build(project: Project, log=print) -> None:
    key = cache.inputs_key(project)
    built = cache.load(project, key)  # unchanged inputs and tool: the previous build's files, nothing regenerated
    if built is None:
        built = _generate(project)
        cache.save(project, key, built)
    try:
        stage.stage(project, {}, built.files, project.build, key)
    except FileExistsError as exc:
        raise BuildFailed(
            f"Файлы в content/ совпадают с генерируемыми: {', '.join(exc.args[0])}. "
            "Переименуйте их: эти страницы создаются из данных."
        ) from exc
    s = built.settings
    try:
        publish(project, built.nav + _content_pages(project), s["name"], s["copyright"], s["epoch"])
    except MkDocsFailed as exc:
        raise BuildFailed(f"MkDocs не собрал сайт:\n{exc}\nОпубликованный ранее сайт не изменён.") from exc
    log(f"Сайт собран: {project.relative(project.site)} — страниц {s['pages']}, графиков {s['charts']}.")


def _generate(project: Project) -> cache.Built:
    """Validate, protect, generate pages, downloads and charts: everything the build stages, in memory."""
    from kachestvo.output import charts
    from kachestvo.validate import validate

    ds, problems = validate(project)
    if problems:
        raise BuildFailed(format_text(problems) + "\nСайт не собран; опубликованный ранее сайт не изменён.")
    site, ctx = pages(project, ds)
    site.assets.update(charts.render_all(site.charts, project.cache / "charts"))
    m = ctx.municipality
    name = m.get("site_title") or f"Повышение качества образования — {m['name']}"
    copyright = (
        f"Данные по состоянию на {escape(date(m['as_of']))} · {escape(m['authority'])} · Сайт собран kachestvo из открытых данных"
    )
    files = {rel: text.encode("utf-8") for rel, text in site.pages.items()} | site.assets
    settings = dict(name=name, copyright=copyright, epoch=_epoch(m["as_of"]), pages=len(site.pages), charts=len(site.charts))
    return cache.Built(files, [tuple(item) for item in site.nav], settings)


def pages(project: Project, ds: Dataset | None = None):
    """Protect and generate: every page and asset of a validated project (loaded unless given), nothing written."""
    from kachestvo.output import downloads
    from kachestvo.pages import generate
    from kachestvo.protect import protect
    from kachestvo.validate import validate

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

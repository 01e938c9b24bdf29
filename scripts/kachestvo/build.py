"""`kachestvo build`: validate (loads once) → protect → pages (+ charts) → downloads → stage → publish.

Unchanged inputs (data, content, configuration, tool and the data's git history) skip straight to stage → publish
with the cached files (`output/cache.py`); when the site in place was published from the same inputs, the same
build commit and the same libraries and is intact (`output/site_record.py`), nothing is done at all."""

from __future__ import annotations

import calendar
import ctypes
import gc
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from kachestvo import config
from kachestvo.fmt import date
from kachestvo.history import History
from kachestvo.output import cache, site_record, stage
from kachestvo.output.publish import MkDocsFailed, publish
from kachestvo.paths import CACHE, Project, committed_cache, shown

if TYPE_CHECKING:
    from kachestvo.dataset import Dataset

# validation, pandas and the page modules are imported only when something is generated: an unchanged
# rebuild (served from the build cache) does not pay for them (tests/test_architecture.py checks it)


class BuildFailed(Exception):
    """The site was not built; the previous site/ is untouched. The message says why, in Russian."""


def build(project: Project, log=print) -> None:
    _outputs_are_folders(project)
    settings = _settings(project)
    history = History.of(project, settings["repository_url"])
    if committed_cache(project.root):
        log(
            f"Предупреждение: папка {CACHE} сохранена в git. Сборка её не читает (кэш из репозитория мог изменить "
            f"кто угодно, кто открыл pull request) и собирает всё заново. Уберите её из git: «git rm -r --cached {CACHE}»."
        )
    key = cache.inputs_key(project, history.fingerprint())
    # the footer names the build commit: a new commit publishes again (pages reused), so the footer is never stale
    footer = _built_from(history)
    site_key = site_record.key(project, key, footer)
    recorded = site_record.in_place(project, site_key)
    if recorded is not None and stage.in_place(project, project.build, key):
        log(
            f"Сайт {shown(project.site)} уже собран из тех же данных, содержимого, настроек, коммита и версий "
            f"инструмента и библиотек и не изменён: пересобирать нечего (страниц {recorded['pages']}, "
            f"графиков {recorded['charts']})."
        )
        return
    built = cache.load(project, key)  # unchanged inputs and tool: the previous build's files, nothing regenerated
    generated = built is None
    if generated:
        built = _generate(project, history, log)
        cache.save(project, key, built)
    try:
        stage.stage(project, built.files, project.build, key, sanitise=not settings["allow_raw_html"])
    except (stage.LinkFound, stage.ContentClash) as exc:  # each with its Russian message
        raise BuildFailed(str(exc)) from exc
    # staged in build/ and saved in the cache: the pages and charts need not stay in memory while MkDocs, which holds
    # every page it renders, builds the site (the peak is the larger of the two, not their sum)
    built.files.clear()
    _release_freed_memory()
    s = built.settings
    # the build commit is not part of the build cache: a commit that leaves the data alone reuses the pages
    copyright = s["copyright"] + footer
    site_record.forget(project)
    try:
        kept = publish(project, built.nav + _content_pages(project), s["name"], copyright, s["epoch"], settings["allow_code"])
    except MkDocsFailed as exc:
        raise BuildFailed(f"MkDocs не собрал сайт:\n{exc}\nОпубликованный ранее сайт не изменён.") from exc
    site_record.remember(project, site_key, s)
    done = f"Сайт собран: {shown(project.site)} — страниц {s['pages']}, графиков {s['charts']}."
    if not generated:
        done += " Данные не менялись: страницы взяты из прошлой сборки."
    elif s.get("reused"):
        done += f" Страниц без изменений, взятых из прошлой сборки: {s['reused']}."
    if kept:
        done += f" Страниц, которые MkDocs взял из прошлой сборки: {kept}."
    log(done)


def _settings(project: Project) -> dict:
    """The configured settings, read before validation (defaults when the block is invalid, which validation reports;
    a descriptor of the wrong shape or size is reported by validation too)."""
    import json

    from kachestvo.limits import Limits

    try:
        if project.datapackage.stat().st_size > Limits().descriptor_mb * 1024 * 1024:
            raise ValueError
        descriptor = json.loads(project.datapackage.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        descriptor = {}
    if not isinstance(descriptor, dict) or config.problems(descriptor):
        descriptor = {}
    return config.settings(descriptor)


def _outputs_are_folders(project: Project) -> None:
    """build/, site/ and the cache are written and replaced whole: as links they would lead the writes elsewhere."""
    links = [p.name for p in (project.build, project.site, project.cache) if p.is_symlink()]
    if links:
        raise BuildFailed(
            f"{', '.join(links)} в папке проекта — символическая ссылка. Сборка пишет в эти папки и заменяет их целиком, "
            "поэтому по ссылкам не работает: удалите ссылку, сборка создаст папку сама. "
            "Опубликованный ранее сайт не изменён."
        )


def _generate(project: Project, history: History, log) -> cache.Built:
    """Validate, protect, generate pages, downloads and charts: everything the build stages, in memory."""
    from kachestvo.output import charts
    from kachestvo.pages.memo import Memo
    from kachestvo.validate import validate
    from kachestvo.validate.problems import errors, format_text

    ds, problems = validate(project)
    if errors(problems):
        raise BuildFailed(format_text(problems, project.prefix()) + "\nСайт не собран; опубликованный ранее сайт не изменён.")
    if problems:
        log(format_text(problems, project.prefix()))
    renderer = charts.Renderer(project.cache / "charts")
    memo = Memo(project.cache / "pages", renderer.cache, cache.tool_fingerprint())
    try:
        # each chart is drawn as its page makes it (output/draw.py, well under a millisecond) unless it is cached
        site, ctx = generate_site(project, ds, history, renderer, memo)
        for chart in site.charts:
            renderer.submit(chart)  # every chart of the site, whoever made it (already submitted ones are skipped)
        for key in site.reused_charts:
            renderer.reuse(key)
        site.assets.update(renderer.collect())
        memo.save()
    finally:
        memo.close()
    m = ctx.municipality
    pages = len(site.pages)
    # each page's text leaves memory as its bytes arrive: at 20,000 schools both at once were half a gigabyte more
    files = {rel: site.pages.pop(rel).encode("utf-8") for rel in list(site.pages)}
    files.update(site.assets)
    settings = dict(
        name=site_name(m),
        copyright=_footer(m),
        epoch=_epoch(m["as_of"]),
        pages=pages,
        charts=len(site.charts) + len(site.reused_charts),
        reused=len(memo.reused),
    )
    return cache.Built(files, [tuple(item) for item in site.nav], settings)


def _release_freed_memory() -> None:
    """Hand the memory the generation freed back to the system before MkDocs starts: glibc keeps it in its arenas,
    where MkDocs' many page-sized objects reuse it only in part (a region's peak is what a CI runner must hold)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to hand back this way
        pass


def _footer(m: dict) -> str:
    """The footer's data line (HTML): the municipality, its «as of» date (marked when inferred), the authority."""
    as_of = ""
    if m["as_of"]:
        as_of = f"данные по состоянию на {escape(date(m['as_of']))}" + (" (по косвенным данным)" if m.get("inferred") else "")
    bits = [escape(m["name"] or ""), as_of, escape(m["authority"] or "")]
    # the generator's name is left out of the printed footer (kachestvo.css), which must fit every page's margin
    generator = '<span class="kq-generator">сайт собран kachestvo из открытых данных · </span>'
    return " · ".join([b for b in bits if b] + [generator])


def generate_site(project: Project, ds: Dataset | None = None, history: History | None = None, renderer=None, memo=None):
    """Protect and generate: every page, asset and download of a validated project (loaded unless given), nothing
    written.

    With a `history` every page ends with its data's git history (the build passes one; snapshots and diffs do not);
    with a `renderer` (output.charts.Renderer) each chart is drawn (or taken from the cache) as it is made; with a `memo`
    (pages.memo.Memo) school and section pages whose inputs did not change are taken from the previous build.
    """
    from kachestvo.output import downloads
    from kachestvo.pages import generate
    from kachestvo.protect import protect
    from kachestvo.validate import validate
    from kachestvo.validate.problems import errors, format_text

    if ds is None:
        ds, problems = validate(project)
        if errors(problems):
            raise BuildFailed(format_text(problems))
    safe = protect(ds)
    workbook = downloads.Workbook(safe)  # a region's data.xlsx is written in another process meanwhile
    try:
        site, ctx = generate(safe, history, renderer, memo)
        site.assets.update(downloads.files(safe, workbook))
    finally:
        workbook.close()
    return site, ctx


def _built_from(history: History) -> str:
    """The footer's build line: the site's version (the commit, linked when the repository's URL is configured),
    or why there is none — in a reader's words."""
    if history.commit is None:
        return "сборка без истории изменений"
    url = history.commit_url()
    if url:
        return str(Markup('версия сайта <a href="{}"><code>{}</code></a>').format(url, history.short))
    return str(Markup("версия сайта <code>{}</code>").format(history.short))


def _content_pages(project: Project) -> list[tuple[str, str]]:
    """Hand-written top-level pages of content/ join the nav after the generated sections."""
    out = []
    for path in sorted(project.content.glob("*.md")) if project.content.exists() else []:
        if path.name != "index.md" and path.is_file():
            first = path.read_text(encoding="utf-8").lstrip().splitlines()[:1]
            title = first[0].lstrip("# ").strip() if first and first[0].startswith("# ") else path.stem
            out.append((title, path.name))
    return out


def site_name(m: dict) -> str:
    """The site's name as people read it (raw text; publish escapes it once): the configured title, else the
    section's name with the municipality's."""
    base = "Повышение качества образования"
    return m["site_title"] or (f"{base} — {m['name']}" if m["name"] else base)


def _epoch(as_of) -> int:
    """Timestamps inside the site (sitemap, archives) come from the «as of» date, so rebuilds are identical."""
    return max(0, calendar.timegm(as_of.timetuple())) if as_of is not None else 0  # no timestamp before 1970

"""Документы: the registry of source documents, and one page per document: its files with checksums, every
figure and page of the site that cites it, and its transcription readable as a page (UTF-8 declared by MkDocs)."""

from __future__ import annotations

from markupsafe import Markup

from kachestvo import transcript
from kachestvo.escape import doc_href, href, text
from kachestvo.fmt import date_short
from kachestvo.pages import table
from kachestvo.pages.context import Context, inferred_mark
from kachestvo.pages.render import page, root_of, section_page
from kachestvo.pages.section import ALL, HOME, Section
from kachestvo.pages.table import Column, Table, spill


def build(ctx: Context, site, env, section: Section) -> None:
    ds = ctx.ds
    root = root_of(section.path)
    cited = ctx.cited()
    documents = ds["documents"].sort_values(["date", "document_id"], na_position="last")
    for d in documents.itertuples():
        _document_page(ctx, site, env, d, cited.get(d.document_id, {"figures": [], "pages": []}))
    registry = Table(
        [
            Column("Вид", lambda d: text(d.type)),
            Column("Номер", lambda d: text(d.number)),
            Column("Дата", lambda d: date_short(d.date)),
            Column("Кто издал", lambda d: text(d.issuer)),
            Column("Название", lambda d: Markup('<a href="{}dokumenty/{}/">{}</a>').format(root, d.document_id, d.title)),
            Column("Ссылки", lambda d: Markup(", ").join(link for _, link, _ in _files(d, root))),
            Column(
                "SHA-256",
                lambda d: Markup("<br>").join(  # each checksum named by its file: a document may have two
                    Markup('{}: <code class="kq-hash">{}</code>').format(kind, h) for kind, _, h in _files(d, root) if h
                ),
            ),
            Column("Примечание", lambda d: text(d.note)),
        ],
        documents.itertuples(),
        attrs=lambda d: {"id": d.document_id},
        caption="Реестр документов",
        cls="kq-documents",
    )
    section_page(site, env, section, registry=registry)


def transcription_path(d) -> str | None:
    """The document's readable text: its transcription, or a .txt given as its only file (older projects)."""
    if doc_href(d.transcription):
        return d.transcription
    return d.file if doc_href(d.file) and d.file.endswith(".txt") else None


def _files(d, root: str) -> list[tuple[str, Markup, str | None]]:
    """(kind, link, sha256) of each file of a document: the original, the transcription, the address online."""
    out = []
    if doc_href(d.file):
        kind = "расшифровка (.txt)" if d.file == transcription_path(d) else "оригинал"
        out.append((kind, Markup('<a href="{}{}" download>{}</a>').format(root, doc_href(d.file), kind), d.sha256))
    if doc_href(d.transcription):
        link = Markup('<a href="{}{}" download>расшифровка (.txt)</a>').format(root, doc_href(d.transcription))
        out.append(("расшифровка (.txt)", link, d.transcription_sha256))
    if href(d.url):
        out.append(("в интернете", Markup('<a href="{}" rel="nofollow noopener">в интернете</a>').format(href(d.url)), None))
    return out


def _document_page(ctx: Context, site, env, d, cited: dict) -> None:
    path = f"dokumenty/{d.document_id}.md"
    root = root_of(path)
    readable = transcription_path(d)
    body = None
    if readable:
        source = ctx.ds.project.content / readable
        body = source.read_bytes().removeprefix(transcript.BOM).decode("utf-8", errors="replace") if source.is_file() else None
    page(
        site,
        env,
        path,
        "document.md.j2",
        f"data/documents.csv (document_id = {d.document_id})",
        inputs=ALL,  # the page lists figures of every table that cites the document
        doc=d,
        label=ctx.docs[d.document_id]["label"],
        date=date_short(d.date),
        files=Table(
            [
                Column("Файл", lambda f: f[1]),
                Column("SHA-256", lambda f: Markup('<code class="kq-hash">{}</code>').format(f[2]) if f[2] else ""),
            ],
            _files(d, root),
            caption="Файлы документа",
            cls="kq-documents",
        ),
        **_citing_pages(ctx, site, d.document_id, cited["pages"], root),
        figures=spill(
            site,
            Table(
                [
                    Column("Раздел", lambda f: text(f.group)),
                    Column("Что", lambda f: text(f.what)),
                    Column("На сайте", lambda f: text(f.shown) + inferred_mark({"inferred": f.inferred})),
                ],
                cited["figures"],
                caption="Цифры, источник которых — этот документ",
                sortable=True,
            ),
            f"dokumenty/{d.document_id}-cifry.csv",
            root,
            noun="цифра",
        ),
        transcription=None if body is None else transcript.for_page(body),
    )


def _citing_pages(ctx: Context, site, document_id: str, paths: list[str], root: str) -> dict:
    """The pages citing the document as links; in a region, school pages beyond ROWS_ON_PAGE go to a CSV."""
    schools = [p for p in paths if _school_of(p)]
    if len(schools) <= table.ROWS_ON_PAGE:
        return dict(pages=[_page_link(ctx, p, root) for p in paths], school_pages=None)
    listed = Table(
        [
            Column("Школа", lambda p: ctx.school_link(_school_of(p), root)),
            Column("Страница (путь от корня сайта)", lambda p: p[: -len(".md")] + "/"),
        ],
        schools,
        caption="Школы, на страницах которых есть ссылка на документ",
    )
    return dict(
        pages=[_page_link(ctx, p, root) for p in paths if not _school_of(p)],
        school_pages=spill(site, listed, f"dokumenty/{document_id}-stranitsy.csv", root, noun="школа"),
    )


def _school_of(path: str) -> str | None:
    """The school of a school page's path (shkoly/<id>.md), else None."""
    if path.startswith("shkoly/") and path.count("/") == 1 and path != "shkoly/index.md":
        return path[len("shkoly/") : -len(".md")]
    return None


def _page_link(ctx: Context, path: str, root: str) -> Markup:
    if path == HOME:
        return Markup('<a href="{}">Главная</a>').format(root)
    if _school_of(path):
        return ctx.school_link(_school_of(path), root)
    section = next(s for s in ctx.sections if s.path == path)
    return Markup('<a href="{}{}/">{}</a>').format(root, section.slug, section.title)


SECTION = Section(
    "dokumenty",
    "Документы",
    "приказы, протоколы и программы: файлы с контрольными суммами, расшифровки и где на них ссылаются",
    ("documents",),
    "documents.md.j2",
    build,
)

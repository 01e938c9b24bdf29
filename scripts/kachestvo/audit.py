"""`kachestvo audit`: whether every published figure and every citation leads to a document whose file is the one
recorded, in Russian.

Errors fail the audit (exit 1): a published figure without a source, a row of any table citing a document that is
not in the registry, a document's file that is missing or whose sha256 differs from the recorded one (or is not
recorded). Warnings are reported and fail only with `--strict`: a transcription standing without its original, a
document with neither an original nor an address online, a programme citing no document (its roadmap stands on it),
rows of other tables citing none. Documents nothing cites are listed for the auditor. Each check is one small
function yielding Findings; every value printed is one line with workflow commands neutralised, so a CI log reads it
as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from kachestvo import checksum, figures, fmt, schemas, transcript
from kachestvo.dataset import LINE
from kachestvo.escape import doc_href, href, is_missing
from kachestvo.paths import Project

# (path column, checksum column, Russian name) of each file a document may have.
FILES = (("file", "sha256", "файл"), ("transcription", "transcription_sha256", "расшифровка"))
# A file with one of these endings is a text someone typed or recognised, never the original document.
TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")
ERROR, WARNING = "error", "warning"


class AuditFailed(Exception):
    """The project could not be read at all; the message says why."""


@dataclass(frozen=True)
class Finding:
    """One thing the audit found: what is wrong, where (file, CSV line) and which document."""

    severity: str  # ERROR or WARNING
    code: str
    where: str  # data/TABLE.csv, строка N — or content/PATH
    document_id: str
    message: str


@dataclass
class Report:
    unsourced: list[figures.Figure] = field(default_factory=list)  # published figures without document_id
    findings: list[Finding] = field(default_factory=list)
    uncited: list[str] = field(default_factory=list)  # document_id nothing refers to
    inferred: list[str] = field(default_factory=list)  # «data/t.csv, строка N: reason» — values the source does not state
    figures: int = 0
    documents: int = 0

    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.unsourced or self.errors() or (strict and self.warnings()))


def audit(project: Project) -> Report:
    from kachestvo.protect import protect
    from kachestvo.validate import validate

    ds, problems = validate(project)
    if ds is None:
        raise AuditFailed("данные проекта не читаются: сначала исправьте ошибки, которые показывает «kachestvo validate».")
    ds = protect(ds)
    report = Report()
    published = [f for f in figures.published(ds) if f.figure]
    report.figures = len(published)
    report.unsourced = [f for f in published if not f.document_id]
    docs = registry(ds)
    report.documents = len(docs)
    checks = (unknown_citations(ds, docs), document_files(project, docs), document_sources(docs), transcriptions(project, docs))
    for check in (*checks, programme_sources(ds), rows_without_source(ds, report.unsourced), hidden_values(problems)):
        report.findings.extend(check)
    cited = {doc_id for _, _, doc_id, _ in citations(ds)}
    report.uncited = sorted(doc_id for doc_id in docs if doc_id not in cited)
    report.inferred = _inferred(ds)
    return report


def _inferred(ds) -> list[str]:
    """Rows whose year, date or result is inferred (the «inferred» column says why): counted, not failed."""
    out = []
    for table in ds.present:
        if "inferred" in schemas.field_names(table):
            rows = ds[table][ds[table]["inferred"].notna()]
            out += [f"data/{table}.csv, строка {r[LINE]}: {r['inferred']}" for _, r in rows.iterrows()]
    return out


def registry(ds) -> dict[str, dict]:
    """document_id → its row of documents.csv (missing cells as None)."""
    rows = ds["documents"].to_dict("records")
    return {r["document_id"]: {k: (None if is_missing(v) else v) for k, v in r.items()} for r in rows if r["document_id"]}


def citing_tables() -> list[str]:
    """Every table with a column citing a document (documents itself excepted): the audit covers them all."""
    return [t for t in schemas.table_names() if t != "documents" and schemas.document_columns(t)]


def citations(ds) -> Iterator[tuple[str, int | None, str, str]]:
    """(table, CSV line, document_id, column) for every cell of every table that cites a document."""
    for table in citing_tables():
        if not ds.has(table):
            continue
        frame = ds[table]
        for column in schemas.document_columns(table):
            if column not in frame:
                continue
            for doc_id, line in zip(frame[column], frame[LINE]):
                if _cites(doc_id):
                    yield table, _line(line), str(doc_id), column


def unknown_citations(ds, docs: dict[str, dict]) -> Iterator[Finding]:
    """A row cites a document that the registry (documents.csv) does not hold."""
    for table, line, doc_id, column in citations(ds):
        if doc_id not in docs:
            where = f"data/{table}.csv" + (f", строка {line}" if line else "")
            title = schemas.field(table, column).get("title", column)
            yield Finding(
                ERROR,
                "unknown-document",
                where,
                doc_id,
                f"ссылка на документ «{doc_id}», которого нет в data/documents.csv (столбец «{title}»): добавьте "
                "документ в реестр или исправьте идентификатор.",
            )


def _cites(value) -> bool:
    return not is_missing(value) and bool(str(value).strip())


def _line(value) -> int | None:
    return None if is_missing(value) else int(value)


def citing_nothing(ds, table: str):
    """The rows of a table that cite no document in any of its document columns."""
    frame = ds[table]
    return frame[~frame[schemas.document_columns(table)].apply(lambda column: column.map(_cites)).any(axis=1)]


def programme_sources(ds) -> Iterator[Finding]:
    """Warning: a programme citing no document. Its tasks and roadmap cite none themselves (a roadmap item stands on
    its programme's document), so they are published without a source too."""
    tasks, roadmap = ds["tasks"], ds["roadmap"]
    for p in citing_nothing(ds, "programmes").to_dict("records"):
        own = list(tasks["task_id"][tasks["programme_id"] == p["programme_id"]])
        items = int(roadmap["task_id"].isin(own).sum())
        what = f"её задачи ({len(own)}) и дорожная карта ({fmt.plural(items, 'пункт')})" if own else "её название и сроки"
        line = _line(p[LINE])
        yield Finding(
            WARNING,
            "programme-unsourced",
            "data/programmes.csv" + (f", строка {line}" if line else ""),
            "",
            f"программа «{p['programme_id']}» не называет документ-источник: {what} опубликованы без источника. "
            "Укажите документ, из которого они взяты, в столбце «Документ-источник» (document_id), а утвердивший "
            "программу — в «Утверждающий документ» (approved_by).",
        )


# Tables whose rows need no document of their own: terms the tool explains itself; a programme (its own warning).
SOURCE_OPTIONAL = ("glossary", "programmes")


def _first_lines(lines: list[int | None], shown: int = 10) -> str:
    """«2, 3, 4 и ещё 12»: the first CSV lines of a list."""
    return ", ".join(str(n) for n in lines[:shown] if n) + (f" и ещё {len(lines) - shown}" if len(lines) > shown else "")


def rows_without_source(ds, unsourced: list[figures.Figure]) -> Iterator[Finding]:
    """Warning, one per table: rows citing no document (activities, decisions, meetings, events…) are published
    without a source. Published figures without one are errors already (`unsourced`) and are not repeated."""
    errors = {(f.table, f.line) for f in unsourced}
    for table in (t for t in citing_tables() if t not in SOURCE_OPTIONAL):
        lines = [n for n in map(_line, citing_nothing(ds, table)[LINE]) if (table, n) not in errors]
        if not lines:
            continue
        shown = _first_lines(lines)
        yield Finding(
            WARNING,
            "row-unsourced",
            f"data/{table}.csv",
            "",
            f"строки таблицы «{schemas.schema(table).get('title', table)}» без документа-источника: {len(lines)} (строки "
            f"CSV: {shown}) — на сайте они опубликованы без источника. Укажите документ в столбце «Документ-источник» "
            "(document_id).",
        )


def document_files(project: Project, docs: dict[str, dict]) -> Iterator[Finding]:
    """Each recorded file of each document exists and has the recorded sha256."""
    for doc_id, d in docs.items():
        for column, recorded, kind in FILES:
            if d.get(column):
                yield from file_findings(project, doc_id, kind, str(d[column]), d.get(recorded))


def file_findings(project: Project, doc_id: str, kind: str, path: str, recorded) -> Iterator[Finding]:
    where = f"content/{path}"
    target = project.content / path
    if not doc_href(path) or not target.is_file():
        missing = "не найдена" if kind.endswith("а") else "не найден"  # «файл … не найден», «расшифровка … не найдена»
        yield Finding(ERROR, "file-missing", where, doc_id, f"{kind} документа «{doc_id}» {missing}: {where}.")
        return
    actual = checksum.of_file(target)
    if not recorded:
        yield Finding(
            ERROR,
            "checksum-missing",
            where,
            doc_id,
            f"у файла ({kind}) документа «{doc_id}» не записана контрольная сумма; сумма файла сейчас {actual}.",
        )
    elif actual != recorded:
        yield Finding(
            ERROR,
            "checksum-mismatch",
            where,
            doc_id,
            f"контрольная сумма не совпадает ({kind} документа «{doc_id}»): записана {recorded}, у файла {actual}. "
            "Файл изменён или подменён; если замена законна, запишите новую сумму в data/documents.csv.",
        )


def is_original(path: str | None) -> bool:
    """A file that can be the document itself (PDF, scan, office file), not a typed or recognised text."""
    return bool(path) and PurePosixPath(str(path)).suffix.lower() not in TEXT_SUFFIXES


def document_sources(docs: dict[str, dict]) -> Iterator[Finding]:
    """Warnings: a transcription without its original; a document with neither an original nor an address."""
    for doc_id, d in docs.items():
        row = "data/documents.csv" + (f", строка {d[LINE]}" if d.get(LINE) else "")
        original = is_original(d.get("file"))
        text = d.get("transcription") or (d.get("file") if d.get("file") and not original else None)
        if text and not original:
            yield Finding(
                WARNING,
                "transcription-only",
                f"content/{text}",
                doc_id,
                f"у документа «{doc_id}» есть только расшифровка ({text}), оригинал не приложен: приложите скан "
                "или PDF (столбцы «file» и «sha256») или укажите адрес оригинала в столбце «url».",
            )
        if not original and not href(d.get("url")):
            yield Finding(
                WARNING,
                "no-original",
                row,
                doc_id,
                f"у документа «{doc_id}» нет ни оригинала, ни адреса в интернете: проверить цифры по первоисточнику нельзя.",
            )


def hidden_values(problems) -> Iterator[Finding]:
    """Validation's warning that a value the site hides stands on its school's row in a published document."""
    for p in problems:
        if p.code == "suppressed-in-document":
            where = p.file + (f", строка {p.row}" if p.row else "")
            document = p.message.split("документа «", 1)[1].split("»", 1)[0] if "документа «" in p.message else ""
            yield Finding(WARNING, p.code, where, document, p.message)


def transcriptions(project: Project, docs: dict[str, dict]) -> Iterator[Finding]:
    """Warnings on each text file of a document: HTML tags left in it, OCR noise not marked «[не распознано: …]»,
    no UTF-8 byte order mark (a server that names no charset makes browsers show it garbled)."""
    for doc_id, d in docs.items():
        for path in dict.fromkeys(p for p in (d.get("transcription"), d.get("file")) if p and not is_original(p)):
            target = project.content / str(path)
            if not doc_href(path) or not target.is_file():
                continue  # document_files reports it
            data = target.read_bytes()
            try:
                text = transcript.read(data)
            except UnicodeDecodeError:
                yield Finding(WARNING, "transcription-encoding", f"content/{path}", doc_id, "файл не в кодировке UTF-8.")
                continue
            yield from _text_findings(f"content/{path}", doc_id, data, text)


def _text_findings(where: str, doc_id: str, data: bytes, text: str) -> Iterator[Finding]:
    tags = transcript.markup(text)
    if tags:
        shown = ", ".join(f"строка {n}: {tag}" for n, tag in tags[:3])
        yield Finding(
            WARNING,
            "transcription-markup",
            where,
            doc_id,
            f"в расшифровке документа «{doc_id}» остались теги HTML ({len(tags)}; {shown}): уберите их — расшифровка "
            "публикуется как текст.",
        )
    noise = transcript.unrecognised(text)
    if noise:
        shown = "; ".join(f"строка {n}: «{fragment}»" for n, fragment in noise[:3])
        yield Finding(
            WARNING,
            "transcription-unrecognised",
            where,
            doc_id,
            f"в расшифровке документа «{doc_id}» похоже на нераспознанный текст ({len(noise)}; {shown}): сверьте с "
            "оригиналом и исправьте или пометьте «[не распознано: …]» — на сайте такой фрагмент показан как пропуск.",
        )
    if not transcript.has_bom(data):
        yield Finding(
            WARNING,
            "transcription-charset",
            where,
            doc_id,
            "у файла нет метки UTF-8 (BOM): сервер, не называющий кодировку, покажет его браузеру «кракозябрами». "
            "Сохраните файл как «UTF-8 с BOM» и запишите его новую контрольную сумму (она считается по всем байтам "
            "файла, метка входит).",
        )


# ---- output ---------------------------------------------------------------------------------------------------

# Line and paragraph separators, and every other control character, would let a value start a line of its own.
_BREAKS = {ord(c): " ⏎ " for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}


def one_line(value: object) -> str:
    """A value from data as one line of log text: line breaks shown as ⏎, other control characters dropped."""
    text = str(value).translate(_BREAKS)
    return "".join(c for c in text if c >= " " or c == "\t")


def neutral(line: str) -> str:
    """A log line GitHub Actions cannot read as a workflow command («::cmd::» after any indent, or «##[cmd]»)."""
    if line.lstrip().startswith("::") or "##[" in line:
        return "› " + line.replace("##[", "#\u2060#[")
    return line


def format_text(report: Report, where: str, strict: bool = False) -> str:
    lines = [
        f"Аудит источников {one_line(where)}: опубликованных цифр — {report.figures}, документов в реестре — "
        f"{report.documents}, таблиц со ссылками на документы проверено — {len(citing_tables())}.",
        "",
    ]

    def section(title: str, items: list[str]) -> None:
        if items:
            lines.extend([""] if lines[-1] else [])
            lines.append(f"{title}: {len(items)}.")
            lines.extend(f"  {one_line(item)}" for item in items)
            lines.append("")
        else:
            lines.append(f"{title}: нет.")

    section(
        "Цифры без документа-источника",
        [f"data/{f.table}.csv, строка {f.line}: {f.what} = {f.shown}" for f in report.unsourced],
    )
    section("Ошибки", [f"{f.where}: {f.message}" for f in report.errors()])
    section("Предупреждения", [f"{f.where}: {f.message}" for f in report.warnings()])
    section("Документы, на которые ничто не ссылается", [f"«{d}»" for d in report.uncited])
    section("Значения по косвенным данным (на сайте помечены)", report.inferred)
    lines.append(_verdict(report, strict))
    return "\n".join(neutral(line) for line in lines)


def _verdict(report: Report, strict: bool) -> str:
    problems = len(report.unsourced) + len(report.errors())
    warnings = len(report.warnings())
    if problems:
        return (
            f"Аудит не пройден: {fmt.plural(problems, 'ошибка')} (см. выше: цифры без источника, ссылки на документы "
            "не из реестра, отсутствующие файлы, неверные контрольные суммы). Исправьте и запустите «kachestvo audit» снова."
        )
    if strict and warnings:
        return f"Аудит не пройден в строгом режиме (--strict): {fmt.plural(warnings, 'предупреждение')}."
    tail = f"; предупреждений — {warnings}, проверьте их" if warnings else ""
    return "Аудит пройден: у каждой опубликованной цифры есть документ-источник, файлы документов на месте и совпадают " + (
        f"с контрольными суммами{tail}."
    )

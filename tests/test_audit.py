"""`kachestvo audit`: tampering fails it (checksum, deleted file, citation of a document not in the registry, in every
table that cites documents); warnings fail only with --strict; a value can never start a workflow command in a log."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PROJECTS, base_tables, copy_project, each_example, write_project
from kachestvo import audit as audit_module
from kachestvo.cli import main
from kachestvo.paths import Project

PDF = "documents/protokol-2021-05-20.pdf"


@pytest.mark.parametrize("name", each_example())
def test_examples_pass_the_audit(name, capsys):
    assert main(["audit", "--project", str(PROJECTS[name])]) == 0
    out = capsys.readouterr().out
    assert "Аудит пройден" in out and "Цифры без документа-источника: нет." in out and "Ошибки: нет." in out


def test_the_example_with_an_original_passes_strict_and_one_without_does_not(capsys):
    assert main(["audit", "--strict", "--project", str(PROJECTS["kotelnikovsky"])]) == 0
    assert "Предупреждения: нет." in capsys.readouterr().out
    assert main(["audit", "--strict", "--project", str(PROJECTS["irbit"])]) == 1
    out = capsys.readouterr().out
    assert "есть только расшифровка" in out and "Аудит не пройден в строгом режиме (--strict): 2\u00a0предупреждения" in out


def test_example_original_is_the_recorded_pdf_marked_as_made_from_the_transcription():
    project = Project.at(PROJECTS["kotelnikovsky"])
    row = next(csv.DictReader((project.data / "documents.csv").open(encoding="utf-8", newline="")))
    pdf = (project.content / PDF).read_bytes()
    assert row["file"] == PDF and pdf.startswith(b"%PDF-") and hashlib.sha256(pdf).hexdigest() == row["sha256"]
    assert "изготовлен из расшифровки" in row["note"] and "не скан оригинала" in row["note"]


def _copy(tmp_path, name: str = "kotelnikovsky") -> Project:
    return copy_project(name, tmp_path / name)


def test_changed_file_fails_naming_file_and_document(tmp_path, capsys):
    project = _copy(tmp_path)
    target = project.content / PDF
    target.write_bytes(target.read_bytes() + b"\n% tampered\n")
    assert main(["audit", "--project", str(project.root)]) == 1
    out = capsys.readouterr().out
    assert f"content/{PDF}: контрольная сумма не совпадает (файл документа «protokol-2021-05-20»)" in out
    assert hashlib.sha256(target.read_bytes()).hexdigest() in out and "Аудит не пройден" in out


def test_deleted_cited_file_fails_naming_file_and_document(tmp_path, capsys):
    project = _copy(tmp_path)
    (project.content / "documents" / "protokol-2021-05-20.txt").unlink()
    assert main(["audit", "--project", str(project.root)]) == 1
    out = capsys.readouterr().out
    assert "content/documents/protokol-2021-05-20.txt: расшифровка документа «protokol-2021-05-20» не найдена:" in out
    (project.content / PDF).unlink()
    assert main(["audit", "--project", str(project.root)]) == 1
    assert f"content/{PDF}: файл документа «protokol-2021-05-20» не найден: content/{PDF}." in capsys.readouterr().out


def _set_cells(path, column: str, value: str) -> list[int]:
    """Set `column` to `value` in every row where it is filled; the CSV lines (header = 1) changed."""
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    i = rows[0].index(column)
    lines = []
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(rows[0])
    for r in rows[1:]:
        if r and r[i]:
            r[i] = value
            lines.append(out.getvalue().count("\n") + 1)  # a value with a line break makes a record span lines
        w.writerow(r)
    path.write_text(out.getvalue(), encoding="utf-8")
    return lines


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_citing_a_missing_document_fails_in_every_table(name, tmp_path, capsys):
    """Every column of the example that cites a document (document_id, a programme's approved_by): each citing row is
    named with its file and line."""
    project = _copy(tmp_path, name)
    changed = {}
    for table, column in _citing_columns():
        path = project.data / f"{table}.csv"
        if path.exists():
            changed[table, column] = _set_cells(path, column, "net-takogo")
    changed = {k: lines for k, lines in changed.items() if lines}
    assert changed, "the example cites documents"
    assert main(["audit", "--project", str(project.root)]) == 1
    out = capsys.readouterr().out
    for (table, _), lines in changed.items():
        for line in lines:
            assert f"data/{table}.csv, строка {line}: ссылка на документ «net-takogo», которого нет" in out, (table, line)


def _citing_columns() -> set[tuple[str, str]]:
    """(table, column) of every foreign key of the schemas that points at documents.csv: the oracle for coverage."""
    from kachestvo import schemas

    return {
        (t, fk["fields"][0])
        for t in schemas.table_names()
        for fk in schemas.schema(t).get("foreignKeys", [])
        if fk["reference"]["resource"] == "documents"
    }


def test_tables_covered_are_every_schema_column_citing_a_document():
    from kachestvo import schemas

    expected = _citing_columns()
    assert {(t, c) for t in audit_module.citing_tables() for c in schemas.document_columns(t)} == expected
    tables = {t for t, _ in expected}
    assert {t for t in schemas.table_names() if "document_id" in schemas.field_names(t)} - {"documents"} <= tables
    assert {"decisions", "events", "programmes", "activities", "meetings", "results"} <= tables
    assert ("programmes", "approved_by") in expected


def test_a_programme_approved_by_a_missing_document_fails_and_one_approved_by_a_document_cites_it(tmp_path, capsys):
    """The programme page links the document that approved the programme: a dangling approved_by fails the audit, and
    a document cited only there is not listed as cited by nothing."""
    project = _copy(tmp_path, "tyazhinsky")
    path = project.data / "programmes.csv"
    original = path.read_text(encoding="utf-8")
    [line] = _set_cells(path, "approved_by", "net-takogo")
    assert main(["audit", "--project", str(project.root)]) == 1
    out = capsys.readouterr().out
    assert f"data/programmes.csv, строка {line}: ссылка на документ «net-takogo», которого нет" in out
    assert "столбец «Утверждающий документ»" in out
    path.write_text(original, encoding="utf-8")
    _set_cells(path, "document_id", "")  # the approving document is now cited by approved_by alone
    main(["audit", "--project", str(project.root)])
    out = capsys.readouterr().out
    approving = next(csv.DictReader(io.StringIO(original, newline="")))["approved_by"]
    assert approving and f"«{approving}»" not in out.split("Документы, на которые ничто не ссылается")[1].split("\n\n")[0]


def _sourced() -> dict[str, list[dict]]:
    """The small project with every row of every table that should cite a document citing one."""
    tables = base_tables()
    for name in set(audit_module.citing_tables()) - set(audit_module.SOURCE_OPTIONAL):
        for row in tables.get(name, []):
            row["document_id"] = "prikaz-1"
    return tables


def test_unsourced_figure_and_document_gaps(tmp_path, capsys):
    tables = _sourced()
    tables["results"][0]["document_id"] = ""  # alpha, ОГЭ 2019: 3,5 without a source
    tables["documents"].append(dict(tables["documents"][0], document_id="pismo-2", file="", sha256="", transcription=""))
    project = write_project(tmp_path, tables)
    assert main(["audit", "--project", str(project.root)]) == 1
    out = capsys.readouterr().out
    assert "Цифры без документа-источника: 1." in out
    assert "data/results.csv, строка 2: Альфа СОШ (alpha) · ОГЭ · 9 · Математика · 2019 · средняя оценка = 3,5" in out
    assert "data/documents.csv, строка 3: у документа «pismo-2» нет ни оригинала, ни адреса в интернете" in out
    assert "content/documents/prikaz-1.txt: у документа «prikaz-1» есть только расшифровка" in out
    assert "Документы, на которые ничто не ссылается: 1.\n  «pismo-2»" in out


def test_warnings_alone_pass_and_fail_with_strict(tmp_path, capsys):
    tables = _sourced()
    tables["documents"][0]["url"] = "https://example.org/prikaz-1.pdf"  # an address of the original: no «no-original»
    project = write_project(tmp_path, tables)
    assert main(["audit", "--project", str(project.root)]) == 0
    out = capsys.readouterr().out
    assert "Предупреждения: 2." in out and "нет ни оригинала" not in out and "Аудит пройден" in out
    assert "есть только расшифровка" in out and "нет метки UTF-8 (BOM)" in out
    assert main(["audit", "--strict", "--project", str(project.root)]) == 1


def test_line_break_in_a_value_never_starts_a_workflow_command(tmp_path, capsys):
    tables = _sourced()
    tables["activities"][0]["document_id"] = "x\n::error file=a.py::подделка\n  ::set-output name=a::b\r##[error]c"
    project = write_project(tmp_path, tables)
    main(["audit", "--project", str(project.root)])
    out = capsys.readouterr().out
    assert "подделка" in out  # the value is shown, as text
    assert not [line for line in out.splitlines() if line.lstrip().startswith("::") or "##[" in line]


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text())
def test_no_value_makes_a_log_line_a_command(where, message):
    finding = audit_module.Finding(audit_module.ERROR, "x", where, "d", message)
    report = audit_module.Report(findings=[finding], uncited=[message])
    out = audit_module.format_text(report, where)
    for line in out.splitlines():
        assert not line.lstrip().startswith("::") and "##[" not in line
    plain = audit_module.format_text(audit_module.Report(findings=[finding], uncited=["x"]), "x")
    assert len(out.splitlines()) == len(plain.splitlines())  # a value never adds a line of its own


def test_a_programme_without_a_source_document_is_a_warning_naming_what_it_leaves_unsourced(tmp_path, capsys):
    """A roadmap cites no document itself: its items stand on their programme's document. A programme citing none
    (neither document_id nor approved_by) publishes its tasks and roadmap without a source: a warning that counts them."""
    project = _copy(tmp_path, "tyazhinsky")
    path = project.data / "programmes.csv"
    _set_cells(path, "document_id", "")
    _set_cells(path, "approved_by", "")
    [programme] = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    tasks = [r["task_id"] for r in csv.DictReader((project.data / "tasks.csv").open(encoding="utf-8", newline=""))]
    roadmap = [
        r for r in csv.DictReader((project.data / "roadmap.csv").open(encoding="utf-8", newline="")) if r["task_id"] in tasks
    ]
    assert roadmap
    assert main(["audit", "--project", str(project.root)]) == 0  # a warning: the audit passes, --strict fails
    out = capsys.readouterr().out
    expected = (
        f"data/programmes.csv, строка 2: программа «{programme['programme_id']}» не называет документ-источник: "
        f"её задачи ({len(tasks)}) и дорожная карта ({len(roadmap)}\u00a0пунктов) опубликованы без источника"
    )
    assert expected in out, out
    assert main(["audit", "--strict", "--project", str(project.root)]) == 1


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_every_example_programme_names_its_source(name, capsys):
    main(["audit", "--project", str(PROJECTS[name])])
    assert "не называет документ-источник" not in capsys.readouterr().out


def test_rows_citing_no_document_are_a_warning_per_table_and_figures_stay_errors(tmp_path, capsys):
    """Decisions and activities without a document are published without a source: one warning per table naming its
    CSV lines. A published figure without one is an error, listed once (not again among the warnings)."""
    project = _copy(tmp_path)
    decisions = _set_cells(project.data / "decisions.csv", "document_id", "")
    results = _set_cells(project.data / "results.csv", "document_id", "")
    assert decisions and results
    assert main(["audit", "--project", str(project.root)]) == 1  # the results: errors
    out = capsys.readouterr().out
    assert "data/decisions.csv: строки таблицы «Решения» без документа-источника: " in out, out
    assert f": {len(decisions)} (строки CSV: {', '.join(map(str, decisions[:10]))}" in out
    assert "строки таблицы «Результаты" not in out and f"Цифры без документа-источника: {len(results)}." in out
    (project.data / "results.csv").write_text((PROJECTS["kotelnikovsky"] / "data" / "results.csv").read_text("utf-8"), "utf-8")
    assert main(["audit", "--project", str(project.root)]) == 0  # the decisions alone: a warning
    capsys.readouterr()
    assert main(["audit", "--strict", "--project", str(project.root)]) == 1

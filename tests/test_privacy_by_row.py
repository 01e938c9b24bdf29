"""The hidden-value warning matches a value on its own row (the line naming the school), in the file or the
transcription, never another school's equal number elsewhere in the text."""

from __future__ import annotations

import hashlib

from conftest import add_small_group, base_tables, write_project
from kachestvo.validate import validate


def _codes(tmp_path, doc: str, column: str = "file") -> list[tuple]:
    tables = base_tables()
    add_small_group(tables)  # Alpha's 2019 ОГЭ mathematics 4,87 is hidden (3 participants)
    tables["results"][0]["document_id"] = "prikaz-1"
    digest = hashlib.sha256(doc.encode("utf-8")).hexdigest()
    if column == "file":
        tables["documents"][0]["sha256"] = digest
    else:
        tables["documents"][0].update(
            file="", sha256="", transcription="documents/prikaz-1-text.txt", transcription_sha256=digest
        )
    project = write_project(tmp_path, tables)
    name = "prikaz-1.txt" if column == "file" else "prikaz-1-text.txt"
    (project.content / "documents" / name).write_text(doc, encoding="utf-8")
    return [p.key for p in validate(project)[1] if p.code == "suppressed-in-document"]


WARNED = [("data/results.csv", 2, "value", "suppressed-in-document")]


def test_another_schools_equal_number_is_not_the_hidden_value(tmp_path):
    doc = "Школа\tОГЭ математика 2019\nАльфа СОШ\t3,9\nБета ООШ\t4,87\n"
    assert _codes(tmp_path, doc) == []


def test_the_value_on_the_schools_own_row_warns_in_a_declined_name_too(tmp_path):
    doc = "Результаты ОГЭ 2019\nв Альфа СОШ (математика)\t4,87\nБета ООШ\t3,9\n"
    assert _codes(tmp_path, doc) == WARNED


def test_the_transcription_is_searched_too(tmp_path):
    doc = "Альфа СОШ\t4,87\n"
    assert _codes(tmp_path, doc, column="transcription") == WARNED


def test_audit_reports_the_hidden_value_on_its_row(tmp_path, capsys):
    from kachestvo.cli import main

    tables = base_tables()
    add_small_group(tables)
    tables["results"][0]["document_id"] = "prikaz-1"
    doc = "Альфа СОШ\t4,87\n"
    tables["documents"][0]["sha256"] = hashlib.sha256(doc.encode("utf-8")).hexdigest()
    project = write_project(tmp_path, tables)
    (project.content / "documents" / "prikaz-1.txt").write_text(doc, encoding="utf-8")
    main(["audit", "--project", str(project.root)])
    out = capsys.readouterr().out
    assert "data/results.csv, строка 2: значение 4,87 скрыто на сайте" in out  # as the site writes it
    assert main(["audit", "--strict", "--project", str(project.root)]) == 1

"""`kachestvo audit`: figures without a source fail it; document gaps are listed; Russian output."""

from __future__ import annotations

import hashlib

import pytest

from conftest import PROJECTS, base_tables, each_example, write_project
from kachestvo.cli import main


@pytest.mark.parametrize("name", each_example())
def test_examples_pass_the_audit(name, capsys):
    assert main(["audit", "--project", str(PROJECTS[name])]) == 0
    out = capsys.readouterr().out
    assert "Аудит пройден" in out and "Цифры без документа-источника: нет." in out


def _sourced() -> dict[str, list[dict]]:
    tables = base_tables()
    for name in ("results", "indicator_values", "activities"):
        for row in tables[name]:
            row["document_id"] = "prikaz-1"
    return tables


def test_broken_project_lists_every_gap_and_fails(tmp_path, capsys):
    tables = _sourced()
    tables["results"][0]["document_id"] = ""  # alpha, ОГЭ 2019: 3,5 without a source
    tables["documents"][0].update(transcription="documents/prikaz-1.txt", transcription_sha256="0" * 64)
    tables["documents"].append(dict(tables["documents"][0], document_id="pismo-2", file="", sha256="", transcription=""))
    tables["documents"].append(
        dict(tables["documents"][0], document_id="plan-3", file="documents/net.pdf", sha256="1" * 64, transcription="")
    )
    project = write_project(tmp_path, tables)
    assert main(["audit", "--project", str(project.root)]) == 1
    out = capsys.readouterr().out
    assert "Цифры без документа-источника: 1." in out
    assert "data/results.csv, строка 2: Альфа СОШ (alpha) · ОГЭ · 9 · Математика · 2019 · средняя оценка = 3,5" in out
    assert "Документы без файла (нет ни оригинала, ни расшифровки): 1.\n  «pismo-2»" in out
    right = hashlib.sha256((project.content / "documents" / "prikaz-1.txt").read_bytes()).hexdigest()
    wrong = f"«prikaz-1»: расшифровка content/documents/prikaz-1.txt: контрольная сумма не совпадает: указана {'0' * 64}"
    assert f"{wrong}, у файла {right}" in out
    assert "«plan-3»: файл content/documents/net.pdf: файла нет" in out
    assert "Документы, на которые ничто не ссылается: 2." in out and "  «pismo-2»\n  «plan-3»" in out
    assert "Аудит не пройден: 1\u00a0цифра без источника" in out


def test_document_gaps_alone_do_not_fail(tmp_path, capsys):
    tables = _sourced()
    tables["documents"].append(dict(tables["documents"][0], document_id="pismo-2"))
    project = write_project(tmp_path, tables)
    assert main(["audit", "--project", str(project.root)]) == 0
    out = capsys.readouterr().out
    assert "Документы, на которые ничто не ссылается: 1.\n  «pismo-2»" in out and "Аудит пройден" in out

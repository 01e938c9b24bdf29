"""Transcriptions are clean text (no tags, OCR noise marked and shown as a gap) and open readable from a static host
that sends text/plain without a charset; the recorded sha256 covers every byte of the published file, BOM included."""

from __future__ import annotations

import csv
import hashlib
import shutil

import pytest

from conftest import PROJECTS, base_tables, serve_site, write_project
from kachestvo import transcript
from kachestvo.cli import main

TEXTS = sorted(p for root in PROJECTS.values() for p in (root / "content" / "documents").glob("*.txt"))


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_example_transcriptions_are_clean_and_recorded_byte_for_byte(path):
    data = path.read_bytes()
    text = transcript.read(data)
    assert transcript.markup(text) == [] and transcript.unrecognised(text) == []
    assert transcript.has_bom(data)
    rows = list(csv.DictReader((path.parents[2] / "data" / "documents.csv").open(encoding="utf-8", newline="")))
    rel = f"documents/{path.name}"
    recorded = [r["sha256"] for r in rows if r["file"] == rel] + [
        r["transcription_sha256"] for r in rows if r["transcription"] == rel
    ]
    assert recorded == [hashlib.sha256(data).hexdigest()]  # the checksum is of the whole file, its BOM included


def test_tyazhinsky_noise_is_marked_and_the_page_shows_a_gap():
    path = PROJECTS["tyazhinsky"] / "content" / "documents" / "prikaz-183-2019-03-29.txt"
    text = transcript.read(path.read_bytes())
    assert "[не распознано: IIIKOJIAA]" in text and "[не распознано: 1 -= Jimainin jpoblic]" in text
    page = str(transcript.for_page(text))
    assert "IIIKOJIAA" not in page and "Jimainin" not in page and "Canada" not in page
    assert page.count('class="kq-unrecognised"') == text.count("[не распознано:")
    assert "директора ИМЦ" in page  # the recognised words of the same line stay


@pytest.mark.parametrize(
    "line, noisy",
    [
        ("\tIIIKOJIAA\t7 IIVIL\tдиректора ИМЦ", True),
        ("\t1 -= Jimainin jpoblic\t\t", True),
        (", , ,\t, , ,", True),
        ("для\t29.12.2012 N 273-Ф3;\t\t", False),
        ("\tN 1642\t\t", False),
        ("режим доступа https://drive.google.com/file/d/1b5MLXZYdZ/view и www.krskstate.ru/2030/plan", False),
        ("Обучение на платформе Zoom (ВКС) и в Microsoft Teams для педагогов", False),
        ("[не распознано: Canada]\tПо плану", False),
    ],
)
def test_noise_detector(line, noisy):
    assert bool(transcript.unrecognised(line)) is noisy


def test_markup_is_stripped_keeping_words_and_lines():
    text = 'Задачи\t<ul style="list-style-type: none">– Создать <i>условия</i></ul>\n<p>Сроки</p>\t<p>2021-2024 годы</p>'
    clean = transcript.strip_markup(text)
    assert clean == "Задачи\t– Создать условия\nСроки\t2021-2024 годы" and transcript.markup(clean) == []


def test_audit_warns_on_tags_noise_and_a_missing_bom(tmp_path, capsys):
    tables = base_tables()
    body = "Приказ № 1 от 01.09.2021\n<p>Пункт 1</p>\n\tIIIKOJIAA\tдиректора\n"
    tables["documents"][0]["sha256"] = hashlib.sha256(body.encode("utf-8")).hexdigest()
    project = write_project(tmp_path, tables)
    (project.content / "documents" / "prikaz-1.txt").write_text(body, encoding="utf-8")
    main(["audit", "--project", str(project.root)])
    out = capsys.readouterr().out
    assert "остались теги HTML (2; строка 2: <p>, строка 2: </p>)" in out
    assert "похоже на нераспознанный текст (1; строка 3: «IIIKOJIAA»)" in out
    assert "нет метки UTF-8 (BOM)" in out


@pytest.mark.browser
def test_transcription_reads_right_from_a_server_that_names_no_charset(browser, tmp_path):
    """Python's http.server sends «Content-Type: text/plain» without a charset, as many municipal servers do."""
    source = PROJECTS["kotelnikovsky"] / "content" / "documents" / "protokol-2021-05-20.txt"
    shutil.copy(source, tmp_path / "with-bom.txt")
    (tmp_path / "without-bom.txt").write_bytes(source.read_bytes().removeprefix(transcript.BOM))  # the control
    expected = next(line.strip(" *") for line in transcript.read(source.read_bytes()).splitlines() if line.strip())
    assert expected and any("а" <= c <= "я" for c in expected.lower())
    page = browser.new_page()
    try:
        with serve_site(tmp_path) as base:
            response = page.goto(base + "with-bom.txt")
            assert "charset" not in response.headers["content-type"]
            assert expected in page.inner_text("body")
            page.goto(base + "without-bom.txt")
            assert expected not in page.inner_text("body")  # without the mark Chromium guesses wrong: the test can fail
    finally:
        page.close()

"""Indicator direction end to end: validation rejects a direction contradicting its wording, unit or targets; the
programme page shows each year's status and the progress over the period by direction (planted lower-is-better and
yes/no cases, both ways); the approval is shown from the approving document only."""

from __future__ import annotations

import re

import pytest

from conftest import PROJECTS, base_tables, read_rows, write_project
from kachestvo.build import build
from kachestvo.validate import validate


def _codes(project) -> list[tuple[str, str | None, str]]:
    _, problems = validate(project)
    return [(p.file, p.field, p.code) for p in problems]


def _indicator(iid, text, unit, direction, order):
    return dict(indicator_id=iid, task_id="t1", order=str(order), text=text, unit=unit, direction=direction)


@pytest.mark.parametrize(
    "text,unit,direction,target",
    [
        ("Доля учителей, прошедших курсы (не менее)", "процент", "не более", "80"),  # wording says «не менее»
        ("Отток учителей (не более)", "процент", "не менее", "5"),  # wording says «не более»
        ("Наличие приказа", "да/нет", "не менее", "да"),  # a yes/no indicator judged as a number
        ("Число семинаров", "число", "да/нет", "3"),  # a number judged as yes/no
        ("Доля «2» по ОГЭ", "процент", "не менее", "не более 5"),  # the target's words contradict the direction
        ("Доля участников", "процент", "в диапазоне", "90"),  # a range direction with a single number
    ],
)
def test_a_direction_contradicting_its_wording_is_rejected(tmp_path, text, unit, direction, target):
    tables = base_tables()
    tables["indicators"] = [_indicator("t1-i1", text, unit, direction, 1)]
    tables["indicator_values"] = [
        dict(indicator_id="t1-i1", year="2021", target=target, actual_missing="нет данных"),
        dict(indicator_id="t1-i1", year="2022", target=target.replace("не более ", ""), actual_missing="срок не наступил"),
    ]
    codes = _codes(write_project(tmp_path, tables))
    assert any(code == "direction-contradiction" for _, _, code in codes), codes


@pytest.mark.parametrize(
    "text,unit,direction,target",
    [
        ("Доля учителей, прошедших курсы (не менее)", "процент", "не менее", "не менее 80"),
        ("Отток учителей", "процент", "не более", "не более 5"),
        ("Наличие приказа", "да/нет", "да/нет", "нет"),
        ("Доля участников", "процент", "в диапазоне", "80–100"),
        ("Число семинаров (не менее)", "число", "справочно", "3"),  # informational is never a contradiction
        ("Число семинаров", "число", "", "3"),
    ],
)
def test_a_direction_fitting_its_wording_passes(tmp_path, text, unit, direction, target):
    tables = base_tables()
    tables["indicators"] = [_indicator("t1-i1", text, unit, direction, 1)]
    tables["indicator_values"] = [
        dict(indicator_id="t1-i1", year="2021", target=target, actual_missing="нет данных"),
        dict(indicator_id="t1-i1", year="2022", target=target, actual_missing="срок не наступил"),
    ]
    assert _codes(write_project(tmp_path, tables)) == []


@pytest.mark.slow
def test_programme_page_judges_planted_cases_by_direction(tmp_path):
    tables = base_tables()
    tables["indicators"] = [
        _indicator("t1-i1", "Доля «2» по ОГЭ (не более)", "процент", "не более", 1),  # lower is better, met
        _indicator("t1-i2", "Отток учителей (не более)", "процент", "не более", 2),  # lower is better, missed
        _indicator("t1-i3", "Наличие приказа", "да/нет", "да/нет", 3),  # yes/no: plan «нет», fact «да» — missed
        _indicator("t1-i4", "Наличие плана", "да/нет", "да/нет", 4),  # yes/no: plan «да», fact «да» — met
        _indicator("t1-i5", "Число семинаров", "число", "справочно", 5),  # not judged
    ]
    tables["indicator_values"] = [
        dict(indicator_id="t1-i1", year="2021", target="10", actual="12"),
        dict(indicator_id="t1-i1", year="2022", target="5", actual="4"),
        dict(indicator_id="t1-i2", year="2021", target="10", actual="12"),
        dict(indicator_id="t1-i2", year="2022", target="5", actual="30"),
        dict(indicator_id="t1-i3", year="2021", target="нет", actual="нет"),
        dict(indicator_id="t1-i3", year="2022", target="нет", actual="да"),
        dict(indicator_id="t1-i4", year="2021", target="да", actual="нет"),
        dict(indicator_id="t1-i4", year="2022", target="да", actual="да"),
        dict(indicator_id="t1-i5", year="2021", target="3", actual="1"),
        dict(indicator_id="t1-i5", year="2022", target="3", actual="9"),
    ]
    project = write_project(tmp_path, tables)
    build(project, log=lambda *_: None)
    html = (project.site / "programma" / "index.html").read_text(encoding="utf-8")
    rows = {
        m.group(1): m.group(0)
        for m in re.finditer(r"<tr[^>]*>\s*<td[^>]*>([^<]+)</td>.*?</tr>", html, re.S)
        if m.group(1).startswith(("Доля", "Отток", "Наличие", "Число"))
    }

    def statuses(name):
        return re.findall(r'class="kq-mark kq-\w+" title="([^"]+)"', rows[name])

    def progress(name):
        return re.search(r'data-label="Прогресс за период">(.*?)</td>', rows[name], re.S).group(1).strip()

    assert statuses("Доля «2» по ОГЭ (не более)") == ["не достигнуто", "достигнуто"]
    assert progress("Доля «2» по ОГЭ (не более)") == "цель достигнута"
    assert statuses("Отток учителей (не более)") == ["не достигнуто", "не достигнуто"]
    assert progress("Отток учителей (не более)") == "ухудшение"  # 12 % → 30 %: up, and worse
    assert statuses("Наличие приказа") == ["достигнуто", "не достигнуто"]
    assert progress("Наличие приказа") == "ухудшение"
    assert statuses("Наличие плана") == ["не достигнуто", "достигнуто"]
    assert progress("Наличие плана") == "цель достигнута"
    assert statuses("Число семинаров") == ["не оценивается", "не оценивается"]
    assert progress("Число семинаров") == "не оценивается"
    assert "план\u00a0не более\u00a05\u00a0%" in rows["Отток учителей (не более)"]
    assert "до плана 25\u00a0п.\u00a0п." in rows["Отток учителей (не более)"]  # how far: 30 % against at most 5 %
    assert "до плана" not in rows["Наличие приказа"]  # a yes/no miss has no distance
    # the fixture's programme names its source only: no «Утверждена» from a document that did not approve it
    assert "Утверждена" not in html and "документ, которым программа утверждена, в источнике не назван" in html


def test_examples_directions_come_from_the_seed_wording():
    """«не менее» exactly where the indicator's wording (transcribed from its seed) says it; «да/нет» for yes/no
    results; otherwise «справочно» — never a guess."""
    for name in PROJECTS:
        if not (PROJECTS[name] / "data" / "indicators.csv").is_file():
            continue
        for r in read_rows(name, "indicators"):
            if "не менее" in r["text"]:
                assert r["direction"] == "не менее", r
            elif r["unit"] == "да/нет":
                assert r["direction"] == "да/нет", r
            else:
                assert r["direction"] == "справочно", r


def _source_text(name: str, document_id: str) -> str:
    """The text of a document of an example (its transcription, else its text file), white space as single spaces."""
    doc = next(d for d in read_rows(name, "documents") if d["document_id"] == document_id)
    path = PROJECTS[name] / "content" / (doc["transcription"] or doc["file"])
    return " ".join(path.read_text(encoding="utf-8-sig").split())


def test_examples_directions_agree_with_the_documents_they_cite():
    """Against the source itself, not the indicator's own wording: a «не менее» indicator's every target stands after
    «не менее» in the document its value cites; no «справочно» indicator's target does (nor after «не более»), and no
    cited document says «не более» at all — so no example indicator is lower-is-better."""
    checked = 0
    for name in PROJECTS:
        if not (PROJECTS[name] / "data" / "indicators.csv").is_file():
            continue
        ways = {r["indicator_id"]: r["direction"] for r in read_rows(name, "indicators")}
        for v in read_rows(name, "indicator_values"):
            text = _source_text(name, v["document_id"])
            assert "не более" not in text.lower(), (name, v["document_id"])
            target = re.sub(r"^не менее\s+", "", v["target"]).replace(".", ",")
            stated = re.search(r"не (?:менее|более)[^0-9]{0,40}" + re.escape(target) + r"(?![0-9]|,[0-9])", text, re.I)
            if ways[v["indicator_id"]] == "не менее":
                assert stated, (name, v["indicator_id"], v["year"], v["target"])
                checked += 1
            elif ways[v["indicator_id"]] == "справочно" and target:
                assert not stated, (name, v["indicator_id"], v["year"], v["target"], stated.group(0))
    assert checked >= 36  # Иркутская область 30, Тяжинский 6

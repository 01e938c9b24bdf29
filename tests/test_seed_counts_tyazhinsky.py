"""Counts checked against the seed: приказ УО администрации Тяжинского муниципального района от 29.03.2019 № 183,
its road map (приложение 1) and the partnership agreement form (приложение 2) (examples/tyazhinsky)."""

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

from conftest import read_rows

ROOT = Path(__file__).resolve().parent.parent / "examples" / "tyazhinsky"
DATA = ROOT / "data"
ORDER = "prikaz-183-2019-03-29"


def rows(name):
    return read_rows("tyazhinsky", name)


def seed() -> str:
    doc = next(d for d in rows("documents") if d["document_id"] == ORDER)
    return (ROOT / "content" / doc["file"]).read_text(encoding="utf-8-sig")


def plan_table() -> str:
    text = seed()
    return text[text.index("Таблица 1. План мероприятий") : text.index("Приложение 2 к приказу")]


def test_documents_registered_with_checksums():
    docs = {d["document_id"]: d for d in rows("documents")}
    assert len(docs) == 2
    d = docs[ORDER]
    # «От 29.03.2019 года … № 183»
    assert (d["type"], d["number"], d["date"]) == ("приказ", "183", "2019-03-29")
    for doc in docs.values():
        assert hashlib.sha256((ROOT / "content" / doc["file"]).read_bytes()).hexdigest() == doc["sha256"]


def test_agreement_form_is_a_document_not_a_partnership():
    form = next(d for d in rows("documents") if d["document_id"] != ORDER)
    text = (ROOT / "content" / form["file"]).read_text(encoding="utf-8-sig")
    # the form is a verbatim excerpt: the seed from «Приложение 2 к приказу…» to its end
    assert seed().endswith(text) and text.startswith("Приложение 2 к приказу Управления образования № 183")
    assert form["type"] == "иной документ" and "форма" in form["title"].lower()
    # 1.1.1 … 1.1.8 — eight forms of cooperation; sections 1–3
    assert len(re.findall(r"^- 1\.1\.\d\.?\s", text, re.M)) == 8
    assert [s for s in ("1. Общие положения", "2. Сроки действия соглашения", "3. Прочие условия") if s in text] == [
        "1. Общие положения",
        "2. Сроки действия соглашения",
        "3. Прочие условия",
    ]
    resources = {r["name"] for r in json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["resources"]}
    assert "partnerships" not in resources and "partner_groups" not in resources


def test_order_points():
    text = seed()
    points = re.findall(r"^- (\d)\. ", text[text.index("ПРИКАЗЫВАЮ") : text.index("Начальник Управления")], re.M)
    assert points == ["1", "2", "3", "4"]
    assert [x["number"] for x in rows("decisions")] == points


def test_no_schools_named():
    # the order and the road map name no school and give no count
    assert rows("schools") == []
    assert rows("municipality")[0]["schools_total"] == ""


def test_passport_tasks_and_expected_results():
    text = seed()
    tasks = re.findall(r"^(?:Задачи\t|\t|- )(\d)\. ", text[text.index("Задачи\t") : text.index("Ожидаемые результаты")], re.M)
    assert tasks == ["1", "2", "3", "4", "5"]
    passport = {x["section"]: x["text"] for x in rows("passport")}
    assert passport["Задачи"].count("\n") == 4
    expected = re.findall(r"^- (\d)\. ", text[text.index("Ожидаемые результаты") : text.index("Контроль за исполнением")], re.M)
    assert expected == ["1", "2", "3", "4", "5"]
    assert passport["Ожидаемые результаты"].count("\n") == 4
    # each expected result is an indicator; the quantitative targets 100 %, 0,3 %, 5 %, 90 %
    ind = rows("indicators")
    assert len(ind) == 5
    assert Counter(x["unit"] for x in ind) == {"процент": 4, "да/нет": 1}
    vals = rows("indicator_values")
    targets = {(x["indicator_id"].rsplit("-", 1)[1], x["year"]): x["target"] for x in vals}
    assert len(vals) == 10 and {x["year"] for x in vals} == {"2019", "2020"}
    assert {targets[("r2", "2020")], targets[("r3", "2019")], targets[("r4", "2020")], targets[("r5", "2020")]} == {
        "100",
        "0.3",
        "5",
        "90",
    }
    for n in ("100 %", "0,3 %", "5 %", "90 %"):
        assert n in text
    assert all(x["actual"] == "" and x["actual_missing"] == "нет данных" for x in vals)


def test_every_plan_item_with_term_and_responsible():
    table = plan_table()
    numbers = re.findall(r"^(\d{1,2}\.\d{1,2})\.\t", table, re.M)
    # OCR damage: 1.16 and 1.18 read as «1.10.», 1.19 as «10150», 1.15 and 1.17 printed twice
    assert Counter(numbers)["1.10"] == 3 and "10150\t" in table
    restored = (set(numbers) | {"1.16", "1.18", "1.19"}) - {"10150"}
    rm = rows("roadmap")
    assert len(rm) == 39 == len(restored)
    assert {x["number"] for x in rm} == restored
    assert Counter(x["number"].split(".")[0] for x in rm) == {"1": 21, "2": 8, "3": 10}
    assert all(x["term"] and x["responsible"] for x in rm)
    # 4 sections of Таблица 1 (1.1–1.4, 1.5–1.21, 2.1–2.8, 3.1–3.10) and the expected results
    assert Counter(x["task_id"] for x in rm) == {
        "t1-organizatsionnoe": 4,
        "t2-metodicheskaya": 17,
        "t3-psikhologo-pedagogicheskoe": 8,
        "t4-sokrashchenie-razryva": 10,
    }
    assert len(rows("tasks")) == 5


def test_staff_by_position_only():
    # «Погуляева С.В., начальник УО» … every «Фамилия И.О.» of the seed stays out of the data
    surnames = set(re.findall(r"([А-ЯЁ][а-яё]+) [А-ЯЁ]\.\s?[А-ЯЁ]\.", seed())) | set(
        re.findall(r"[А-ЯЁ]\.[А-ЯЁ]\. ([А-ЯЁ][а-яё]+)", seed())
    )
    assert {"Погуляева", "Кирюшкина", "Толстихина", "Архипенко"} <= surnames
    for path in DATA.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        for name in surnames:
            assert name not in text, (path.name, name)
    assert not any(name in (DATA / "datapackage.json").read_text(encoding="utf-8") for name in surnames)

"""Counts checked against the seed: programme and materials of the regional seminar of ГАУ ДПО ИРО, 16.05.2018
(examples/irkutsk, a region's project: schools of many municipalities)."""

import hashlib
import re
from collections import Counter
from pathlib import Path

from conftest import read_rows

ROOT = Path(__file__).resolve().parent.parent / "examples" / "irkutsk"
SOURCE = "seminar-iro-2018-05-16"


def rows(name):
    return read_rows("irkutsk", name)


def seed() -> str:
    doc = next(d for d in rows("documents") if d["document_id"] == SOURCE)
    return (ROOT / "content" / doc["file"]).read_text(encoding="utf-8-sig")


def between(start: str, end: str) -> str:
    text = seed()
    i = text.index(start)
    return text[i : text.index(end, i)]


def table(start: str, end: str) -> list[tuple[str, str]]:
    """(МО, ОО) of a numbered table of the seed."""
    return [(m, o) for _, m, o in re.findall(r"^(\d+)\t([^\t]+)\t(.+)$", between(start, end), re.M)]


def same_name(a: str, b: str) -> bool:
    # the data replace "…" with «…» and add the space in «№46», «с.Голуметь»
    return re.sub(r"[\s\"«»]", "", a) == re.sub(r"[\s\"«»]", "", b)


CONTROL = ("Контрольная группа школ\n", "Стажировочные площадки")
TRAINING = ("Наименование ОО", "МО ИО")


def test_source_registered_with_checksum():
    d = next(d for d in rows("documents") if d["document_id"] == SOURCE)
    assert d["date"] == "2018-05-16" and "16 мая 2018 года" in seed()
    assert hashlib.sha256((ROOT / "content" / d["file"]).read_bytes()).hexdigest() == d["sha256"]


def test_regional_legal_acts():
    docs = {(d["type"], d["number"], d["date"]) for d in rows("documents")}
    # «Распоряжение МО ИО № 302-мр от 25.04.2017», «Приказы директора ГАУ ДПО ИРО № 51, 52 от 26.04.2017 г.»
    assert "Распоряжение МО ИО № 302-мр от 25.04.2017" in seed()
    assert "№ 51, 52 от 26.04.2017" in seed()
    assert {("распоряжение", "302-мр", "2017-04-25"), ("приказ", "51", "2017-04-26"), ("приказ", "52", "2017-04-26")} <= docs
    # «Региональный регламент … от 05.05.2017 г.»
    assert any(d["date"] == "2017-05-05" and d["title"].startswith("Региональный регламент") for d in rows("documents"))
    assert len(rows("documents")) == 6


def test_control_group_and_training_sites_by_municipality():
    control, training = table(*CONTROL), table(*TRAINING)
    assert len(control) == 15 and len(training) == 5
    schools = rows("schools")
    towns = {m["municipality_id"]: m["name"] for m in rows("municipality")}
    lists = {(x["school_id"], x["list"]) for x in rows("list_membership")}
    for seed_rows, name in ((control, "контрольная группа"), (training, "стажировочная площадка")):
        members = [s for s in schools if (s["school_id"], name) in lists]
        assert len(members) == len(seed_rows)
        for mo, oo in seed_rows:
            match = [s for s in members if same_name(s["full_name"], oo)]
            assert len(match) == 1, oo
            assert towns[match[0]["municipality_id"]] == mo, oo
    assert len(schools) == 20
    assert Counter(x["list"] for x in rows("list_membership")) == {"контрольная группа": 15, "стажировочная площадка": 5}


def test_municipalities_and_network_counts():
    text = seed()
    m = rows("municipality")
    region = [x for x in m if x["kind"] == "регион"]
    assert len(region) == 1 and region[0]["name"] == "Иркутская область"
    municipalities = {x["name"] for x in m if x["kind"] != "регион"}
    # every «МО» of both tables, and nothing else: 16, as «МОУО (16)» on the 2017 network slide
    assert municipalities == {mo for mo, _ in table(*CONTROL) + table(*TRAINING)}
    assert len(municipalities) == 16 and "МОУО (16)" in text
    assert "Стажплощадки\n(5)" in text and "Контрольная группа\n(15)" in text
    # 2018: «Фокус-группа (12)», «Б(О)П (3)», «контрольная группа (12)» — named nowhere, kept as counts
    assert "Фокус-группа\n(12)" in text and "Б(О)П (3)" in text and "контрольная группа\n(12)" in text
    description = region[0]["description"]
    for fact in ("16", "стажировочные площадки — 5", "контрольная группа — 15", "фокус-группа — 12", "Б(О)П — 3"):
        assert fact in description
    assert all(s["municipality_id"] and s["municipality_id"] != region[0]["municipality_id"] for s in rows("schools"))


def test_plans_2017_and_2018():
    plan_2017 = between("реализации мероприятий государственной программы в 2017 г.", "П Л А Н – Г Р А Ф И К\n\nпроведения")
    sections_2017 = re.findall(r"^1\.(\d)\. ", plan_2017, re.M)
    text = seed()
    plan_2018 = text[text.index("1.2. Информационно-коммуникационное") : text.index("РЕАЛИЗАЦИЯ ПЛАНА")]
    sections_2018 = ["1"] + re.findall(r"^1\.(\d)\. ", plan_2018, re.M)
    tasks = Counter(t["programme_id"] for t in rows("tasks"))
    assert (
        tasks
        == {"plan-grafik-2017": len(sections_2017), "plan-grafik-2018": len(sections_2018)}
        == {
            "plan-grafik-2017": 5,
            "plan-grafik-2018": 9,
        }
    )
    items = re.findall(r"^(\d)\t", plan_2018, re.M)
    rm = rows("roadmap")
    assert len(rm) == len(items) == 20
    # items per section 1.3 … 1.9: 2, 2, 3, 5, 3, 4, 1
    assert Counter(x["task_id"] for x in rm) == {f"p18-1-{s}": n for s, n in zip(range(3, 10), (2, 2, 3, 5, 3, 4, 1))}
    ms = rows("roadmap_milestones")
    assert len(ms) == 20 and all(x["year"] == "2018" and x["text"] for x in ms)
    assert not any("<" in x["text"] for x in ms)


def test_quantitative_commitments_are_indicators():
    text = seed()
    plan_2018 = text[text.index("1.2. Информационно-коммуникационное") : text.index("РЕАЛИЗАЦИЯ ПЛАНА")]
    ind = rows("indicators")
    vals = {v["indicator_id"]: v for v in rows("indicator_values")}
    assert len(ind) == 34 and set(vals) == {i["indicator_id"] for i in ind}
    assert {v["year"] for v in vals.values()} == {"2018"}
    targets = {vals[i["indicator_id"]]["target"] for i in ind}
    # every «не менее N» of the 2018 plan is some indicator's target; «250 ч.» is a programme length, not a target
    at_least = set(re.findall(r"не менее,?\s*(?:чем\s*)?(?:в\s*)?(\d+)", plan_2018))
    assert at_least and at_least <= targets and "250" not in targets
    # the percentages: 52 % of municipalities, 100 % of schools, 11 % of schools
    assert {vals[i["indicator_id"]]["target"] for i in ind if i["unit"] == "процент"} == {"52", "100", "11"}
    for pct in ("52%", "100%", "11%"):
        assert pct in plan_2018
    assert all(v["actual"] == "" and v["actual_missing"] == "нет данных" for v in vals.values())


def test_seminar_programme_speakers_by_position():
    programme = between("ПРОГРАММА СЕМИНАРА", "П Л А Н")
    times = re.findall(r"^(\d\d\.\d\d)", programme, re.M)
    sessions = rows("event_sessions")
    assert len(times) == 5 and len(sessions) == 5
    assert [s["time"] for s in sessions][:4] == times[:4]
    surnames = set(re.findall(r"([А-ЯЁ][а-яё]+) [А-ЯЁ]\.[А-ЯЁ]\.", programme))
    assert {"Казарина", "Иванова", "Ахнина", "Пешня"} <= surnames
    for path in (ROOT / "data").glob("*.csv"):
        for name in surnames:
            assert name not in path.read_text(encoding="utf-8"), (path.name, name)
    assert [s["speaker"] for s in sessions][1] == "старший методист"
    events = rows("events")
    assert {e["date"] for e in events} == {"2018-05-16", "2018-05-29"}


def test_isbsh_method_page():
    page = (ROOT / "content" / "metodika-isbsh.md").read_text(encoding="utf-8")
    assert "Индекса социального благополучия школы (ИСБШ)" in seed() and "НИУ ВШЭ" in seed()
    assert "ИСБШ" in page and "НИУ ВШЭ" in page and "1-й квинтиль" in page

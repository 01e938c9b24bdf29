"""Counts checked against the seed: приказ УО администрации Иланского района от 09.03.2021 № 63-од
and the programme it approves (examples/ilansky)."""

import hashlib
import json
from collections import Counter
from pathlib import Path

from conftest import read_rows

ROOT = Path(__file__).resolve().parent.parent / "examples" / "ilansky"
DATA = ROOT / "data"


def rows(name):
    return read_rows("ilansky", name)


def test_document_registered():
    docs = rows("documents")
    assert len(docs) == 1
    d = docs[0]
    # «ПРИКАЗ 09.03.2021 … № 63 -од»
    assert (d["type"], d["number"], d["date"]) == ("приказ", "63-од", "2021-03-09")
    assert hashlib.sha256((ROOT / "content" / d["file"]).read_bytes()).hexdigest() == d["sha256"]


def test_municipality():
    m = rows("municipality")
    assert len(m) == 1
    # «В муниципалитете функционирует 15 общеобразовательных организаций»
    assert m[0]["schools_total"] == "15"
    assert m[0]["as_of"] == "2021-03-09"
    for fact in ("2997", "3007", "210", "306", "796", "204"):
        assert fact in m[0]["description"]


def test_schools_and_branches():
    s = rows("schools")
    # «15 общеобразовательных организаций - 11 юридических лиц и 4 филиала»
    assert len(s) == 15
    branches = [r for r in s if r["branch_of"]]
    assert len(branches) == 4
    ids = {r["school_id"]: r for r in s}
    for b in branches:
        assert not ids[b["branch_of"]]["branch_of"]
    # «2 начальные …, 1 основная … и 12 средних общеобразовательных школ»
    assert Counter(r["level"] for r in s) == {"НОШ": 2, "ООШ": 1, "СОШ": 12}


def test_clusters():
    # «все общеобразовательные школы разделены на 3 кластера: городские школы; сельские школы; филиалы»
    assert [c["name"] for c in rows("clusters")] == ["городские школы", "сельские школы", "филиалы"]
    # таблица кластеров: 3 городские, 8 сельских, 4 филиала
    assert Counter(r["cluster_id"] for r in rows("schools")) == {"gorodskie-shkoly": 3, "selskie-shkoly": 8, "filialy": 4}


def test_identification_criteria():
    c = rows("criteria")
    # «Критерии и показатели идентификации»: ВПР 4 класс, ОГЭ, ЕГЭ
    assert len(c) == 3 and {r["purpose"] for r in c} == {"идентификация"}
    # показателей: ВПР 4, ОГЭ 4, ЕГЭ 5 (строки «– доля …»)
    assert [r["indicator"].count("\n– ") for r in c] == [4, 4, 5]


# Rows of Приложение 1 as the seed writes them, mapped to school ids (see the package description).
APPENDIX_1_ROWS = {
    "СОШ 1": "ilanskaya-sosh-1",
    "СОШ 2": "ilanskaya-sosh-2",
    "СОШ 41": "ilanskaya-sosh-41",
    "СОШ 3": "novgorodskaya-sosh-3",
    "СОШ 4": "sokolovskaya-sosh-4",
    "СОШ 5": "yuzhno-aleksandrovskaya-sosh-5",
    "СОШ 7": "novopokrovskaya-sosh-7",
    "СОШ 9": "novonikolaevskaya-sosh-9",
    "СОШ 11": "dalayskaya-sosh-11",
    "СОШ 13": "karapselskaya-sosh-13",
    "НОШ 21": "khayryuzovskaya-nosh-21",
    "Степановская НОШ": "stepanovskaya-nosh",
    "Ельниковская СОШ": "elnikovskaya-sosh",
    "Кучердаевская СОШ": "kucherdaevskaya-sosh",
    "Прокопьевская ООШ": "prokopyevskaya-oosh",
}
# Column order of Приложение 1: (assessment, subject, metric), 14 columns, then the untitled total.
APPENDIX_1_COLUMNS = [
    ("ВПР", "Русский язык", "доля «4 и 5»"),
    ("ВПР", "Русский язык", "доля «2»"),
    ("ВПР", "Математика", "доля «4 и 5»"),
    ("ВПР", "Математика", "доля «2»"),
    ("ОГЭ", "Русский язык", "доля «4 и 5»"),
    ("ОГЭ", "Русский язык", "доля «2»"),
    ("ОГЭ", "Математика", "доля «4 и 5»"),
    ("ОГЭ", "Математика", "доля «2»"),
    ("ЕГЭ", "Русский язык", "доля более 60 баллов"),
    ("ЕГЭ", "Русский язык", "доля ниже минимального порога"),
    ("ЕГЭ", "Математика (базовый уровень)", "доля «4 и 5»"),
    ("ЕГЭ", "Математика (базовый уровень)", "доля ниже минимального порога"),
    ("ЕГЭ", "Математика (профильный уровень)", "доля более 60 баллов"),
    ("ЕГЭ", "Математика (профильный уровень)", "доля ниже минимального порога"),
]


def appendix_1() -> dict[str, list[str]]:
    """Every school row of Приложение 1 in the seed transcription: name → its 15 cells."""
    docs = rows("documents")
    text = (ROOT / "content" / docs[0]["file"]).read_text(encoding="utf-8-sig")
    table = text[text.rindex("Приложение 1") :].splitlines()
    out = {}
    for line in table:
        cells = line.split("\t")
        if cells[0] in APPENDIX_1_ROWS:
            out[cells[0]] = (cells[1:] + [""] * 15)[:15]
    return out


def test_appendix_1_every_row_counted():
    seed = appendix_1()
    # 15 строк школ (3 + 8 + 4 по кластерам), последняя — «Прокопьевская ООШ … 67,5»
    assert len(seed) == 15 and list(seed)[-1] == "Прокопьевская ООШ"
    assert seed["Прокопьевская ООШ"][14] == "67,5"
    res = {(x["school_id"], x["assessment"], x["subject"], x["metric"]): x for x in rows("results")}
    scores = {x["school_id"]: x["identification_score"] for x in rows("classifications")}
    for name, cells in seed.items():
        sid = APPENDIX_1_ROWS[name]
        for cell, column in zip(cells[:14], APPENDIX_1_COLUMNS):
            r = res[(sid, *column)]
            if cell == "-":
                assert (r["value"], r["value_missing"]) == ("", "нет участников"), (name, column)
            elif cell == "":
                assert (r["value"], r["value_missing"]) == ("", "нет данных"), (name, column)
            else:
                assert float(r["value"]) == float(cell.replace(",", ".")), (name, column)
        assert float(scores[sid]) == float(cells[14].replace(",", ".")), name
    assert len(res) == 15 * 14


def test_results_appendix_1():
    r = rows("results")
    # Приложение 1: 15 строк школ (3 + 8 + 4 по кластерам) × 14 столбцов долей
    assert len(r) == 210
    assert len({x["school_id"] for x in r}) == 15
    assert Counter(x["assessment"] for x in r) == {"ВПР": 60, "ОГЭ": 60, "ЕГЭ": 90}
    assert {x["year"] for x in r} == {"2019"}
    # «-» у НОШ 21 и Степановской НОШ: 10 ячеек ОГЭ/ЕГЭ у каждой; у Прокопьевской ООШ — 6 ячеек ЕГЭ
    assert sum(x["value_missing"] == "нет участников" for x in r) == 26
    # пустые ячейки: ОГЭ математика у СОШ 4 (2) и Прокопьевской ООШ (2), ЕГЭ у Кучердаевской СОШ (6)
    assert sum(x["value_missing"] == "нет данных" for x in r) == 10
    for x in r:
        assert (x["value"] == "") == (x["value_missing"] != "")
        if x["value"]:
            assert 0 <= float(x["value"]) <= 1
    # «СОШ 1 … 0,73 | 0,05 | 0,76 | 0,07 …»
    s1 = {(x["assessment"], x["subject"], x["metric"]): x["value"] for x in r if x["school_id"] == "ilanskaya-sosh-1"}
    assert s1[("ВПР", "Русский язык", "доля «4 и 5»")] == "0.73"
    assert s1[("ЕГЭ", "Математика (профильный уровень)", "доля более 60 баллов")] == "0.25"


def test_identification_scores():
    c = rows("classifications")
    # последний столбец Приложения 1 — 15 значений (82,5 … 67,5)
    assert len(c) == 15
    scores = {x["school_id"]: float(x["identification_score"]) for x in c}
    assert scores["ilanskaya-sosh-1"] == 82.5 and scores["kucherdaevskaya-sosh"] == 73.3
    assert scores["elnikovskaya-sosh"] == 85
    assert scores["prokopyevskaya-oosh"] == 67.5


def test_no_note_denies_appendix_1_row():
    # три заметки прежде утверждали, что Прокопьевской ООШ нет в Приложении 1
    for table in ("schools", "municipality", "classifications", "results"):
        for x in rows(table):
            assert "отсутств" not in x.get("note", ""), table
    dp = (DATA / "datapackage.json").read_text(encoding="utf-8")
    assert "Прокопьевской ООШ в Приложении 1 нет" not in dp


def test_shnor_lists():
    lm = rows("list_membership")
    by = Counter(x["list"] for x in lm)
    # Рособрнадзор: «внесены 7 школ», ЦОКО: «включены 5 школ» — по имени названы 4 «попали в оба списка»
    assert by["Рособрнадзор"] == 4
    assert by["ЦОКО"] == 4
    # «две из которых включены … «500+»» — какие, не сказано
    assert by["500+"] == 0
    # «Включение в региональный проект … МБОУ «Южно-Александровская СОШ № 5»»
    assert by["пилотная площадка"] == 1
    dp = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    assert "7 школ" in dp["description"] and "5 школ" in dp["description"]


def test_order_points():
    d = rows("decisions")
    # «ПРИКАЗЫВАЮ: 1. … 4. Контроль за исполнением …»
    assert [x["number"] for x in d] == ["1", "2", "3", "4"]
    assert all("Копыро" not in x["text"] for x in d)


def test_programme_and_passport():
    p = rows("programmes")
    assert len(p) == 1 and (p[0]["start_year"], p[0]["end_year"]) == ("2021", "2024")
    ps = rows("passport")
    # «РАЗДЕЛ 1. ПАСПОРТ ПРОГРАММЫ»: 9 разделов
    assert len(ps) == 9
    sections = {x["section"]: x["text"] for x in ps}
    # 10 нормативных оснований, 7 задач
    assert sections["Нормативные основания для разработки Программы"].count("– ") == 10
    assert sections["Задачи Программы"].count("\n") == 6


def test_indicators():
    t = rows("tasks")
    # 6 заголовков-задач в таблице «ПОКАЗАТЕЛИ | ИНДИКАТОР | 2021 … 2024»
    assert len(t) == 6
    ind = rows("indicators")
    # по задачам: 5, 10, 7, 9, 17 (в т.ч. 8 подпоказателей), 3 → 51
    assert Counter(x["task_id"] for x in ind) == {"t1": 5, "t2": 10, "t3": 7, "t4": 9, "t5": 17, "t6": 3}
    assert len(ind) == 51
    assert sum(bool(x["parent_id"]) for x in ind) == 8
    # столбец ИНДИКАТОР: «да/нет» ×17, «процент» ×22, «числовой» ×12
    assert Counter(x["unit"] for x in ind) == {"да/нет": 17, "процент": 22, "число": 12}
    vals = rows("indicator_values")
    # каждому показателю — план на 2021, 2022, 2023, 2024
    assert len(vals) == 51 * 4
    per = Counter(x["indicator_id"] for x in vals)
    assert set(per.values()) == {4}
    assert all(x["actual"] == "" and x["actual_missing"] == "срок не наступил" for x in vals)
    # «Муниципальный мобильный консультационный методический центр | числовой | 2 | 2 | 2 | 2»
    mm = [x for x in vals if x["indicator_id"] == "t5-i5-1"]
    assert [x["target"] for x in mm] == ["2", "2", "2", "2"]


def test_roadmap():
    rm = rows("roadmap")
    # РАЗДЕЛ 4: пунктов по разделам 2, 3, 1, 3, 8, 4 = 21, плюс строка без номера в разделе 2
    assert len(rm) == 22
    assert len({x["number"] for x in rm}) == 21
    assert Counter(x["task_id"] for x in rm) == {"t1": 2, "t2": 4, "t3": 1, "t4": 3, "t5": 8, "t6": 4}
    assert all(x["responsible"] and x["result_document"] for x in rm)
    ms = rows("roadmap_milestones")
    # столбцы «Ключевые мероприятия 2021 | 2022 | 2023 | 2024»
    assert len(ms) == 22 * 4
    assert all(x["text"] for x in ms)

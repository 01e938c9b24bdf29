"""Counts checked against the seeds: each example's data (examples/*) against the source document it transcribes
(in content/documents/ of the example, its checksum registered): how many rows, schools, list entries, indicators,
plan items the source states, and the figures it gives. One section per example; the seeds are the client's
municipal publications.

These tests read CSV files and the transcribed sources only (no build): all of them are in the fast subset."""

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

from conftest import read_rows

# --- kotelnikovsky -------------------------------------------------------------------------------------------------------
# Counts of the Котельниковский data package checked against the seed
# (protocol of the working group of 20.05.2021 with appendices).


KOTELNIKOVSKY = Path(__file__).resolve().parent.parent / "examples" / "kotelnikovsky"
KOTELNIKOVSKY_DATA = KOTELNIKOVSKY / "data"
KOTELNIKOVSKY_SCHOOLS = ("krasnoyarskaya-sh", "nagolnenskaya-sh", "semichenskaya-sh")


def kotelnikovsky_rows(name):
    return read_rows("kotelnikovsky", name)


def test_kotelnikovsky_municipality_and_schools():
    mun = kotelnikovsky_rows("municipality")
    assert len(mun) == 1
    # «Общее количество ОО в муниципальном районе: 20»
    assert mun[0]["schools_total"] == "20"
    assert mun[0]["as_of"] == "2021-05-20"
    # «Количество школ с низкими образовательными результатами в муниципальном районе: 3»
    assert tuple(r["school_id"] for r in kotelnikovsky_rows("schools")) == KOTELNIKOVSKY_SCHOOLS
    assert all(r["branch_of"] == "" for r in kotelnikovsky_rows("schools"))  # филиалов в источнике нет
    assert kotelnikovsky_rows("clusters") == []  # кластеров в источнике нет


def test_kotelnikovsky_document_registered_with_hash():
    docs = kotelnikovsky_rows("documents")
    assert len(docs) == 1
    d = docs[0]
    # «ПРОТОКОЛ … 20.05.2021 г.» — номер не указан
    assert (d["type"], d["date"], d["number"]) == ("протокол", "2021-05-20", "")
    # The .txt is a transcription of the protocol (the original scan is not in the seeds); the PDF beside it is made
    # from that transcription to show an original's path, and the row says so.
    assert d["file"] == "documents/protokol-2021-05-20.pdf" and "изготовлен из расшифровки" in d["note"]
    assert hashlib.sha256((KOTELNIKOVSKY / "content" / d["file"]).read_bytes()).hexdigest() == d["sha256"]
    blob = (KOTELNIKOVSKY / "content" / d["transcription"]).read_bytes()
    assert hashlib.sha256(blob).hexdigest() == d["transcription_sha256"]


def test_kotelnikovsky_results_counts():
    res = kotelnikovsky_rows("results")
    by = Counter(r["assessment"] for r in res)
    # «Динамика результатов ВПР»: 3 школы × 3 года (2019–2021) × 2 предмета (Рус. яз, Матем.)
    assert by["ВПР"] == 18
    # «Динамика результатов ОГЭ»: 3 школы × 3 года × 2 предмета
    assert by["ОГЭ"] == 18
    # «Динамика результатов ЕГЭ»: 2019 — Рус. яз + «Матем. (баз./проф.)» (2 строки), 2020 и 2021 —
    # Рус. яз + Матем. проф.: (3 + 2 + 2) × 3 школы
    assert by["ЕГЭ"] == 21
    # столбец «ГВЭ» 2021: Рус. яз. и Матем. × 3 школы
    assert by["ГВЭ"] == 6
    assert len(res) == 63
    # ОГЭ 2020 «-» во всех трёх школах — не проводилось
    ogz = [r for r in res if r["assessment"] == "ОГЭ" and r["year"] == "2020"]
    assert len(ogz) == 6 and all(r["value_missing"] == "не проводилось" and r["value"] == "" for r in ogz)
    # нули таблицы ЕГЭ/ГВЭ: Красноярская 2020 мат + 2021 ×4, Нагольненская 2020 ×2, Семиченская 2021 ЕГЭ ×2
    assert sum(r["value_missing"] == "нет участников" for r in res) == 9
    # Семиченская 2019 «3» в «Матем. (баз./проф.)» — профильного балла нет
    assert sum(r["value_missing"] == "нет данных" for r in res) == 1
    assert not any(r["value"] in ("0", "0.0") for r in res)
    for r in res:
        if r["value"] and r["unit"] == "оценка":
            assert 2 <= float(r["value"]) <= 5
        if r["value"] and r["unit"] == "балл":
            assert 0 <= float(r["value"]) <= 100
    # «3,2 /50»: базовый уровень 3.2, профильный 50
    k = {(r["school_id"], r["subject"], r["year"]): r["value"] for r in res if r["assessment"] == "ЕГЭ"}
    assert k[("krasnoyarskaya-sh", "Математика (базовый уровень)", "2019")] == "3.2"
    assert k[("krasnoyarskaya-sh", "Математика (профильный уровень)", "2019")] == "50"


def test_kotelnikovsky_activities_per_school():
    acts = kotelnikovsky_rows("activities")
    per = Counter(a["school_id"] for a in acts)
    # «Наименование ОО 1: МКОУ Красноярская СШ» — 11 строк таблицы (пустая «-- -- --» не считается)
    assert per["krasnoyarskaya-sh"] == 11
    # «Наименование ОО 2: МКОУ Нагольненская СШ» — 24 строки
    assert per["nagolnenskaya-sh"] == 24
    # «Наименование ОО 3: МКОУ Семиченская СШ» — 13 строк
    assert per["semichenskaya-sh"] == 13
    for a in acts:
        if a["start_date"] and a["end_date"]:
            assert a["end_date"] >= a["start_date"]
        # ФИО учителей не публикуются
        assert "Артемьева" not in a["result"] and "Сердобинцева" not in a["result"]


def test_kotelnikovsky_list_membership():
    lm = kotelnikovsky_rows("list_membership")
    # «Блок 3. Обоснование исключения ОО из списка…» — три школы
    excl = [r for r in lm if r["status"] == "исключена"]
    assert sorted(r["school_id"] for r in excl) == sorted(KOTELNIKOVSKY_SCHOOLS)
    assert all(r["year"] == "2021" and r["reason"] for r in excl)
    assert all("<" not in r["reason"] for r in excl)  # HTML снят
    # у каждой — вывод «Вывод: планомерная всесторонняя работа …»
    assert all(r["reason"].splitlines()[-1].startswith("Вывод:") for r in excl)
    incl = [r for r in lm if r["status"] == "включена"]
    assert len(incl) == 3 and all(r["year"] == "2020" for r in incl)


def test_kotelnikovsky_partnership_mentor():
    p = kotelnikovsky_rows("partnerships")
    # «Налажено взаимодействие со школой – наставником» (МКОУ СШ № 3 г. Котельниково)
    assert len(p) == 1
    assert (p[0]["school_id"], p[0]["kind"], p[0]["partner_name"]) == (
        "krasnoyarskaya-sh",
        "наставничество",
        "МКОУ СШ № 3 г. Котельниково",
    )


def test_kotelnikovsky_recommendations_and_criteria():
    # мониторинг, анализ поддержки по уровням, дневники школы/педагога/директора, анкета
    assert len(kotelnikovsky_rows("recommendations")) == 6
    crit = kotelnikovsky_rows("criteria")
    per = Counter(c["criterion"] for c in crit)
    # таблица «Критерии / Показатели»: 5 критериев
    assert len(per) == 5
    assert per["Нормативное обеспечение реализации программы"] == 2  # два показателя в одной ячейке
    assert per["Качество образования"] == 6
    assert per["Профессиональные компетенции педагогических и руководящих кадров"] == 3
    assert per["Работа с внешним сообществом"] == 1
    assert per["Школьная культура, ценности"] == 1
    assert all(c["purpose"] == "мониторинг" for c in crit)


def test_kotelnikovsky_questionnaire():
    q = kotelnikovsky_rows("questionnaires")
    assert len(q) == 1 and q[0]["title"] == "Есть ли изменения?"
    items = kotelnikovsky_rows("questionnaire_items")
    per = Counter(i["section"] for i in items)
    # анкета «Есть ли изменения?»: 4 раздела по 5 утверждений
    assert per == Counter(
        {
            "Доверие и сотрудничество": 5,
            "Целенаправленная командная работа": 5,
            "Работа с данными": 5,
            "Возможности профессионального развития": 5,
        }
    )
    assert not (KOTELNIKOVSKY_DATA / "questionnaire_results.csv").exists()  # результатов в источнике нет


def test_kotelnikovsky_plan_2021_2022():
    prog = kotelnikovsky_rows("programmes")
    assert len(prog) == 1 and (prog[0]["start_year"], prog[0]["end_year"]) == ("2021", "2022")
    # разделы «1. Ресурсное», «2. Кадровое», «3. Аналитическое», «4. Методическое обеспечение»
    assert len(kotelnikovsky_rows("tasks")) == 4
    rm = kotelnikovsky_rows("roadmap")
    per = Counter(r["number"].split(".")[0] for r in rm)
    # пункты 1.1–1.4, 2.1–2.5, 3.1–3.3, 4.1–4.9
    assert per == Counter({"1": 4, "2": 5, "3": 3, "4": 9})
    assert all(r["responsible"] == "Отдел образования, руководители ОО" for r in rm)
    ms = kotelnikovsky_rows("roadmap_milestones")
    assert len(ms) == 21 and all(m["year"] == "2021" and m["term"] for m in ms)


def test_kotelnikovsky_meeting_and_decisions():
    m = kotelnikovsky_rows("meetings")
    assert len(m) == 1 and m[0]["date"] == "2021-05-20"
    # «СЛУШАЛИ:» — три выступления
    assert len(m[0]["heard"].splitlines()) == 3
    assert "Кондрашов" not in m[0]["heard"] and "Голов" not in m[0]["heard"]
    dec = kotelnikovsky_rows("decisions")
    kinds = Counter(d["kind"] for d in dec)
    # «ПОСТАНОВИЛИ: 1. … 2. … 3. …»
    assert kinds["постановили"] == 3
    assert all(d["meeting_id"] == m[0]["meeting_id"] for d in dec if d["kind"] == "постановили")
    # «Анализ эффективности принятых мер» — пункты 1–10
    assert kinds["анализ эффективности"] == 10
    p4 = next(d for d in dec if d["kind"] == "анализ эффективности" and d["number"] == "4")
    assert len(p4["text"].splitlines()) == 3  # «Рекомендовать РМК:» и два подпункта


# --- ilansky -------------------------------------------------------------------------------------------------------------
# Counts checked against the seed: приказ УО администрации Иланского района от 09.03.2021 № 63-од
# and the programme it approves (examples/ilansky).


ILANSKY = Path(__file__).resolve().parent.parent / "examples" / "ilansky"
ILANSKY_DATA = ILANSKY / "data"


def ilansky_rows(name):
    return read_rows("ilansky", name)


def test_ilansky_document_registered():
    docs = ilansky_rows("documents")
    assert len(docs) == 1
    d = docs[0]
    # «ПРИКАЗ 09.03.2021 … № 63 -од»
    assert (d["type"], d["number"], d["date"]) == ("приказ", "63-од", "2021-03-09")
    assert hashlib.sha256((ILANSKY / "content" / d["file"]).read_bytes()).hexdigest() == d["sha256"]


def test_ilansky_municipality():
    m = ilansky_rows("municipality")
    assert len(m) == 1
    # «В муниципалитете функционирует 15 общеобразовательных организаций»
    assert m[0]["schools_total"] == "15"
    assert m[0]["as_of"] == "2021-03-09"
    for fact in ("2997", "3007", "210", "306", "796", "204"):
        assert fact in m[0]["description"]


def test_ilansky_schools_and_branches():
    s = ilansky_rows("schools")
    # «15 общеобразовательных организаций - 11 юридических лиц и 4 филиала»
    assert len(s) == 15
    branches = [r for r in s if r["branch_of"]]
    assert len(branches) == 4
    ids = {r["school_id"]: r for r in s}
    for b in branches:
        assert not ids[b["branch_of"]]["branch_of"]
    # «2 начальные …, 1 основная … и 12 средних общеобразовательных школ»
    assert Counter(r["level"] for r in s) == {"НОШ": 2, "ООШ": 1, "СОШ": 12}


def test_ilansky_clusters():
    # «все общеобразовательные школы разделены на 3 кластера: городские школы; сельские школы; филиалы»
    assert [c["name"] for c in ilansky_rows("clusters")] == ["городские школы", "сельские школы", "филиалы"]
    # таблица кластеров: 3 городские, 8 сельских, 4 филиала
    assert Counter(r["cluster_id"] for r in ilansky_rows("schools")) == {"gorodskie-shkoly": 3, "selskie-shkoly": 8, "filialy": 4}


def test_ilansky_identification_criteria():
    c = ilansky_rows("criteria")
    # «Критерии и показатели идентификации»: ВПР 4 класс, ОГЭ, ЕГЭ
    assert len(c) == 3 and {r["purpose"] for r in c} == {"идентификация"}
    # показателей: ВПР 4, ОГЭ 4, ЕГЭ 5 (строки «– доля …»)
    assert [r["indicator"].count("\n– ") for r in c] == [4, 4, 5]


# Rows of Приложение 1 as the seed writes them, mapped to school ids (see the package description).
ILANSKY_APPENDIX_1_ROWS = {
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
ILANSKY_APPENDIX_1_COLUMNS = [
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


def ilansky_appendix_1() -> dict[str, list[str]]:
    """Every school row of Приложение 1 in the seed transcription: name → its 15 cells."""
    docs = ilansky_rows("documents")
    text = (ILANSKY / "content" / docs[0]["file"]).read_text(encoding="utf-8-sig")
    table = text[text.rindex("Приложение 1") :].splitlines()
    out = {}
    for line in table:
        cells = line.split("\t")
        if cells[0] in ILANSKY_APPENDIX_1_ROWS:
            out[cells[0]] = (cells[1:] + [""] * 15)[:15]
    return out


def test_ilansky_appendix_1_every_row_counted():
    seed = ilansky_appendix_1()
    # 15 строк школ (3 + 8 + 4 по кластерам), последняя — «Прокопьевская ООШ … 67,5»
    assert len(seed) == 15 and list(seed)[-1] == "Прокопьевская ООШ"
    assert seed["Прокопьевская ООШ"][14] == "67,5"
    res = {(x["school_id"], x["assessment"], x["subject"], x["metric"]): x for x in ilansky_rows("results")}
    scores = {x["school_id"]: x["identification_score"] for x in ilansky_rows("classifications")}
    for name, cells in seed.items():
        sid = ILANSKY_APPENDIX_1_ROWS[name]
        for cell, column in zip(cells[:14], ILANSKY_APPENDIX_1_COLUMNS):
            r = res[(sid, *column)]
            if cell == "-":
                assert (r["value"], r["value_missing"]) == ("", "нет участников"), (name, column)
            elif cell == "":
                assert (r["value"], r["value_missing"]) == ("", "нет данных"), (name, column)
            else:
                assert float(r["value"]) == float(cell.replace(",", ".")), (name, column)
        assert float(scores[sid]) == float(cells[14].replace(",", ".")), name
    assert len(res) == 15 * 14


def test_ilansky_results_appendix_1():
    r = ilansky_rows("results")
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


def test_ilansky_identification_scores():
    c = ilansky_rows("classifications")
    # последний столбец Приложения 1 — 15 значений (82,5 … 67,5)
    assert len(c) == 15
    scores = {x["school_id"]: float(x["identification_score"]) for x in c}
    assert scores["ilanskaya-sosh-1"] == 82.5 and scores["kucherdaevskaya-sosh"] == 73.3
    assert scores["elnikovskaya-sosh"] == 85
    assert scores["prokopyevskaya-oosh"] == 67.5


def test_ilansky_no_note_denies_appendix_1_row():
    # три заметки прежде утверждали, что Прокопьевской ООШ нет в Приложении 1
    for table in ("schools", "municipality", "classifications", "results"):
        for x in ilansky_rows(table):
            assert "отсутств" not in x.get("note", ""), table
    dp = (ILANSKY_DATA / "datapackage.json").read_text(encoding="utf-8")
    assert "Прокопьевской ООШ в Приложении 1 нет" not in dp


def test_ilansky_shnor_lists():
    lm = ilansky_rows("list_membership")
    by = Counter(x["list"] for x in lm)
    # Рособрнадзор: «внесены 7 школ», ЦОКО: «включены 5 школ» — по имени названы 4 «попали в оба списка»
    assert by["Рособрнадзор"] == 4
    assert by["ЦОКО"] == 4
    # «две из которых включены … «500+»» — какие, не сказано
    assert by["500+"] == 0
    # «Включение в региональный проект … МБОУ «Южно-Александровская СОШ № 5»»
    assert by["пилотная площадка"] == 1
    dp = json.loads((ILANSKY_DATA / "datapackage.json").read_text(encoding="utf-8"))
    assert "7 школ" in dp["description"] and "5 школ" in dp["description"]


def test_ilansky_order_points():
    d = ilansky_rows("decisions")
    # «ПРИКАЗЫВАЮ: 1. … 4. Контроль за исполнением …»
    assert [x["number"] for x in d] == ["1", "2", "3", "4"]
    assert all("Копыро" not in x["text"] for x in d)


def test_ilansky_programme_and_passport():
    p = ilansky_rows("programmes")
    assert len(p) == 1 and (p[0]["start_year"], p[0]["end_year"]) == ("2021", "2024")
    ps = ilansky_rows("passport")
    # «РАЗДЕЛ 1. ПАСПОРТ ПРОГРАММЫ»: 9 разделов
    assert len(ps) == 9
    sections = {x["section"]: x["text"] for x in ps}
    # 10 нормативных оснований, 7 задач
    assert sections["Нормативные основания для разработки Программы"].count("– ") == 10
    assert sections["Задачи Программы"].count("\n") == 6


def test_ilansky_indicators():
    t = ilansky_rows("tasks")
    # 6 заголовков-задач в таблице «ПОКАЗАТЕЛИ | ИНДИКАТОР | 2021 … 2024»
    assert len(t) == 6
    ind = ilansky_rows("indicators")
    # по задачам: 5, 10, 7, 9, 17 (в т.ч. 8 подпоказателей), 3 → 51
    assert Counter(x["task_id"] for x in ind) == {"t1": 5, "t2": 10, "t3": 7, "t4": 9, "t5": 17, "t6": 3}
    assert len(ind) == 51
    assert sum(bool(x["parent_id"]) for x in ind) == 8
    # столбец ИНДИКАТОР: «да/нет» ×17, «процент» ×22, «числовой» ×12
    assert Counter(x["unit"] for x in ind) == {"да/нет": 17, "процент": 22, "число": 12}
    vals = ilansky_rows("indicator_values")
    # каждому показателю — план на 2021, 2022, 2023, 2024
    assert len(vals) == 51 * 4
    per = Counter(x["indicator_id"] for x in vals)
    assert set(per.values()) == {4}
    assert all(x["actual"] == "" and x["actual_missing"] == "срок не наступил" for x in vals)
    # «Муниципальный мобильный консультационный методический центр | числовой | 2 | 2 | 2 | 2»
    mm = [x for x in vals if x["indicator_id"] == "t5-i5-1"]
    assert [x["target"] for x in mm] == ["2", "2", "2", "2"]


def test_ilansky_roadmap():
    rm = ilansky_rows("roadmap")
    # РАЗДЕЛ 4: пунктов по разделам 2, 3, 1, 3, 8, 4 = 21, плюс строка без номера в разделе 2
    assert len(rm) == 22
    assert len({x["number"] for x in rm}) == 21
    assert Counter(x["task_id"] for x in rm) == {"t1": 2, "t2": 4, "t3": 1, "t4": 3, "t5": 8, "t6": 4}
    assert all(x["responsible"] and x["result_document"] for x in rm)
    ms = ilansky_rows("roadmap_milestones")
    # столбцы «Ключевые мероприятия 2021 | 2022 | 2023 | 2024»
    assert len(ms) == 22 * 4
    assert all(x["text"] for x in ms)


# --- irbit ---------------------------------------------------------------------------------------------------------------
# Counts verified against the seed of examples/irbit (Ирбитское МО, отчёт о сопровождении школ, 2020).


IRBIT = Path(__file__).resolve().parent.parent / "examples" / "irbit"
IRBIT_DATA = IRBIT / "data"


def irbit_rows(name):
    return read_rows("irbit", name)


def test_irbit_document_registered_with_hash():
    docs = irbit_rows("documents")
    assert len(docs) == 1
    d = docs[0]
    assert d["type"] == "отчёт"
    # seed gives no number and no date
    assert d["number"] == "" and d["date"] == ""
    data = (IRBIT / "content" / d["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == d["sha256"]


def test_irbit_municipality():
    m = irbit_rows("municipality")
    assert len(m) == 1
    # «партнерское взаимодействие 22 образовательных организаций в 7 группах»
    assert m[0]["schools_total"] == "22"
    # latest date in the activities: «Критериальное и мышление руководителя» (14.10.2020г)
    assert m[0]["as_of"] == "2020-10-14"


def test_irbit_schools_and_branch():
    s = irbit_rows("schools")
    # «22 образовательных организаций»: 21 in the classification table + «Чубаровская начальная школа-детский сад» (3 группа)
    assert len(s) == 22
    by_id = {r["school_id"]: r for r in s}
    branches = [r for r in s if r["branch_of"]]
    # «Филиал «Кирилловская ООШ» МОУ «Речкаловская СОШ»» — the only branch
    assert [(r["school_id"], r["branch_of"]) for r in branches] == [("kirillovskaya-oosh", "rechkalovskaya-sosh")]
    assert all(not by_id[r["branch_of"]]["branch_of"] for r in branches)
    # legal forms from the partner-group list: МАОУ Черновская, МАОУ Зайковская №2, МКОУ Харловская, the rest МОУ
    assert Counter(r["legal_form"] for r in s) == {"МОУ": 19, "МАОУ": 2, "МКОУ": 1}
    assert Counter(r["level"] for r in s) == {"СОШ": 14, "ООШ": 7, "НОШ": 1}


def test_irbit_clusters():
    s = irbit_rows("schools")
    assert len(irbit_rows("clusters")) == 2
    # column «Кластер» of the table: 7 schools with «1» (all ООШ), 14 with «2» (all СОШ); Чубаровская not in the table
    assert Counter(r["cluster_id"] for r in s) == {"klaster-1": 7, "klaster-2": 14, "": 1}
    assert all(r["level"] == "ООШ" for r in s if r["cluster_id"] == "klaster-1")
    assert all(r["level"] == "СОШ" for r in s if r["cluster_id"] == "klaster-2")


def test_irbit_classifications():
    c = irbit_rows("classifications")
    # 21 rows of the table «ОО / Кластер / Группа качества / ГИСБШ»
    assert len(c) == 21
    assert all(r["year"] == "2020" for r in c)  # «в 2020 году отнесены 11 школ»
    q = Counter(r["quality_group"] for r in c if r["quality_group"])
    # «к 3 группе - 2 ..., к 4 группе – 4 ..., к 5 группе - 5»; «6 группа качества - 5 ОО», «7 ... – 2 ОО», «9 ... – 2 ОО»
    assert q == {"3": 2, "4": 4, "5": 5, "6": 5, "7": 2, "9": 2}
    # «отнесены 11 школ Ирбитского МО» к группе школ с низкими результатами
    assert sum(1 for r in c if r["identification_result"] == "ШНОР") == 11
    # Фоминская ООШ: «нет выпустников»
    assert [r["school_id"] for r in c if r["quality_missing"]] == ["fominskaya-oosh"]
    assert all(r["quality_missing"] == "нет выпускников" for r in c if r["quality_missing"])
    # «нет информации» по ИСБШ: Пионерская СОШ, Рудновская ООШ, Черновская СОШ
    assert sorted(r["school_id"] for r in c if r["isbsh_missing"] == "нет информации") == [
        "chernovskaya-sosh",
        "pionerskaya-sosh",
        "rudnovskaya-oosh",
    ]
    isb = Counter(r["isbsh_group"] for r in c if r["isbsh_group"])
    # ГИСБШ column: 2 — Гаевская, Зайковская №2, Ключевская, Ницинская, Пьянковская;
    # 4 — Зайковская №1, Харловская; 6 — Килачевская
    assert isb == {"2": 5, "3": 10, "4": 2, "6": 1}
    # level letters as in the table: н 6, н/с 5, с 5, в/с 4 by ГК
    assert Counter(r["quality_level"] for r in c if r["quality_level"]) == {"н": 6, "н/с": 5, "с": 5, "в/с": 4}


def test_irbit_partner_groups():
    g = irbit_rows("partner_groups")
    m = irbit_rows("partner_group_members")
    # «в 7 группах по территориальному признаку на основе кооперации»
    assert len(g) == 7
    assert all(r["principle"] == "по территориальному признаку на основе кооперации" for r in g)
    # 22 organisations, each in exactly one group
    assert len(m) == 22 and len({r["school_id"] for r in m}) == 22
    # group sizes from the list: 2, 4, 4, 4, 3, 3, 2
    assert Counter(r["group_id"] for r in m) == {
        "gruppa-1": 2,
        "gruppa-2": 4,
        "gruppa-3": 4,
        "gruppa-4": 4,
        "gruppa-5": 3,
        "gruppa-6": 3,
        "gruppa-7": 2,
    }
    rc = [r for r in m if r["role"] == "ресурсный центр"]
    # «- ресурсный центр»: Пионерская, Черновская, Зайковская №1, Зайковская №2, Килачевская
    assert len(rc) == 5
    assert Counter(r["group_id"] for r in rc) == {"gruppa-2": 1, "gruppa-3": 1, "gruppa-4": 2, "gruppa-6": 1}


def test_irbit_list_membership_and_partnerships():
    lm = irbit_rows("list_membership")
    # «МОУ «Пьянковская ООШ» является пилотной площадкой»
    assert [r["school_id"] for r in lm if r["list"] == "пилотная площадка"] == ["pyankovskaya-oosh"]
    assert sum(1 for r in lm if r["list"] == "ресурсный центр") == 5
    p = irbit_rows("partnerships")
    # «Заключение договоров о сотрудничестве с ИРО, базовой площадкой «Школа №13» г. Ирбит и УО Ирбитского МО»
    assert len(p) == 3
    base = [r for r in p if r["partner_role"] == "базовая площадка"]
    assert len(base) == 1 and base[0]["kind"] == "договор о взаимодействии"
    assert base[0]["partner_name"] == "МАОУ «Средняя общеобразовательная школа № 13», ГО Ирбит"


def test_irbit_programmes():
    pr = irbit_rows("programmes")
    # «муниципальной программы «Повышение качества образования в школах Ирбитского муниципального образования» на 2020-2023 годы»
    assert len(pr) == 1
    assert (pr[0]["start_year"], pr[0]["end_year"]) == ("2020", "2023")


def test_irbit_activities():
    a = irbit_rows("activities")
    mun = [r for r in a if r["level"] == "муниципальный"]
    # «На муниципальном уровне реализованы следующие мероприятия:» пункты 1–16
    assert len(mun) == 16
    assert [int(r["order"]) for r in mun] == list(range(1, 17))
    # п. 9: две группы макетов, 4 подпункта
    m9 = next(r for r in mun if r["order"] == "9")
    assert m9["title"].count("\n– ") == 4
    sch = [r for r in a if r["level"] == "школьный"]
    assert all(r["school_id"] == "pyankovskaya-oosh" for r in sch)
    # «С января по июнь 2020г.» — пункты 1–8
    assert sum(1 for r in sch if r["activity_id"].startswith("pyankovskaya-oosh-2020-1-")) == 8
    # «С июля по октябрь 2020г.» — пункты 1, 2–3 (курс, ошибочно пронумерованный отдельно), 4
    assert sum(1 for r in sch if r["activity_id"].startswith("pyankovskaya-oosh-2020-2-")) == 3
    # «Утверждены локальные акты:» — 4 акта; п. 8 «Пройдены Курсы повышения квалификации:» — 3 курса
    assert next(r for r in sch if r["activity_id"] == "pyankovskaya-oosh-2020-1-02")["title"].count("\n– ") == 4
    assert next(r for r in sch if r["activity_id"] == "pyankovskaya-oosh-2020-1-08")["title"].count("\n– ") == 3
    # dated items: 21.01.2020, 25.02.2020, 19.03.2020, 05.06.2020, 04-05.06.2020, 11.09.2020
    assert {r["start_date"] for r in sch} >= {"2020-01-21", "2020-02-25", "2020-03-19", "2020-06-05", "2020-06-04", "2020-09-11"}
    for r in a:
        if r["start_date"] and r["end_date"]:
            assert r["end_date"] >= r["start_date"]
    # no personal names (п. 4 «Чащиной Т.В.» dropped)
    assert not any("Чащин" in v for r in a for v in r.values())


# --- irkutsk -------------------------------------------------------------------------------------------------------------
# Counts checked against the seed: programme and materials of the regional seminar of ГАУ ДПО ИРО, 16.05.2018
# (examples/irkutsk, a region's project: schools of many municipalities).


IRKUTSK = Path(__file__).resolve().parent.parent / "examples" / "irkutsk"
IRKUTSK_SOURCE = "seminar-iro-2018-05-16"


def irkutsk_rows(name):
    return read_rows("irkutsk", name)


def irkutsk_seed() -> str:
    doc = next(d for d in irkutsk_rows("documents") if d["document_id"] == IRKUTSK_SOURCE)
    return (IRKUTSK / "content" / doc["file"]).read_text(encoding="utf-8-sig")


def irkutsk_between(start: str, end: str) -> str:
    text = irkutsk_seed()
    i = text.index(start)
    return text[i : text.index(end, i)]


def irkutsk_table(start: str, end: str) -> list[tuple[str, str]]:
    """(МО, ОО) of a numbered table of the seed."""
    return [(m, o) for _, m, o in re.findall(r"^(\d+)\t([^\t]+)\t(.+)$", irkutsk_between(start, end), re.M)]


def irkutsk_same_name(a: str, b: str) -> bool:
    # the data replace "…" with «…» and add the space in «№46», «с.Голуметь»
    return re.sub(r"[\s\"«»]", "", a) == re.sub(r"[\s\"«»]", "", b)


IRKUTSK_CONTROL = ("Контрольная группа школ\n", "Стажировочные площадки")
IRKUTSK_TRAINING = ("Наименование ОО", "МО ИО")


def test_irkutsk_source_registered_with_checksum():
    d = next(d for d in irkutsk_rows("documents") if d["document_id"] == IRKUTSK_SOURCE)
    assert d["date"] == "2018-05-16" and "16 мая 2018 года" in irkutsk_seed()
    assert hashlib.sha256((IRKUTSK / "content" / d["file"]).read_bytes()).hexdigest() == d["sha256"]


def test_irkutsk_regional_legal_acts():
    docs = {(d["type"], d["number"], d["date"]) for d in irkutsk_rows("documents")}
    # «Распоряжение МО ИО № 302-мр от 25.04.2017», «Приказы директора ГАУ ДПО ИРО № 51, 52 от 26.04.2017 г.»
    assert "Распоряжение МО ИО № 302-мр от 25.04.2017" in irkutsk_seed()
    assert "№ 51, 52 от 26.04.2017" in irkutsk_seed()
    assert {("распоряжение", "302-мр", "2017-04-25"), ("приказ", "51", "2017-04-26"), ("приказ", "52", "2017-04-26")} <= docs
    # «Региональный регламент … от 05.05.2017 г.»
    assert any(d["date"] == "2017-05-05" and d["title"].startswith("Региональный регламент") for d in irkutsk_rows("documents"))
    assert len(irkutsk_rows("documents")) == 6


def test_irkutsk_control_group_and_training_sites_by_municipality():
    control, training = irkutsk_table(*IRKUTSK_CONTROL), irkutsk_table(*IRKUTSK_TRAINING)
    assert len(control) == 15 and len(training) == 5
    schools = irkutsk_rows("schools")
    towns = {m["municipality_id"]: m["name"] for m in irkutsk_rows("municipality")}
    lists = {(x["school_id"], x["list"]) for x in irkutsk_rows("list_membership")}
    for seed_rows, name in ((control, "контрольная группа"), (training, "стажировочная площадка")):
        members = [s for s in schools if (s["school_id"], name) in lists]
        assert len(members) == len(seed_rows)
        for mo, oo in seed_rows:
            match = [s for s in members if irkutsk_same_name(s["full_name"], oo)]
            assert len(match) == 1, oo
            assert towns[match[0]["municipality_id"]] == mo, oo
    assert len(schools) == 20
    assert Counter(x["list"] for x in irkutsk_rows("list_membership")) == {"контрольная группа": 15, "стажировочная площадка": 5}


def test_irkutsk_municipalities_and_network_counts():
    text = irkutsk_seed()
    m = irkutsk_rows("municipality")
    region = [x for x in m if x["kind"] == "регион"]
    assert len(region) == 1 and region[0]["name"] == "Иркутская область"
    municipalities = {x["name"] for x in m if x["kind"] != "регион"}
    # every «МО» of both tables, and nothing else: 16, as «МОУО (16)» on the 2017 network slide
    assert municipalities == {mo for mo, _ in irkutsk_table(*IRKUTSK_CONTROL) + irkutsk_table(*IRKUTSK_TRAINING)}
    assert len(municipalities) == 16 and "МОУО (16)" in text
    assert "Стажплощадки\n(5)" in text and "Контрольная группа\n(15)" in text
    # 2018: «Фокус-группа (12)», «Б(О)П (3)», «контрольная группа (12)» — named nowhere, kept as counts
    assert "Фокус-группа\n(12)" in text and "Б(О)П (3)" in text and "контрольная группа\n(12)" in text
    description = region[0]["description"]
    for fact in ("16", "стажировочные площадки — 5", "контрольная группа — 15", "фокус-группа — 12", "Б(О)П — 3"):
        assert fact in description
    assert all(s["municipality_id"] and s["municipality_id"] != region[0]["municipality_id"] for s in irkutsk_rows("schools"))


def test_irkutsk_plans_2017_and_2018():
    plan_2017 = irkutsk_between(
        "реализации мероприятий государственной программы в 2017 г.", "П Л А Н – Г Р А Ф И К\n\nпроведения"
    )
    sections_2017 = re.findall(r"^1\.(\d)\. ", plan_2017, re.M)
    text = irkutsk_seed()
    plan_2018 = text[text.index("1.2. Информационно-коммуникационное") : text.index("РЕАЛИЗАЦИЯ ПЛАНА")]
    sections_2018 = ["1"] + re.findall(r"^1\.(\d)\. ", plan_2018, re.M)
    tasks = Counter(t["programme_id"] for t in irkutsk_rows("tasks"))
    assert (
        tasks
        == {"plan-grafik-2017": len(sections_2017), "plan-grafik-2018": len(sections_2018)}
        == {
            "plan-grafik-2017": 5,
            "plan-grafik-2018": 9,
        }
    )
    items = re.findall(r"^(\d)\t", plan_2018, re.M)
    rm = irkutsk_rows("roadmap")
    assert len(rm) == len(items) == 20
    # items per section 1.3 … 1.9: 2, 2, 3, 5, 3, 4, 1
    assert Counter(x["task_id"] for x in rm) == {f"p18-1-{s}": n for s, n in zip(range(3, 10), (2, 2, 3, 5, 3, 4, 1))}
    ms = irkutsk_rows("roadmap_milestones")
    assert len(ms) == 20 and all(x["year"] == "2018" and x["text"] for x in ms)
    assert not any("<" in x["text"] for x in ms)


def test_irkutsk_quantitative_commitments_are_indicators():
    text = irkutsk_seed()
    plan_2018 = text[text.index("1.2. Информационно-коммуникационное") : text.index("РЕАЛИЗАЦИЯ ПЛАНА")]
    ind = irkutsk_rows("indicators")
    vals = {v["indicator_id"]: v for v in irkutsk_rows("indicator_values")}
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


def test_irkutsk_seminar_programme_speakers_by_position():
    programme = irkutsk_between("ПРОГРАММА СЕМИНАРА", "П Л А Н")
    times = re.findall(r"^(\d\d\.\d\d)", programme, re.M)
    sessions = irkutsk_rows("event_sessions")
    assert len(times) == 5 and len(sessions) == 5
    assert [s["time"] for s in sessions][:4] == times[:4]
    surnames = set(re.findall(r"([А-ЯЁ][а-яё]+) [А-ЯЁ]\.[А-ЯЁ]\.", programme))
    assert {"Казарина", "Иванова", "Ахнина", "Пешня"} <= surnames
    for path in (IRKUTSK / "data").glob("*.csv"):
        for name in surnames:
            assert name not in path.read_text(encoding="utf-8"), (path.name, name)
    assert [s["speaker"] for s in sessions][1] == "старший методист"
    events = irkutsk_rows("events")
    assert {e["date"] for e in events} == {"2018-05-16", "2018-05-29"}


def test_irkutsk_isbsh_method_page():
    page = (IRKUTSK / "content" / "metodika-isbsh.md").read_text(encoding="utf-8")
    assert "Индекса социального благополучия школы (ИСБШ)" in irkutsk_seed() and "НИУ ВШЭ" in irkutsk_seed()
    assert "ИСБШ" in page and "НИУ ВШЭ" in page and "1-й квинтиль" in page


# --- tyazhinsky ----------------------------------------------------------------------------------------------------------
# Counts checked against the seed: приказ УО администрации Тяжинского муниципального района от 29.03.2019 № 183,
# its road map (приложение 1) and the partnership agreement form (приложение 2) (examples/tyazhinsky).


TYAZHINSKY = Path(__file__).resolve().parent.parent / "examples" / "tyazhinsky"
TYAZHINSKY_DATA = TYAZHINSKY / "data"
TYAZHINSKY_ORDER = "prikaz-183-2019-03-29"


def tyazhinsky_rows(name):
    return read_rows("tyazhinsky", name)


def tyazhinsky_seed() -> str:
    doc = next(d for d in tyazhinsky_rows("documents") if d["document_id"] == TYAZHINSKY_ORDER)
    return (TYAZHINSKY / "content" / doc["file"]).read_text(encoding="utf-8-sig")


def tyazhinsky_plan_table() -> str:
    text = tyazhinsky_seed()
    return text[text.index("Таблица 1. План мероприятий") : text.index("Приложение 2 к приказу")]


def test_tyazhinsky_documents_registered_with_checksums():
    docs = {d["document_id"]: d for d in tyazhinsky_rows("documents")}
    assert len(docs) == 2
    d = docs[TYAZHINSKY_ORDER]
    # «От 29.03.2019 года … № 183»
    assert (d["type"], d["number"], d["date"]) == ("приказ", "183", "2019-03-29")
    for doc in docs.values():
        assert hashlib.sha256((TYAZHINSKY / "content" / doc["file"]).read_bytes()).hexdigest() == doc["sha256"]


def test_tyazhinsky_agreement_form_is_a_document_not_a_partnership():
    form = next(d for d in tyazhinsky_rows("documents") if d["document_id"] != TYAZHINSKY_ORDER)
    text = (TYAZHINSKY / "content" / form["file"]).read_text(encoding="utf-8-sig")
    # the form is a verbatim excerpt: the seed from «Приложение 2 к приказу…» to its end
    assert tyazhinsky_seed().endswith(text) and text.startswith("Приложение 2 к приказу Управления образования № 183")
    assert form["type"] == "иной документ" and "форма" in form["title"].lower()
    # 1.1.1 … 1.1.8 — eight forms of cooperation; sections 1–3
    assert len(re.findall(r"^- 1\.1\.\d\.?\s", text, re.M)) == 8
    assert [s for s in ("1. Общие положения", "2. Сроки действия соглашения", "3. Прочие условия") if s in text] == [
        "1. Общие положения",
        "2. Сроки действия соглашения",
        "3. Прочие условия",
    ]
    resources = {r["name"] for r in json.loads((TYAZHINSKY_DATA / "datapackage.json").read_text(encoding="utf-8"))["resources"]}
    assert "partnerships" not in resources and "partner_groups" not in resources


def test_tyazhinsky_order_points():
    text = tyazhinsky_seed()
    points = re.findall(r"^- (\d)\. ", text[text.index("ПРИКАЗЫВАЮ") : text.index("Начальник Управления")], re.M)
    assert points == ["1", "2", "3", "4"]
    assert [x["number"] for x in tyazhinsky_rows("decisions")] == points


def test_tyazhinsky_no_schools_named():
    # the order and the road map name no school and give no count
    assert tyazhinsky_rows("schools") == []
    assert tyazhinsky_rows("municipality")[0]["schools_total"] == ""


def test_tyazhinsky_passport_tasks_and_expected_results():
    text = tyazhinsky_seed()
    tasks = re.findall(r"^(?:Задачи\t|\t|- )(\d)\. ", text[text.index("Задачи\t") : text.index("Ожидаемые результаты")], re.M)
    assert tasks == ["1", "2", "3", "4", "5"]
    passport = {x["section"]: x["text"] for x in tyazhinsky_rows("passport")}
    assert passport["Задачи"].count("\n") == 4
    expected = re.findall(r"^- (\d)\. ", text[text.index("Ожидаемые результаты") : text.index("Контроль за исполнением")], re.M)
    assert expected == ["1", "2", "3", "4", "5"]
    assert passport["Ожидаемые результаты"].count("\n") == 4
    # each expected result is an indicator; the quantitative targets 100 %, 0,3 %, 5 %, 90 %
    ind = tyazhinsky_rows("indicators")
    assert len(ind) == 5
    assert Counter(x["unit"] for x in ind) == {"процент": 4, "да/нет": 1}
    vals = tyazhinsky_rows("indicator_values")
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


def test_tyazhinsky_every_plan_item_with_term_and_responsible():
    table = tyazhinsky_plan_table()
    numbers = re.findall(r"^(\d{1,2}\.\d{1,2})\.\t", table, re.M)
    # OCR damage: 1.16 and 1.18 read as «1.10.», 1.19 as «10150», 1.15 and 1.17 printed twice
    assert Counter(numbers)["1.10"] == 3 and "10150\t" in table
    restored = (set(numbers) | {"1.16", "1.18", "1.19"}) - {"10150"}
    rm = tyazhinsky_rows("roadmap")
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
    assert len(tyazhinsky_rows("tasks")) == 5


def test_tyazhinsky_staff_by_position_only():
    # «Погуляева С.В., начальник УО» … every «Фамилия И.О.» of the seed stays out of the data
    surnames = set(re.findall(r"([А-ЯЁ][а-яё]+) [А-ЯЁ]\.\s?[А-ЯЁ]\.", tyazhinsky_seed())) | set(
        re.findall(r"[А-ЯЁ]\.[А-ЯЁ]\. ([А-ЯЁ][а-яё]+)", tyazhinsky_seed())
    )
    assert {"Погуляева", "Кирюшкина", "Толстихина", "Архипенко"} <= surnames
    for path in TYAZHINSKY_DATA.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        for name in surnames:
            assert name not in text, (path.name, name)
    assert not any(name in (TYAZHINSKY_DATA / "datapackage.json").read_text(encoding="utf-8") for name in surnames)

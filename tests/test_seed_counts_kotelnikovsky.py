"""Counts of the Котельниковский data package checked against the seed
(protocol of the working group of 20.05.2021 with appendices)."""

import hashlib
from collections import Counter
from pathlib import Path

from conftest import read_rows

ROOT = Path(__file__).resolve().parent.parent / "examples" / "kotelnikovsky"
DATA = ROOT / "data"
SCHOOLS = ("krasnoyarskaya-sh", "nagolnenskaya-sh", "semichenskaya-sh")


def rows(name):
    return read_rows("kotelnikovsky", name)


def test_municipality_and_schools():
    mun = rows("municipality")
    assert len(mun) == 1
    # «Общее количество ОО в муниципальном районе: 20»
    assert mun[0]["schools_total"] == "20"
    assert mun[0]["as_of"] == "2021-05-20"
    # «Количество школ с низкими образовательными результатами в муниципальном районе: 3»
    assert tuple(r["school_id"] for r in rows("schools")) == SCHOOLS
    assert all(r["branch_of"] == "" for r in rows("schools"))  # филиалов в источнике нет
    assert rows("clusters") == []  # кластеров в источнике нет


def test_document_registered_with_hash():
    docs = rows("documents")
    assert len(docs) == 1
    d = docs[0]
    # «ПРОТОКОЛ … 20.05.2021 г.» — номер не указан
    assert (d["type"], d["date"], d["number"]) == ("протокол", "2021-05-20", "")
    # The .txt is a transcription of the protocol (the original scan is not in the seeds); the PDF beside it is made
    # from that transcription to show an original's path, and the row says so.
    assert d["file"] == "documents/protokol-2021-05-20.pdf" and "изготовлен из расшифровки" in d["note"]
    assert hashlib.sha256((ROOT / "content" / d["file"]).read_bytes()).hexdigest() == d["sha256"]
    blob = (ROOT / "content" / d["transcription"]).read_bytes()
    assert hashlib.sha256(blob).hexdigest() == d["transcription_sha256"]


def test_results_counts():
    res = rows("results")
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


def test_activities_per_school():
    acts = rows("activities")
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


def test_list_membership():
    lm = rows("list_membership")
    # «Блок 3. Обоснование исключения ОО из списка…» — три школы
    excl = [r for r in lm if r["status"] == "исключена"]
    assert sorted(r["school_id"] for r in excl) == sorted(SCHOOLS)
    assert all(r["year"] == "2021" and r["reason"] for r in excl)
    assert all("<" not in r["reason"] for r in excl)  # HTML снят
    # у каждой — вывод «Вывод: планомерная всесторонняя работа …»
    assert all(r["reason"].splitlines()[-1].startswith("Вывод:") for r in excl)
    incl = [r for r in lm if r["status"] == "включена"]
    assert len(incl) == 3 and all(r["year"] == "2020" for r in incl)


def test_partnership_mentor():
    p = rows("partnerships")
    # «Налажено взаимодействие со школой – наставником» (МКОУ СШ № 3 г. Котельниково)
    assert len(p) == 1
    assert (p[0]["school_id"], p[0]["kind"], p[0]["partner_name"]) == (
        "krasnoyarskaya-sh",
        "наставничество",
        "МКОУ СШ № 3 г. Котельниково",
    )


def test_recommendations_and_criteria():
    # мониторинг, анализ поддержки по уровням, дневники школы/педагога/директора, анкета
    assert len(rows("recommendations")) == 6
    crit = rows("criteria")
    per = Counter(c["criterion"] for c in crit)
    # таблица «Критерии / Показатели»: 5 критериев
    assert len(per) == 5
    assert per["Нормативное обеспечение реализации программы"] == 2  # два показателя в одной ячейке
    assert per["Качество образования"] == 6
    assert per["Профессиональные компетенции педагогических и руководящих кадров"] == 3
    assert per["Работа с внешним сообществом"] == 1
    assert per["Школьная культура, ценности"] == 1
    assert all(c["purpose"] == "мониторинг" for c in crit)


def test_questionnaire():
    q = rows("questionnaires")
    assert len(q) == 1 and q[0]["title"] == "Есть ли изменения?"
    items = rows("questionnaire_items")
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
    assert not (DATA / "questionnaire_results.csv").exists()  # результатов в источнике нет


def test_plan_2021_2022():
    prog = rows("programmes")
    assert len(prog) == 1 and (prog[0]["start_year"], prog[0]["end_year"]) == ("2021", "2022")
    # разделы «1. Ресурсное», «2. Кадровое», «3. Аналитическое», «4. Методическое обеспечение»
    assert len(rows("tasks")) == 4
    rm = rows("roadmap")
    per = Counter(r["number"].split(".")[0] for r in rm)
    # пункты 1.1–1.4, 2.1–2.5, 3.1–3.3, 4.1–4.9
    assert per == Counter({"1": 4, "2": 5, "3": 3, "4": 9})
    assert all(r["responsible"] == "Отдел образования, руководители ОО" for r in rm)
    ms = rows("roadmap_milestones")
    assert len(ms) == 21 and all(m["year"] == "2021" and m["term"] for m in ms)


def test_meeting_and_decisions():
    m = rows("meetings")
    assert len(m) == 1 and m[0]["date"] == "2021-05-20"
    # «СЛУШАЛИ:» — три выступления
    assert len(m[0]["heard"].splitlines()) == 3
    assert "Кондрашов" not in m[0]["heard"] and "Голов" not in m[0]["heard"]
    dec = rows("decisions")
    kinds = Counter(d["kind"] for d in dec)
    # «ПОСТАНОВИЛИ: 1. … 2. … 3. …»
    assert kinds["постановили"] == 3
    assert all(d["meeting_id"] == m[0]["meeting_id"] for d in dec if d["kind"] == "постановили")
    # «Анализ эффективности принятых мер» — пункты 1–10
    assert kinds["анализ эффективности"] == 10
    p4 = next(d for d in dec if d["kind"] == "анализ эффективности" and d["number"] == "4")
    assert len(p4["text"].splitlines()) == 3  # «Рекомендовать РМК:» и два подпункта

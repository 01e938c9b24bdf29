"""Counts verified against the seed of examples/irbit (Ирбитское МО, отчёт о сопровождении школ, 2020)."""

import hashlib
from collections import Counter
from pathlib import Path

from conftest import read_rows

ROOT = Path(__file__).resolve().parent.parent / "examples" / "irbit"
DATA = ROOT / "data"


def rows(name):
    return read_rows("irbit", name)


def test_document_registered_with_hash():
    docs = rows("documents")
    assert len(docs) == 1
    d = docs[0]
    assert d["type"] == "отчёт"
    # seed gives no number and no date
    assert d["number"] == "" and d["date"] == ""
    data = (ROOT / "content" / d["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == d["sha256"]


def test_municipality():
    m = rows("municipality")
    assert len(m) == 1
    # «партнерское взаимодействие 22 образовательных организаций в 7 группах»
    assert m[0]["schools_total"] == "22"
    # latest date in the activities: «Критериальное и мышление руководителя» (14.10.2020г)
    assert m[0]["as_of"] == "2020-10-14"


def test_schools_and_branch():
    s = rows("schools")
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


def test_clusters():
    s = rows("schools")
    assert len(rows("clusters")) == 2
    # column «Кластер» of the table: 7 schools with «1» (all ООШ), 14 with «2» (all СОШ); Чубаровская not in the table
    assert Counter(r["cluster_id"] for r in s) == {"klaster-1": 7, "klaster-2": 14, "": 1}
    assert all(r["level"] == "ООШ" for r in s if r["cluster_id"] == "klaster-1")
    assert all(r["level"] == "СОШ" for r in s if r["cluster_id"] == "klaster-2")


def test_classifications():
    c = rows("classifications")
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


def test_partner_groups():
    g = rows("partner_groups")
    m = rows("partner_group_members")
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


def test_list_membership_and_partnerships():
    lm = rows("list_membership")
    # «МОУ «Пьянковская ООШ» является пилотной площадкой»
    assert [r["school_id"] for r in lm if r["list"] == "пилотная площадка"] == ["pyankovskaya-oosh"]
    assert sum(1 for r in lm if r["list"] == "ресурсный центр") == 5
    p = rows("partnerships")
    # «Заключение договоров о сотрудничестве с ИРО, базовой площадкой «Школа №13» г. Ирбит и УО Ирбитского МО»
    assert len(p) == 3
    base = [r for r in p if r["partner_role"] == "базовая площадка"]
    assert len(base) == 1 and base[0]["kind"] == "договор о взаимодействии"
    assert base[0]["partner_name"] == "МАОУ «Средняя общеобразовательная школа № 13», ГО Ирбит"


def test_programmes():
    pr = rows("programmes")
    # «муниципальной программы «Повышение качества образования в школах Ирбитского муниципального образования» на 2020-2023 годы»
    assert len(pr) == 1
    assert (pr[0]["start_year"], pr[0]["end_year"]) == ("2020", "2023")


def test_activities():
    a = rows("activities")
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

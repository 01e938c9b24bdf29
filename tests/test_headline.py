"""The headline at the top of every school page (issue 19 item 1): at most 60 words, and every statement it makes
agrees with the page's own data — checked against the examples' CSV files by an oracle written apart from the code."""

from __future__ import annotations

import re

import pytest

from conftest import PROJECTS, each_example, read_rows
from kachestvo.pages import headline
from kachestvo.standing import decide

HIGHER = {"средний балл", "средняя оценка", "доля «4 и 5»", "доля более 60 баллов"}
LOWER = {"доля «2»", "доля ниже минимального порога"}
WITH_SCHOOLS = [n for n in PROJECTS if read_rows(n, "schools")]


def _rows(name: str, table: str) -> list[dict]:
    return read_rows(name, table) if (PROJECTS[name] / "data" / f"{table}.csv").is_file() else []


def _headline(site, school_id: str) -> str:
    md = (site.parent / "build" / "shkoly" / f"{school_id}.md").read_text(encoding="utf-8")
    m = re.search(r'<div class="kq-headline">(.*?)</div>', md, re.S)
    assert m, f"{school_id}: no headline"
    assert md.index('class="kq-headline"') < md.index("## "), f"{school_id}: the headline is not at the top"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m.group(1))).replace("\u00a0", " ").strip()


def _trend(series: list[dict]) -> str | None:
    """«лучше» / «хуже» from the latest two values of a series, by the metric's direction."""
    held = sorted((r for r in series if r["value"]), key=lambda r: int(r["year"]))
    if len(held) < 2 or float(held[-1]["value"]) == float(held[-2]["value"]):
        return None
    up = float(held[-1]["value"]) > float(held[-2]["value"])
    metric = held[-1]["metric"]
    if metric not in HIGHER | LOWER:
        return None
    return "лучше" if up == (metric in HIGHER) else "хуже"


def _named(line: str) -> list[tuple[str, str, str, str]]:
    """(assessment, grade, subject, metric) of each series a «Лучше: …» / «Хуже: …» line names."""
    out = []
    for item in re.sub(r" и ещё \d+$", "", line).split("; "):
        left, metric = item.rsplit(" (", 1)
        head, subject = left.split(", ", 1)
        assessment, _, grade = head.partition(" ")
        out.append((assessment, grade.replace(" кл.", "") or "по школе", subject.lower(), metric[:-1]))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", each_example(WITH_SCHOOLS))
def test_every_school_page_opens_with_a_true_headline_of_at_most_60_words(built, name):
    site = built(name).site
    results = _rows(name, "results")
    memberships, classifications = _rows(name, "list_membership"), _rows(name, "classifications")
    municipal = {(r["assessment"], r["grade"], r["subject"], r["metric"], r["year"]) for r in results if r["municipality_id"]}
    for school in read_rows(name, "schools"):
        sid = school["school_id"]
        text = _headline(site, sid)
        assert len([w for w in text.split() if re.search(r"\w", w)]) <= 60, (sid, text)
        # standing agrees with the identification and groups of the page
        ids = sorted(
            (c for c in classifications if c["school_id"] == sid and c["identification_result"]), key=lambda c: c["year"]
        )
        mine = [m for m in memberships if m["school_id"] == sid]
        groups = [m for m in mine if m["list"] == "контрольная группа"]
        low_now = (ids and ids[-1]["identification_result"] == "ШНОР") or (
            groups and max(groups, key=lambda m: m["year"])["status"] == "включена"
        )
        if low_now:
            assert "не относится" not in text and ("школа с низкими результатами" in text or "расходятся" in text), text
        for m in re.findall(r"(\d{4})", text.split(".")[0]):
            assert int(m) in {int(r["year"]) for r in mine} | {int(c["year"]) for c in ids}, (sid, text)
        # better / worse: each named series really got better / worse by its direction
        own = [r for r in results if r["school_id"] == sid]
        series: dict[tuple, list[dict]] = {}
        for r in own:
            series.setdefault((r["assessment"], r["grade"], r["subject"].lower(), r["metric"]), []).append(r)
        for word, label in (("лучше", "Лучше: "), ("хуже", "Хуже: ")):
            line = re.search(label + r"(.*?)\. ", text)
            expected = {k for k, s in series.items() if _trend(s) == word}
            if line is None:
                assert not expected, (sid, word, expected, text)
                continue
            if re.match(r"\d+ показател", line.group(1)):
                assert int(line.group(1).split()[0]) == len(expected)
                continue
            for key in _named(line.group(1)):
                assert key in expected, (sid, key, text)
        # compared with what: a published figure of the same measure and year, or «не опубликовано»
        latest = {(r["assessment"], r["grade"], r["subject"], r["metric"], r["year"]) for r in own if r["value"]}
        if own:
            assert ("не опубликовано" in text) == (not latest & municipal), (sid, text)
        # what is being done now: the count of the page's activities of that year
        assert _now(text) == _expected_now(_rows(name, "activities"), sid, read_rows(name, "municipality")[0]["as_of"]), sid


def _now(text: str) -> str:
    """The «Сейчас:» line of a headline, up to its partnership group."""
    return text[text.index("Сейчас: ") :].split(";")[0].rstrip(".")


def _activities(n: int) -> str:
    word = {1: "мероприятие", 2: "мероприятия", 3: "мероприятия", 4: "мероприятия"}.get(n % 10, "мероприятий")
    return f"{n} {'мероприятий' if 11 <= n % 100 <= 14 else word}"


def _expected_now(activities: list[dict], sid: str, as_of: str) -> str:
    """The «Сейчас:» line from the CSV: activities of the school running in the data's «as of» year (or else the
    latest year any runs in), dates read as the CSV writes them (a year, a month or a day)."""
    acts = [a for a in activities if a["school_id"] == sid]
    if not acts:
        return "Сейчас: мероприятий школы в данных нет"
    spans = [
        (int((a["start_date"] or a["end_date"])[:4]), int((a["end_date"] or a["start_date"])[:4]))
        for a in acts
        if a["start_date"] or a["end_date"]
    ]
    undated = len(acts) - len(spans)
    year = int(as_of[:4]) if as_of else max((last for _, last in spans), default=None)
    if year is None:
        return f"Сейчас: {_activities(len(acts))} школы, сроки не указаны"
    running = sum(1 for first, last in spans if first <= year <= last)
    if running:
        return f"Сейчас: {_activities(running)} в {year} году" + (f", ещё {undated} без дат" if undated else "")
    return f"Сейчас: мероприятий в {year} году в данных нет" + (f", {_activities(undated)} без дат" if undated else "")


def test_word_count_and_shortening():
    assert headline.words("Статус: школа — с низкими (2020).") == 5
    decided = decide([], [dict(year=2020, identification_result="ШНОР", document_id="d")])
    rows = []
    for i, subject in enumerate(["Математика", "Русский язык", "Физика", "Химия", "Биология", "История"]):
        for year, value in ((2019, 3.0), (2021, 3.5 if i % 2 else 2.5)):
            rows.append(
                dict(
                    school_id="a",
                    assessment="ОГЭ",
                    grade="9",
                    subject=subject,
                    year=year,
                    metric="средняя оценка",
                    unit="оценка",
                    value=value,
                )
            )
    text = headline.plain(headline.make(decided, rows, [], "по району", "Сейчас: 3 мероприятия в 2021 году."))
    assert headline.words(text) <= headline.MAX_WORDS
    plain = text.replace("\u00a0", " ")
    better = re.search(r"Лучше: (.*?)\. ", plain).group(1)
    worse = re.search(r"Хуже: (.*?)\. ", plain).group(1)
    assert {k[2] for k in _named(better)} <= {"русский язык", "химия", "история"} and better.endswith("и ещё 1")
    assert {k[2] for k in _named(worse)} <= {"математика", "физика", "биология"} and worse.endswith("и ещё 1")


def test_an_exclusion_names_the_list_in_the_genitive():
    # «исключена из «региональный список ШНОР»» put a list's name where Russian needs its genitive
    rows = [
        dict(list="региональный список ШНОР", year=2020, status="включена", reason=None, document_id="a"),
        dict(list="региональный список ШНОР", year=2021, status="исключена", reason="рост", document_id="b"),
    ]
    line = headline.standing_line(decide(rows, []))
    assert "исключена из регионального списка ШНОР в 2021" in line, line


def _series(metric: str, unit: str, values) -> list[dict]:
    return [
        dict(school_id="a", assessment="ОГЭ", grade="9", subject="Математика", year=y, metric=metric, unit=unit, value=v)
        for y, v in values
    ]


def test_the_trend_line_tells_unchanged_and_undirected_series_from_missing_years():
    """«нет двух лет» only when no series has two years; the same value twice is «без изменений», a count of
    participants over two years is neither better nor worse (it used to read «нет двух лет» in both cases)."""
    decided = decide([], [])
    doing = "Сейчас: мероприятий школы в данных нет."

    def line(rows):
        return headline.plain(headline.make(decided, rows, [], "по району", doing)).replace("\u00a0", " ")

    same = line(_series("средняя оценка", "оценка", ((2019, 3.4), (2021, 3.4))))
    assert "нет двух лет" not in same and "Без изменений: 1 показатель" in same, same
    participants = line(_series("число участников", "чел.", ((2019, 12), (2021, 15))))
    assert "нет двух лет" not in participants and "Лучше:" not in participants and "Хуже:" not in participants
    assert "Динамика: не оценивается — у показателя «число участников» нет направления" in participants, participants
    one_year = line(_series("средняя оценка", "оценка", ((2021, 3.4),)))
    assert "Динамики нет: нет двух лет с результатами одного показателя." in one_year
    rising = _series("средняя оценка", "оценка", ((2019, 3.4), (2021, 3.6)))
    mixed = line(rising + _series("доля «2»", "%", ((2019, 5), (2021, 5))))
    assert "Лучше: ОГЭ 9 кл., математика (средняя оценка)." in mixed and "Без изменений" not in mixed, mixed


def test_a_list_is_named_as_a_list_not_by_a_bare_source():
    rows = [
        dict(list="Рособрнадзор", year=2020, status="включена", reason=None, document_id="a"),
        dict(list="контрольная группа", year=2017, status="включена", reason=None, document_id="a"),
    ]
    line = headline.standing_line(decide(rows, []))
    assert "список Рособрнадзора с 2020" in line and "контрольная группа с 2017" in line, line
    assert "«Рособрнадзор»" not in line

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
        assert "Сейчас:" in text


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

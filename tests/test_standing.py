"""The one standing model (kachestvo.standing): invariants over generated histories of list decisions,
identification results and control groups, and the five examples' pages against their own tables."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from conftest import PROJECTS, each_example, read_rows
from kachestvo import standing, vocabulary
from kachestvo.vocabulary import LISTS, LOW_RESULT_LISTS

# «входит в региональный список ШНОР с 2020 года»: the list or group each accusative names (the low-results lists and
# the control group, standing.KINDS), written here by hand so that a wrong case in the product cannot become the oracle
NAMED = {
    "региональный список ШНОР": vocabulary.REGIONAL_LOW,
    "список ШНСУ": vocabulary.ADVERSE,
    "список Рособрнадзора": vocabulary.ROSOBRNADZOR,
    "список ЦОКО": vocabulary.CENTRE,
    "проект «500+»": vocabulary.PROJECT_500,
    "контрольную группу": vocabulary.CONTROL_GROUP,
}
INCLUDED = re.compile(r"входит в (" + "|".join(map(re.escape, sorted(NAMED, key=len, reverse=True))) + r") с (\d{4}) года")

YEARS = st.integers(2015, 2024)
RESULTS = st.sampled_from(["ШНОР", "без особенностей", "зона риска", "школа-лидер", None])


@st.composite
def histories(draw):
    """A school's history: at most one decision per list and year (the table's key), identifications by year."""
    decisions = draw(
        st.dictionaries(st.tuples(st.sampled_from(LISTS), YEARS), st.sampled_from(["включена", "исключена"]), max_size=12)
    )
    memberships = [
        dict(list=name, year=year, status=status, reason=None, document_id=f"doc-{name}-{year}")
        for (name, year), status in decisions.items()
    ]
    identified = draw(st.dictionaries(YEARS, RESULTS, max_size=4))
    classifications = [
        dict(year=year, identification_result=result, quality_group=None, document_id=f"id-{year}")
        for year, result in identified.items()
    ]
    return memberships, classifications


def _doc(row) -> Markup:
    return Markup("[{}]").format(row["document_id"])


def _oracle(memberships, classifications):
    """Written apart from the module: per source its latest word, (year, says low)."""
    words = {}
    for name in set(m["list"] for m in memberships):
        if name in LOW_RESULT_LISTS or name == "контрольная группа":
            last = max((m for m in memberships if m["list"] == name), key=lambda m: m["year"])
            words[name] = (last["year"], last["status"] == "включена", last)
    ids = [c for c in classifications if c["identification_result"]]
    if ids:
        last = max(ids, key=lambda c: c["year"])
        words["идентификация"] = (last["year"], last["identification_result"] == "ШНОР", last)
    return words


@settings(max_examples=400, deadline=None)
@given(histories())
def test_the_first_sentence_never_contradicts_a_source(history):
    memberships, classifications = history
    decided = standing.decide(memberships, classifications)
    text = str(standing.sentence(decided, _doc))
    words = _oracle(memberships, classifications)
    lows = [w for w in words.values() if w[1]]
    clears = [w for w in words.values() if not w[1]]
    if not words:
        assert text.startswith("Сведений о статусе нет") and decided.low is None
    elif lows and clears:  # sources disagree: both are said
        assert text.startswith("Источники о статусе расходятся") and decided.conflict
    elif lows:
        assert text.startswith("Школа с низкими результатами") and decided.low is True
    else:
        assert text.startswith("Сейчас не относится") and decided.low is False
    # every source's latest word is on the card with its year and document
    for year, _, row in words.values():
        assert str(year) in text and f"[{row['document_id']}]" in text
    # nothing said «not low» while a source says low without the disagreement being named, and the reverse
    if lows and not clears:
        assert "не относится" not in text and "исключена" not in text
    if clears and not lows:
        assert "Школа с низкими результатами" not in text and "входит в" not in text


@settings(max_examples=400, deadline=None)
@given(histories())
def test_a_current_inclusion_is_never_dated_before_the_latest_exclusion(history):
    memberships, classifications = history
    text = str(standing.sentence(standing.decide(memberships, classifications), _doc))
    for phrase, since in INCLUDED.findall(text):
        name, since = NAMED[phrase], int(since)
        rows = [m for m in memberships if m["list"] == name]
        exclusions = [m["year"] for m in rows if m["status"] == "исключена"]
        assert all(e < since for e in exclusions)  # after the latest exclusion
        assert any(m["year"] == since and m["status"] == "включена" for m in rows)  # an inclusion of that year
        # the earliest such inclusion: none before it after the latest exclusion
        floor = max(exclusions, default=0)
        assert since == min(m["year"] for m in rows if m["status"] == "включена" and m["year"] > floor)


def test_included_excluded_and_included_again_dates_from_the_return():
    rows = [
        dict(list="Рособрнадзор", year=2016, status="включена", reason=None, document_id="a"),
        dict(list="Рособрнадзор", year=2017, status="исключена", reason=None, document_id="b"),
        dict(list="Рособрнадзор", year=2019, status="включена", reason=None, document_id="c"),
        dict(list="Рособрнадзор", year=2020, status="включена", reason=None, document_id="d"),
    ]
    text = str(standing.sentence(standing.decide(rows, []), _doc))
    assert text == "Школа с низкими результатами: входит в список Рособрнадзора с 2019 года ([d])."


def test_a_later_identification_disagreeing_with_an_exclusion_is_said_with_both():
    rows = [
        dict(list="региональный список ШНОР", year=2020, status="включена", reason=None, document_id="a"),
        dict(list="региональный список ШНОР", year=2021, status="исключена", reason=None, document_id="b"),
    ]
    ids = [dict(year=2022, identification_result="ШНОР", document_id="c")]
    decided = standing.decide(rows, ids)
    assert decided.conflict and decided.low is True
    assert str(standing.sentence(decided, _doc)) == (
        "Источники о статусе расходятся: по итогам идентификации 2022 года — ШНОР ([c]); "
        "но исключена из регионального списка ШНОР в 2021 году ([b]) (новее — сведения 2022 года: низкие результаты)."
    )


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.mark.slow
@pytest.mark.parametrize("name", each_example([n for n in PROJECTS if (PROJECTS[n] / "data" / "schools.csv").is_file()]))
def test_example_cards_agree_with_their_pages(built, name):
    """Every school page of the examples: the card's first sentence agrees with the identification and the groups
    in the page's own tables, and dates no current inclusion before a later exclusion."""
    memberships = read_rows(name, "list_membership") if (PROJECTS[name] / "data" / "list_membership.csv").is_file() else []
    classifications = read_rows(name, "classifications") if (PROJECTS[name] / "data" / "classifications.csv").is_file() else []
    site = built(name).site
    listing = "".join(
        p.read_text(encoding="utf-8")
        for p in (site / "shkoly").rglob("index.html")
        if "spisok" in str(p) or p.parent.name == "shkoly"
    )
    short = {
        "Школа с низкими результатами": "школа с низкими результатами",
        "Сейчас не относится": "сейчас не относится к школам с низкими результатами",
        "Источники о статусе расходятся": "источники о статусе расходятся",
        "Сведений о статусе нет": "сведений о статусе нет",
    }
    for school in read_rows(name, "schools"):
        sid = school["school_id"]
        html = (site / "shkoly" / sid / "index.html").read_text(encoding="utf-8")
        first = _text(re.search(r'<h3 class="kq-h3"[^>]*>Статус</h3>\s*<ul>\s*<li>(.*?)</li>', html, re.S).group(1))
        # the list of schools says the same standing as the card
        row = re.search(rf'<tr data-school="{sid}".*?</tr>', listing, re.S).group(0)
        cell = _text(re.search(r'data-label="Статус">(.*?)</td>', row, re.S).group(1)).strip()
        assert cell == next(v for k, v in short.items() if first.startswith(k)), (sid, cell, first)
        mine = [m for m in memberships if m["school_id"] == sid]
        ids = sorted(
            (c for c in classifications if c["school_id"] == sid and c["identification_result"]), key=lambda c: c["year"]
        )
        groups = [m for m in mine if m["list"] == "контрольная группа"]
        if ids and ids[-1]["identification_result"] == "ШНОР":
            assert "ШНОР" in first and "Сейчас не относится" not in first, (sid, first)
        if groups and max(groups, key=lambda m: m["year"])["status"] == "включена":
            assert "контрольную группу" in first and "Сейчас не относится" not in first, (sid, first)
        for phrase, since in INCLUDED.findall(first):
            list_name = NAMED[phrase]
            assert all(int(m["year"]) < int(since) for m in mine if m["list"] == list_name and m["status"] == "исключена")


def test_every_list_and_group_of_a_standing_has_its_three_cases_and_they_read_back():
    """No low-results list falls back to «список «…»»; the oracle's reading of «входит в …» finds each of them."""
    assert set(standing.KINDS) <= set(standing.CASES)
    for name in standing.KINDS:
        rows = [dict(list=name, year=2020, status="включена", reason=None, document_id="a")]
        text = str(standing.sentence(standing.decide(rows, []), _doc))
        assert [(NAMED[p], int(y)) for p, y in INCLUDED.findall(text)] == [(name, 2020)], text

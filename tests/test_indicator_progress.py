"""Progress over a programme's period and a year's shortfall (indicator_values): planted cases computed by hand from
the SDG method on the methodology page, and metamorphic properties over generated histories — mirroring an
indicator («не менее» ↔ «не более») or writing «не менее t» as the range «t–1000» never changes the verdict, and a
better latest fact never gives a worse one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kachestvo import vocabulary as v
from kachestvo.indicator_values import progress, shortfall, status


def _years(target_by_year: dict[int, object], actual_by_year: dict[int, object]) -> list[dict]:
    return [dict(year=y, target=t, actual=actual_by_year.get(y)) for y, t in target_by_year.items()]


TARGETS = {2020: "80", 2021: "85", 2022: "90"}


@pytest.mark.parametrize(
    ("actuals", "expected"),
    [
        ({2020: "60", 2021: "70"}, v.FAST_PROGRESS),  # a third of the way in half the time: pace 0.67
        ({2020: "60", 2021: "63"}, v.SLOW_PROGRESS),  # a tenth of the way in half the time: pace 0.2
        ({2020: "60", 2021: "60.2"}, v.NO_CHANGE),  # under 1 % of the way
        ({2020: "60", 2021: "50"}, v.WORSENING),
        ({2020: "95", 2021: "70"}, v.WORSENING),  # the baseline met the final target, the latest does not
        ({2020: "60", 2021: "92"}, v.GOAL_MET),
        ({2021: "70"}, v.NOT_ASSESSED),  # one fact only
        ({}, v.NOT_ASSESSED),
    ],
)
def test_planted_progress_at_least(actuals, expected):
    assert progress(_years(TARGETS, actuals), v.NUMBER, v.AT_LEAST) == expected


def test_planted_progress_of_other_directions():
    yes = {2020: "да", 2021: "да", 2022: "да"}
    assert progress(_years(yes, {2020: "да", 2021: "нет"}), v.YES_NO_UNIT, v.YES_NO) == v.WORSENING
    assert progress(_years(yes, {2020: "нет", 2021: "нет"}), v.YES_NO_UNIT, v.YES_NO) == v.NO_CHANGE
    assert progress(_years(yes, {2020: "нет", 2021: "да"}), v.YES_NO_UNIT, v.YES_NO) == v.GOAL_MET
    unreadable = {2020: "80", 2021: "85", 2022: "много"}
    assert progress(_years(unreadable, {2020: "60", 2021: "70"}), v.NUMBER, v.AT_LEAST) == v.NOT_ASSESSED
    assert progress(_years(unreadable, {2020: "60", 2021: "70"}), v.NUMBER, v.RANGE) == v.NOT_ASSESSED
    assert progress(_years(TARGETS, {2020: "60", 2021: "70"}), v.NUMBER, None) == v.NOT_JUDGED
    lower = {2020: "не более 20", 2021: "не более 15", 2022: "не более 10"}
    assert progress(_years(lower, {2020: "30", 2021: "22"}), v.NUMBER, v.AT_MOST) == v.FAST_PROGRESS  # 8 of 20 in half


@pytest.mark.parametrize(
    ("actual", "target", "way", "expected"),
    [
        ("70", "80–100", v.RANGE, 10.0),
        ("104", "от 80 до 100", v.RANGE, 4.0),
        ("90", "80–100", v.RANGE, None),
        ("12", "не более 10", v.AT_MOST, 2.0),
        ("75", "не менее 80", v.AT_LEAST, 5.0),
        ("85", "80", v.AT_LEAST, None),
        ("75", "много", v.AT_LEAST, None),
        ("75", "много", v.RANGE, None),
        ("нет", "да", v.YES_NO, None),
        ("75", "80", v.INFORMATIONAL, None),
        (None, "80", v.AT_LEAST, None),
    ],
)
def test_shortfall(actual, target, way, expected):
    assert shortfall(actual, target, v.NUMBER, way) == expected


RANK = {v.WORSENING: 0, v.NO_CHANGE: 1, v.SLOW_PROGRESS: 2, v.FAST_PROGRESS: 3, v.GOAL_MET: 4}
TOP = 1000


@st.composite
def histories(draw):
    """Three to six programme years with integer targets and facts in 0..TOP (some facts missing)."""
    n = draw(st.integers(3, 6))
    years = list(range(2020, 2020 + n))
    targets = {y: draw(st.integers(0, TOP)) for y in years}
    actuals = {y: draw(st.integers(0, TOP)) for y in years if draw(st.booleans())}
    return targets, actuals


@given(histories())
def test_mirroring_an_indicator_keeps_its_progress(history):
    targets, actuals = history
    higher = progress(_years(targets, actuals), v.NUMBER, v.AT_LEAST)
    mirrored = _years({y: TOP - t for y, t in targets.items()}, {y: TOP - a for y, a in actuals.items()})
    assert progress(mirrored, v.NUMBER, v.AT_MOST) == higher


@given(histories())
def test_a_floor_written_as_a_range_keeps_its_progress(history):
    targets, actuals = history
    as_range = _years({y: f"{t}–{TOP}" for y, t in targets.items()}, actuals)
    assert progress(as_range, v.NUMBER, v.RANGE) == progress(_years(targets, actuals), v.NUMBER, v.AT_LEAST)


@given(histories(), st.integers(1, TOP))
def test_a_better_latest_fact_never_gives_a_worse_verdict(history, raise_by):
    targets, actuals = history
    before = progress(_years(targets, actuals), v.NUMBER, v.AT_LEAST)
    if not actuals or before not in RANK:
        return
    last = max(actuals)
    after = progress(_years(targets, {**actuals, last: min(actuals[last] + raise_by, TOP)}), v.NUMBER, v.AT_LEAST)
    assert RANK[after] >= RANK[before], (before, after)


@pytest.mark.parametrize(
    ("actual", "missing", "way", "expected"),
    [
        (None, v.NOT_DUE, v.INFORMATIONAL, v.NOT_DUE),  # no fact yet: why, whatever the direction
        (None, v.NO_DATA, v.INFORMATIONAL, v.NO_DATA_YET),
        ("9", None, v.INFORMATIONAL, v.NOT_JUDGED),  # a fact of an indicator whose source does not say which way is better
        (None, v.NOT_DUE, v.AT_LEAST, v.NOT_DUE),
        ("9", None, v.AT_MOST, v.NOT_ACHIEVED),
        ("3", None, v.AT_MOST, v.ACHIEVED),
    ],
)
def test_a_year_without_a_fact_says_why_whatever_the_direction(actual, missing, way, expected):
    """The status of a year stands for the fact: a missing one says why (срок не наступил, нет данных) even for a
    «справочно» indicator, which only leaves a fact unjudged."""
    assert status("5", actual, v.NUMBER, missing, way) == expected

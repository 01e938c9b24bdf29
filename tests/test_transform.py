"""Fast unit tests of the pure parts: Russian formats, indicator status, dynamics, suppression."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kachestvo import fmt, protect, transform, vocabulary
from kachestvo.indicator_values import progress, shortfall, status

NB = "\u00a0"


@pytest.mark.parametrize(
    "value,unit,shown",
    [
        (3.58, "оценка", "3,58"),
        (4.0, "оценка", "4"),
        (0, "оценка", "0"),
        (0.733, "доля", f"73,3{NB}%"),
        (46.3, "балл", "46,3"),
        (1234.5, "процент", f"1{NB}234,5{NB}%"),
        (12, "человек", f"12{NB}чел."),
    ],
)
def test_values_use_decimal_comma_and_nbsp_before_units(value, unit, shown):
    assert fmt.value(value, unit) == shown


def test_dates_and_plurals_in_russian():
    assert fmt.date("2021-05-20") == f"20{NB}мая 2021{NB}г."
    assert [fmt.plural(n, "школа") for n in (1, 3, 5, 11, 22, 25, 111)] == [
        f"1{NB}школа",
        f"3{NB}школы",
        f"5{NB}школ",
        f"11{NB}школ",
        f"22{NB}школы",
        f"25{NB}школ",
        f"111{NB}школ",
    ]
    assert fmt.plural(21, "документ") == f"21{NB}документ"
    assert fmt.plural(1, "документ-источник") == f"1{NB}документ-источник"
    assert fmt.plural(22, "общеобразовательная организация") == f"22{NB}общеобразовательные организации"
    assert fmt.plural(5, "мероприятие", with_number=False) == "мероприятий"


@pytest.mark.parametrize(
    "target,actual,unit,missing,way,expected",
    [
        # yes/no, both ways: «нет» planned and «да» found is NOT achieved (the old `a == t or a` said it was)
        ("да", "да", "да/нет", None, "да/нет", "достигнуто"),
        ("да", "нет", "да/нет", None, "да/нет", "не достигнуто"),
        ("нет", "нет", "да/нет", None, "да/нет", "достигнуто"),
        ("нет", "да", "да/нет", None, "да/нет", "не достигнуто"),
        # higher is better
        ("70", "75.5", "процент", None, "не менее", "достигнуто"),
        ("70", "69", "процент", None, "не менее", "не достигнуто"),
        ("не менее 70", "70", "процент", None, "не менее", "достигнуто"),
        # lower is better, both ways (a share of «2», teachers leaving, a gap between schools)
        ("5", "3", "процент", None, "не более", "достигнуто"),
        ("5", "12", "процент", None, "не более", "не достигнуто"),
        ("не более 5", "5", "процент", None, "не более", "достигнуто"),
        # range
        ("80–100", "90", "процент", None, "в диапазоне", "достигнуто"),
        ("от 80 до 90", "95", "процент", None, "в диапазоне", "не достигнуто"),
        # informational, whatever the numbers
        ("70", "10", "процент", None, "справочно", "не оценивается"),
        ("70", "10", "процент", None, None, "не оценивается"),
        ("2", None, "число", "срок не наступил", "не менее", "срок не наступил"),
        ("2", None, "число", "нет данных", "не более", "нет данных"),
    ],
)
def test_indicator_status_follows_direction(target, actual, unit, missing, way, expected):
    assert status(target, actual, unit, missing, way) == expected


@pytest.mark.parametrize(
    "actual,target,unit,way,gap",
    [
        ("70", "80", "процент", "не менее", 10.0),
        ("90", "80", "процент", "не менее", None),
        ("30", "не более 5", "процент", "не более", 25.0),
        ("3", "5", "процент", "не более", None),
        ("95", "80–90", "процент", "в диапазоне", 5.0),
        ("нет", "да", "да/нет", "да/нет", None),
        ("1", "3", "число", "справочно", None),
    ],
)
def test_shortfall_is_measured_in_the_targets_direction(actual, target, unit, way, gap):
    assert shortfall(actual, target, unit, way) == gap


def _years(*pairs, targets=None):
    return [dict(year=2020 + i, target=(targets or {}).get(i, t), actual=a) for i, (t, a) in enumerate(pairs)]


@pytest.mark.parametrize(
    "years,unit,way,expected",
    [
        # higher is better: baseline 40, final target 80 over 4 years
        (_years(("80", "40"), ("80", "60"), ("80", None), ("80", None)), "процент", "не менее", "заметный прогресс"),
        (_years(("80", "40"), ("80", "42"), ("80", None), ("80", None)), "процент", "не менее", "слабый прогресс"),
        (_years(("80", "40"), ("80", "40"), ("80", None), ("80", None)), "процент", "не менее", "без изменений"),
        (_years(("80", "40"), ("80", "30"), ("80", None), ("80", None)), "процент", "не менее", "ухудшение"),
        (_years(("80", "40"), ("80", "85")), "процент", "не менее", "цель достигнута"),
        # lower is better: a share of «2» from 12 % to 30 % is worse, never «↑ progress»
        (_years(("5", "12"), ("5", "30")), "процент", "не более", "ухудшение"),
        (_years(("5", "12"), ("5", "7"), ("5", None)), "процент", "не более", "заметный прогресс"),
        (_years(("5", "12"), ("5", "4")), "процент", "не более", "цель достигнута"),
        # yes/no both ways
        (_years(("да", "нет"), ("да", "нет")), "да/нет", "да/нет", "без изменений"),
        (_years(("да", "да"), ("да", "нет")), "да/нет", "да/нет", "ухудшение"),
        (_years(("да", "нет"), ("да", "да")), "да/нет", "да/нет", "цель достигнута"),
        (_years(("нет", "да"), ("нет", "нет")), "да/нет", "да/нет", "цель достигнута"),
        # one fact, none, informational
        (_years(("80", "40"), ("80", None)), "процент", "не менее", "нет оценки"),
        (_years(("80", None), ("80", None)), "процент", "не менее", "нет оценки"),
        (_years(("80", "40"), ("80", "90")), "процент", "справочно", "не оценивается"),
    ],
)
def test_progress_over_the_period_follows_direction(years, unit, way, expected):
    assert progress(years, unit, way) == expected


def _results(rows):
    cols = ["school_id", "assessment", "grade", "subject", "year", "metric", "unit", "value", "value_missing", "_line"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols).assign(municipality_id=None)


def test_dynamics_skip_years_not_held_and_know_lower_is_better():
    r = _results(
        [
            ("a", "ОГЭ", "9", "Математика", 2019, "средняя оценка", "оценка", 3.5, None, 2),
            ("a", "ОГЭ", "9", "Математика", 2020, "средняя оценка", "оценка", None, "не проводилось", 3),
            ("a", "ОГЭ", "9", "Математика", 2021, "средняя оценка", "оценка", 3.8, None, 4),
            ("a", "ОГЭ", "9", "Математика", 2019, "доля «2»", "доля", 0.1, None, 5),
            ("a", "ОГЭ", "9", "Математика", 2021, "доля «2»", "доля", 0.05, None, 6),
            ("b", "ОГЭ", "9", "Математика", 2019, "средняя оценка", "оценка", 4.0, None, 7),
            ("b", "ОГЭ", "9", "Математика", 2021, "средняя оценка", "оценка", 3.0, None, 8),
        ]
    )
    d = transform.dynamics(r).set_index(["school_id", "metric"])
    assert d.loc[("a", "средняя оценка"), "prev_year"] == 2019
    assert d.loc[("a", "средняя оценка"), "trend"] == "лучше"
    assert d.loc[("a", "доля «2»"), "trend"] == "лучше"  # 10 % → 5 % of «2»: down, and better
    assert d.loc[("b", "средняя оценка"), "trend"] == "хуже"
    share = transform.positive_dynamics_share(r, {"a", "b"}, "ОГЭ").set_index("metric")
    assert share.loc["средняя оценка", "share"] == 0.5 and share.loc["средняя оценка", "schools"] == 2


def test_small_groups_are_blanked_with_reason():
    r = _results(
        [
            ("a", "ЕГЭ", "11", "Русский язык", 2021, "средний балл", "балл", 71.0, None, 2),
            ("a", "ЕГЭ", "11", "Русский язык", 2021, "число участников", "человек", 3.0, None, 3),
            ("b", "ЕГЭ", "11", "Русский язык", 2021, "средний балл", "балл", 65.0, None, 4),
            ("b", "ЕГЭ", "11", "Русский язык", 2021, "число участников", "человек", 12.0, None, 5),
        ]
    )
    out, lines = protect.suppress(r, 5)
    assert lines == {2, 3}  # the whole group, its size included
    assert list(out.loc[:1, "value_missing"]) == ["скрыто", "скрыто"] and out.loc[:1, "value"].isna().all()
    assert list(out.loc[2:, "value"]) == [65.0, 12.0]


def test_a_hidden_grade_hides_its_school_wide_total():
    r = _results(
        [
            ("a", "ВПР", "5", "Математика", 2021, "число участников", "человек", 3.0, None, 2),
            ("a", "ВПР", "6", "Математика", 2021, "число участников", "человек", 9.0, None, 3),
            ("a", "ВПР", "6", "Математика", 2021, "средняя оценка", "оценка", 3.4, None, 4),
            ("a", "ВПР", "по школе", "Математика", 2021, "число участников", "человек", 12.0, None, 5),
            ("a", "ВПР", "по школе", "Математика", 2021, "средняя оценка", "оценка", 3.5, None, 6),
            ("a", "ВПР", "по школе", "Русский язык", 2021, "средняя оценка", "оценка", 3.6, None, 7),
        ]
    )
    _, lines = protect.suppress(r, 5)
    assert lines == {2, 5, 6}  # 12 − 9 would give the hidden 3 back; grade 6 and another subject stay


def test_a_small_school_wide_group_hides_every_grade_in_it():
    r = _results(
        [
            ("a", "ВПР", "по школе", "Математика", 2021, "число участников", "человек", 4.0, None, 2),
            ("a", "ВПР", "5", "Математика", 2021, "средняя оценка", "оценка", 3.1, None, 3),
            ("a", "ВПР", "5", "Математика", 2022, "средняя оценка", "оценка", 3.2, None, 4),
        ]
    )
    _, lines = protect.suppress(r, 5)
    assert lines == {2, 3}


def test_long_urls_and_identifiers_may_wrap_but_words_do_not():
    from kachestvo.escape import text

    url = "http://school.example.ru/index/akcija_trenirujsja_doma/0-208?a=1&b=<2>"
    shown = text(f"Акция {url} проведена")
    assert shown.startswith("Акция http:/<wbr>/<wbr>school.<wbr>example.") and "&amp;<wbr>b=<wbr>&lt;2&gt;" in shown
    assert shown.replace("<wbr>", "") == text(f"Акция {url} проведена").replace("<wbr>", "")
    assert "<wbr>" not in text("Общеобразовательная организация — муниципальное учреждение")


def _dynamics_by_groupby(results):
    """The previous implementation (pandas groupby), kept as the reference `transform.dynamics_rows` must agree with."""
    held = results[results["value"].notna()].sort_values("year")
    rows = []
    for key, g in held.groupby(transform.RESULT_KEY, sort=True):
        if len(g) < 2 or key[-1] not in vocabulary.LOWER_IS_BETTER | vocabulary.HIGHER_IS_BETTER:
            continue
        prev, last = g.iloc[-2], g.iloc[-1]
        delta = float(last["value"]) - float(prev["value"])
        better = -delta if key[-1] in vocabulary.LOWER_IS_BETTER else delta
        trend = "лучше" if better > 0 else "хуже" if better < 0 else "без изменений"
        rows.append(dict(zip(transform.RESULT_KEY, key), prev_year=int(prev["year"]), prev=float(prev["value"]),
                         year=int(last["year"]), last=float(last["value"]), unit=last["unit"], trend=trend))  # fmt: skip
    return rows


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.sampled_from(["ОГЭ", "ВПР"]),
            st.sampled_from(["9", "по школе"]),
            st.sampled_from(["Математика", "Русский язык"]),
            st.sampled_from(sorted(vocabulary.METRICS)),
            st.integers(2016, 2024),
            st.one_of(st.none(), st.floats(0, 100, allow_nan=False), st.just(float("nan"))),
        ),
        max_size=40,
        unique_by=lambda t: t[:6],  # the results' key: one value per series and year
    )
)
def test_dynamics_rows_agree_with_the_groupby_reading(cells):
    names = [*transform.RESULT_KEY, "year", "value"]
    records = [dict(zip(names, c), unit="балл") for c in cells]
    frame = pd.DataFrame(records, columns=[*names, "unit"])
    assert transform.dynamics_rows(records) == _dynamics_by_groupby(frame)
    assert transform.dynamics(frame).to_dict("records") == _dynamics_by_groupby(frame)

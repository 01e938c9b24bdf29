"""Programme: years in order, indicator hierarchy, targets for every year, values fitting the unit, directions fitting
their wording."""

from __future__ import annotations

import pandas as pd

from kachestvo import indicator_values
from kachestvo.validate.checks.rule import check, problem
from kachestvo.vocabulary import AT_LEAST, AT_MOST, INFORMATIONAL, RANGE, YES_NO


@check
def programme_years_ordered(ds):
    for _, r in ds["programmes"].iterrows():
        if pd.notna(r["start_year"]) and pd.notna(r["end_year"]) and r["end_year"] < r["start_year"]:
            yield problem(
                "programmes",
                r,
                "end_year",
                "end-before-start",
                f"последний год {r['end_year']} раньше первого {r['start_year']}. "
                "Проверьте сроки программы по документу и исправьте ошибочный год.",
                r["end_year"],
            )


@check
def indicator_parent_is_sound(ds):
    ind = ds["indicators"].set_index("indicator_id", drop=False)
    for _, r in ind[ind["parent_id"].notna()].iterrows():
        if r["parent_id"] == r["indicator_id"]:
            yield problem(
                "indicators",
                r,
                "parent_id",
                "parent-is-self",
                "показатель указан родителем самого себя. Укажите родительским другой показатель или оставьте ячейку пустой.",
                r["parent_id"],
            )
        elif r["parent_id"] in ind.index and ind.loc[r["parent_id"], "task_id"] != r["task_id"]:
            yield problem(
                "indicators",
                r,
                "parent_id",
                "parent-other-task",
                "родительский показатель относится к другой задаче. Подпоказатель должен быть в той же задаче.",
                r["parent_id"],
            )


@check
def indicator_targets_every_year(ds):
    yield from indicator_values.coverage_problems(ds, problem)


@check
def indicator_values_fit_unit(ds):
    yield from indicator_values.value_problems(ds, problem)


def _says(text) -> set[str]:
    """The direction words a text uses: «не менее», «не более»."""
    words = str(text).lower() if isinstance(text, str) else ""
    return {w for w in (AT_LEAST, AT_MOST) if w in words}


OPPOSITE = {AT_LEAST: AT_MOST, AT_MOST: AT_LEAST}


@check
def indicator_direction_fits_wording(ds):
    """An indicator's direction must not contradict its own wording, its unit or its targets."""
    ways = {}
    for _, r in ds["indicators"].iterrows():
        way = indicator_values.direction(r["direction"])
        ways[r["indicator_id"]] = way
        yield from _direction_problems(r, way)
    for _, r in ds["indicator_values"].iterrows():
        yield from _target_problems(r, ways.get(r["indicator_id"]))


def _direction_problems(r, way: str):
    """An indicator whose direction contradicts its unit (yes/no) or its own wording («не менее», «не более»)."""
    said = _says(r["text"])
    if (r["unit"] == YES_NO) != (way == YES_NO) and way != INFORMATIONAL:
        yield problem(
            "indicators",
            r,
            "direction",
            "direction-contradiction",
            f"направление «{way}» не подходит показателю в единицах «{r['unit']}»: "
            "для «да/нет» укажите направление «да/нет», для чисел и процентов — «не менее», «не более» или «в диапазоне».",
            r["direction"],
        )
    elif said and (way in OPPOSITE and OPPOSITE[way] in said or way in (YES_NO, RANGE)):
        yield problem(
            "indicators",
            r,
            "direction",
            "direction-contradiction",
            f"формулировка показателя говорит «{' / '.join(sorted(said))}», а направление — «{way}». "
            "Укажите направление, как сказано в источнике.",
            r["direction"],
        )


def _target_problems(r, way: str | None):
    """A target written against its indicator's direction, or not a range where the direction is a range."""
    word = indicator_values.bound(r["target"])
    if word and way in (AT_LEAST, AT_MOST, YES_NO, RANGE) and word != way:
        yield problem(
            "indicator_values",
            r,
            "target",
            "direction-contradiction",
            f"план записан как «{r['target']}», а направление показателя — «{way}». "
            "Исправьте план или направление показателя в indicators.csv.",
            r["target"],
        )
    elif way == RANGE and pd.notna(r["target"]) and indicator_values.span(r["target"]) is None:
        yield problem(
            "indicator_values",
            r,
            "target",
            "direction-contradiction",
            f"у показателя с направлением «в диапазоне» план «{r['target']}» — не диапазон. Запишите план как «80–100».",
            r["target"],
        )

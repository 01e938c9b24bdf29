"""Programme: years in order, indicator hierarchy, targets for every year, values fitting the unit."""

from __future__ import annotations

import pandas as pd

from kachestvo import indicator_values

from . import check, problem


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

"""Activities: dates in order, school activities name their school."""

from __future__ import annotations

import pandas as pd

from kachestvo import partial_date, schemas
from kachestvo.validate.checks.rule import check, problem


@check
def activity_dates_exist(ds):
    """A date of the right shape on a day its month does not have (2021-02-30)."""
    frame = ds["activities"]
    for column in partial_date.fields(schemas.schema("activities")):
        for _, r in frame[frame[column].map(lambda v: isinstance(v, str))].iterrows():
            yield problem(
                "activities",
                r,
                column,
                "impossible-date",
                f"даты {r[column]} нет в календаре. Проверьте число и месяц по документу; если день не указан, "
                "оставьте месяц (ГГГГ-ММ) или год (ГГГГ).",
                r[column],
            )


@check
def activity_dates_ordered(ds):
    """The end is not before the start, at the precision each has (a month ends on its last day)."""
    frame = ds["activities"]
    pd_ = partial_date.PartialDate
    wrong = [
        isinstance(end, pd_) and isinstance(start, pd_) and partial_date.before(end, start)
        for start, end in zip(frame["start_date"], frame["end_date"])
    ]  # plain Python over the two columns: a row is built only for a date out of order
    for _, r in frame[wrong].iterrows():
        yield problem(
            "activities",
            r,
            "end_date",
            "end-before-start",
            f"дата окончания {r['end_date']} раньше даты начала {r['start_date']}. "
            "Проверьте обе даты по документу и исправьте ошибочную.",
            str(r["end_date"]),
        )


@check
def school_activity_names_school(ds):
    frame = ds["activities"]
    for _, r in frame[(frame["level"] == "школьный") & frame["school_id"].isna()].iterrows():
        if r["level"] == "школьный" and pd.isna(r["school_id"]):
            yield problem(
                "activities",
                r,
                "school_id",
                "school-required",
                "у школьного мероприятия не указана школа. Впишите school_id или выберите уровень «муниципальный».",
            )

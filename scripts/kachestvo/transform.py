"""Pure functions from loaded tables to what pages show: statuses, dynamics, derived indicators."""

from __future__ import annotations

import pandas as pd

from kachestvo import indicator_values, vocabulary
from kachestvo.escape import is_missing
from kachestvo.vocabulary import HIGHER_IS_BETTER, LOW_RESULT_LISTS, LOWER_IS_BETTER

RESULT_KEY = ["school_id", "assessment", "grade", "subject", "metric"]


def _identified(classifications: pd.DataFrame) -> pd.DataFrame:
    """(school_id, year) of schools identified as ШНОР by the municipality's own identification."""
    return _identified_rows(classifications)[["school_id", "year"]]


def _identified_rows(classifications: pd.DataFrame) -> pd.DataFrame:
    """The identification rows that name a school ШНОР."""
    return classifications[classifications["identification_result"] == "ШНОР"]


def low_result_schools_by_year(memberships: pd.DataFrame, classifications: pd.DataFrame, sizes=None) -> pd.DataFrame:
    """Per year: distinct schools on a ШНОР/ШНСУ list or identified as ШНОР (included; at least the lists' stated
    sizes, see list_sizes_by_year), and excluded from a list; with each count, why it rests on inferred years (the
    «inferred» reasons of its rows) or None."""
    m = memberships[memberships["list"].isin(list(LOW_RESULT_LISTS))]
    on = pd.concat([m.loc[m["status"] == vocabulary.INCLUDED, ["school_id", "year"]], _identified(classifications)])
    inc = on.drop_duplicates().groupby("year")["school_id"].nunique()
    # where the source states the lists' sizes (naming fewer schools), the stated size counts
    for year, stated in list_sizes_by_year(sizes if sizes is not None else pd.DataFrame(columns=["list"])).items():
        inc.loc[year] = max(int(inc.get(year, 0)), stated["total"])
    excluded = m[m["status"] == vocabulary.EXCLUDED]
    exc = excluded.groupby("year")["school_id"].nunique()
    years = sorted(set(inc.index) | set(exc.index))
    included_rows = [m[m["status"] == vocabulary.INCLUDED], _identified_rows(classifications)]
    return pd.DataFrame(
        {
            "year": years,
            "included": [int(inc.get(y, 0)) for y in years],
            "excluded": [int(exc.get(y, 0)) for y in years],
            "included_inferred": [_inferred_reasons(included_rows, y) for y in years],
            "excluded_inferred": [_inferred_reasons([excluded], y) for y in years],
        }
    )


def _inferred_reasons(frames: list[pd.DataFrame], year: int) -> str | None:
    """Why a year's count rests on years the source does not state: the distinct «inferred» reasons of its rows."""
    reasons: dict[str, None] = {}
    for frame in frames:
        if "inferred" in frame.columns:
            reasons.update(dict.fromkeys(r for r in frame.loc[frame["year"] == year, "inferred"] if not is_missing(r)))
    return "; ".join(reasons) or None


def list_sizes_by_year(sizes: pd.DataFrame) -> dict[int, dict]:
    """Per year, the low-results lists' sizes as their source states them (named or not): {year: {total, lists}}.
    total = the sizes' sum less the schools stated as shared with another list (each shared school counted once);
    lists = [(list, schools, shared_with, shared, document_id)]."""
    out: dict[int, dict] = {}
    rows = sizes[sizes["list"].isin(list(LOW_RESULT_LISTS))].sort_values(["year", "list"])
    for year, g in rows.groupby("year", sort=True):
        shared = sum(int(s) for s in g["shared"] if s is not None and not pd.isna(s))
        lists = [(r["list"], int(r["schools"]), r["shared_with"], r["shared"], r["document_id"]) for _, r in g.iterrows()]
        out[int(year)] = dict(total=int(g["schools"].sum()) - shared, lists=lists)
    return out


def low_result_school_ids(memberships: pd.DataFrame, classifications: pd.DataFrame) -> set[str]:
    """Schools that were ever on a ШНОР/ШНСУ list or identified as ШНОР."""
    m = memberships[memberships["list"].isin(list(LOW_RESULT_LISTS))]
    return set(m["school_id"]) | set(_identified(classifications)["school_id"])


def series_label(r) -> str:
    """«ОГЭ, 9 класс: Математика» — the label of a result series in charts and tables."""
    grade = "" if r["grade"] == "по школе" else f", {r['grade']} класс"
    return f"{r['assessment']}{grade}: {r['subject']}"


def dynamics(results: pd.DataFrame) -> pd.DataFrame:
    """For each result series: the latest value, the previous available one, and whether it got better or worse by the
    metric's direction (a share of «2» going up is worse); metrics with no direction (counts) are left out."""
    return pd.DataFrame(dynamics_rows(results.to_dict("records")), columns=DYNAMICS_COLUMNS)


DYNAMICS_COLUMNS = RESULT_KEY + ["prev_year", "prev", "year", "last", "unit", "trend"]
_DIRECTED = LOWER_IS_BETTER | HIGHER_IS_BETTER


def dynamics_rows(results: list[dict]) -> list[dict]:
    """`dynamics` of result records, without a frame (a school page asks for its own few series: pandas' overhead per
    call was most of the headline's cost). Series in key order, each judged by its two latest years with a value."""
    series: dict[tuple, list[dict]] = {}
    for r in results:
        if r["metric"] in _DIRECTED and not is_missing(r["value"]):
            series.setdefault(tuple(r[k] for k in RESULT_KEY), []).append(r)
    return [_trend(key, sorted(rows, key=lambda r: r["year"])) for key, rows in sorted(series.items()) if len(rows) > 1]


def _trend(key: tuple, rows: list[dict]) -> dict:
    prev, last = rows[-2], rows[-1]
    delta = float(last["value"]) - float(prev["value"])
    better = -delta if key[-1] in LOWER_IS_BETTER else delta
    return dict(
        zip(RESULT_KEY, key),
        prev_year=int(prev["year"]),
        prev=float(prev["value"]),
        year=int(last["year"]),
        last=float(last["value"]),
        unit=last["unit"],
        trend="лучше" if better > 0 else "хуже" if better < 0 else "без изменений",
    )


def positive_dynamics_share(results: pd.DataFrame, school_ids: set[str], assessment: str) -> pd.DataFrame:
    """Derived indicator: share of the given schools with positive dynamics in an assessment, by subject.

    Formula: number of schools whose latest value of the metric is better (by its direction) than the previous
    available value, divided by the number of schools having both values.
    """
    d = dynamics(results[results["school_id"].isin(school_ids) & (results["assessment"] == assessment)])
    rows = []
    for (subject, metric), g in d.groupby(["subject", "metric"], sort=True):
        rows.append(
            dict(
                subject=subject,
                metric=metric,
                schools=len(g),
                improved=int((g["trend"] == "лучше").sum()),
                share=(g["trend"] == "лучше").mean(),
                years=f"{g['prev_year'].min()}–{g['year'].max()}",
            )
        )
    return pd.DataFrame(rows, columns=["subject", "metric", "schools", "improved", "share", "years"])


def scorecard(ds) -> list[dict]:
    """Indicators of every programme with their yearly target, actual and status."""
    values = ds["indicator_values"]
    out = []
    for _, ind in ds["indicators"].sort_values(["task_id", "order"]).iterrows():
        rows = values[values["indicator_id"] == ind["indicator_id"]].sort_values("year")
        v_ = {k: (None if is_missing(x) else x) for k, x in ind.items()}
        years = [
            dict(
                year=int(v["year"]),
                target=_clean(v["target"]),
                actual=_clean(v["actual"]),
                missing=_clean(v["actual_missing"]),
                document_id=_clean(v["document_id"]),
                status=indicator_values.status(v["target"], v["actual"], ind["unit"], v["actual_missing"], ind["direction"]),
            )
            for _, v in rows.iterrows()
        ]
        way = indicator_values.direction(v_["direction"])
        out.append(dict(v_, direction=way, years=years, progress=indicator_values.progress(years, ind["unit"], way)))
    return out


def by_id(frame: pd.DataFrame, key: str) -> dict[str, dict]:
    return {r[key]: {k: (None if is_missing(v) else v) for k, v in r.items()} for r in frame.to_dict("records")}


def _clean(value):
    return None if is_missing(value) else value

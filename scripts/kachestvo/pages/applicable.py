"""Which of a school's results its page shows: a series (assessment, class, subject, metric) with no value in any
year is left out when the school has no such class (ЕГЭ at a basic school) or it had no participants every year
(in the years it was held);
one sentence names what was left out and why. A value is never left out, whatever its class."""

from __future__ import annotations

from kachestvo import fmt
from kachestvo.pages import report_card
from kachestvo.vocabulary import ASSESSMENT_GRADE, LAST_GRADE, NO_PARTICIPANTS, NOT_HELD


def _grade(r: dict) -> int | None:
    return int(r["grade"]) if str(r["grade"]).isdigit() else ASSESSMENT_GRADE.get(r["assessment"])


def _series(r: dict) -> tuple:
    return (r["assessment"], r["grade"], r["subject"], r["metric"])


def split(results: list[dict], level: str | None) -> tuple[list[dict], dict[str, str]]:
    """(the rows shown, {what was left out: why}) — keys are an assessment («ЕГЭ») when all its rows are left out,
    else «ОГЭ, 9 класс, химия»."""
    last = LAST_GRADE.get(level or "")
    by_series: dict[tuple, list[dict]] = {}
    for r in results:
        by_series.setdefault(_series(r), []).append(r)
    out = {key: why for key, rows in by_series.items() if (why := _left_out(rows, last))}
    shown = [r for r in results if _series(r) not in out]
    return shown, _reasons(out, {r["assessment"] for r in shown})


def _left_out(rows: list[dict], last: int | None) -> str | None:
    """Why a series (its rows over the years) is left out, or None when it is shown."""
    if any(r["value"] is not None for r in rows):
        return None
    grade = _grade(rows[0])
    missing = {r["value_missing"] for r in rows}
    if last is not None and grade is not None and grade > last:
        return f"в школе нет {grade}{fmt.NBSP}класса"
    if missing == {NO_PARTICIPANTS}:
        return "участников не было ни в одном году"
    if NO_PARTICIPANTS in missing and missing <= {NO_PARTICIPANTS, NOT_HELD}:
        # «не проводилось» alone is kept: it says the assessment was cancelled that year
        return "ни в одном году не проводилась или не было участников"
    return None


def _reasons(out: dict[tuple, str], kept: set[str]) -> dict[str, str]:
    """{what was left out: why}: a whole assessment when none of its rows is shown, else each series by its head."""
    reasons: dict[str, str] = {}
    for (assessment, grade, subject, _metric), why in sorted(out.items()):
        if assessment not in kept:
            reasons[assessment] = "; ".join(sorted({w for k, w in out.items() if k[0] == assessment}))
        else:
            reasons[report_card.head(dict(assessment=assessment, grade=grade, subject=subject))] = why
    return reasons


def sentence(reasons: dict[str, str]) -> str:
    """«Не показаны результаты, которых у школы нет: ЕГЭ (в школе нет 11 класса); ГВЭ (участников не было ни в одном
    году).»"""
    if not reasons:
        return ""
    listed = "; ".join(f"{k} ({w})" for k, w in reasons.items())
    return f"Не показаны результаты, которых у школы нет: {listed}."

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
    out: dict[tuple, str] = {}
    for key, rows in by_series.items():
        if any(r["value"] is not None for r in rows):
            continue
        grade = _grade(rows[0])
        if last is not None and grade is not None and grade > last:
            out[key] = f"в школе нет {grade}{fmt.NBSP}класса"
        elif all(r["value_missing"] == NO_PARTICIPANTS for r in rows):
            out[key] = "участников не было ни в одном году"
        elif all(r["value_missing"] in (NO_PARTICIPANTS, NOT_HELD) for r in rows) and any(
            r["value_missing"] == NO_PARTICIPANTS for r in rows
        ):  # «не проводилось» alone is kept: it says the assessment was cancelled that year
            out[key] = "ни в одном году не проводилась или не было участников"
    shown = [r for r in results if _series(r) not in out]
    kept = {r["assessment"] for r in shown}
    reasons: dict[str, str] = {}
    for (assessment, grade, subject, _metric), why in sorted(out.items()):
        if assessment not in kept:
            whys = sorted({w for k, w in out.items() if k[0] == assessment})
            reasons[assessment] = "; ".join(whys)
        else:
            reasons[report_card.head(dict(assessment=assessment, grade=grade, subject=subject))] = why
    return shown, reasons


def sentence(reasons: dict[str, str]) -> str:
    """«Не показаны результаты, которых у школы нет: ЕГЭ (в школе нет 11 класса); ГВЭ (участников не было ни в одном
    году).»"""
    if not reasons:
        return ""
    listed = "; ".join(f"{k} ({w})" for k, w in reasons.items())
    return f"Не показаны результаты, которых у школы нет: {listed}."

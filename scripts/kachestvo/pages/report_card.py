"""A school's report card: status and why, latest results beside the published district average and the
previous time, what is being done — plain Russian sentences made only from the data (never rankings)."""

from __future__ import annotations

from markupsafe import Markup

from kachestvo import fmt, standing
from kachestvo.vocabulary import LOW_RESULT_LISTS

SKIP_METRICS = {"число участников"}  # a count of pupils is context, not a result to compare
MASCULINE = {"средний балл"}  # «средний балл … выше среднего по району»; the other metrics are feminine
EPSILON = 1e-9


def series_key(r: dict) -> tuple:
    return (r["assessment"], r["grade"], r["subject"], r["metric"])


def head(r: dict) -> str:
    """«ОГЭ, 9 класс, математика»."""
    subject = r["subject"][:1].lower() + r["subject"][1:]
    grade = "" if r["grade"] == "по школе" else f", {r['grade']}{fmt.NBSP}класс"
    return f"{r['assessment']}{grade}, {subject}"


def change(last: float, prev: float, unit: str) -> str:
    """«↑ 0,33», «↓ 5 п. п.», «= »: the direction and size of a change (shares in percentage points)."""
    delta = last - prev
    if abs(delta) < EPSILON:
        return "="
    arrow = "↑" if delta > 0 else "↓"
    if unit == "доля":
        size = f"{fmt.number(abs(delta) * 100, 1)}{fmt.NBSP}п.{fmt.NBSP}п."
    elif unit == "процент":
        size = f"{fmt.number(abs(delta), 1)}{fmt.NBSP}п.{fmt.NBSP}п."
    else:
        size = fmt.value(abs(delta), unit)
    return f"{arrow}{fmt.NBSP}{size}"


def compare(value: float, average: float, metric: str, district: str) -> str:
    """«ниже средней по району (3,7)»: neutral words (for some shares lower is better, the reader judges)."""
    word = "среднего" if metric in MASCULINE else "средней"
    if abs(value - average) < EPSILON:
        return f"на уровне {word} {district}"
    return f"{'выше' if value > average else 'ниже'} {word} {district}"


METRIC_ORDER = ["средняя оценка", "средний балл", "доля «4 и 5»", "доля более 60 баллов", "доля «2»"]


def subject_key(r: dict) -> tuple:
    return (r["assessment"], r["grade"], r["subject"])


def result_sentence(rows: list[dict], averages: dict[tuple, dict], district: str) -> str:
    """One sentence for an assessment and subject of a school: per metric its latest result beside the
    published average of the same year, class, subject and metric, and the previous time it was held."""
    by_metric: dict[str, list[dict]] = {}
    for r in sorted(rows, key=lambda r: r["year"]):
        by_metric.setdefault(r["metric"], []).append(r)
    metrics = sorted(by_metric, key=lambda m: (METRIC_ORDER.index(m) if m in METRIC_ORDER else len(METRIC_ORDER), m))
    year = max(r["year"] for r in rows)
    inner = "; " if len(metrics) == 1 else ", "  # one metric: «…(3,7); в 2019 — 3,1»; several: metrics split by «;»
    parts, compared, earlier, valued = [], False, False, False
    for metric in metrics:
        series = by_metric[metric]
        last, unit = series[-1], series[-1]["unit"]
        held = [r for r in series if r["value"] is not None]
        when = "" if last["year"] == year else f" в {last['year']}"
        if last["value"] is None:
            part = f"{metric}{when}: {last['value_missing'] or 'нет данных'}"
            if held:
                part += f"{inner}последний результат — {fmt.value(held[-1]['value'], unit)} в {held[-1]['year']}"
            parts.append(part)
            continue
        valued = True
        part = f"{metric} {fmt.value(last['value'], unit)}{when}"
        average = averages.get(series_key(last) + (last["year"],))
        if average is not None and average["value"] is not None and average["unit"] == unit:
            compared = True
            part += f" — {compare(last['value'], average['value'], metric, district)} ({fmt.value(average['value'], unit)})"
        if len(held) > 1:
            earlier = True
            prev = held[-2]
            part += f"{inner}в {prev['year']} — {fmt.value(prev['value'], unit)} ({change(last['value'], prev['value'], unit)})"
        parts.append(part)
    out = f"{head(rows[0])}, {year}: " + "; ".join(parts)
    if valued and not compared:
        out += f"; среднее {district} не опубликовано"
    if valued and not earlier:
        out += "; более ранних результатов в данных нет"
    return out + "."


def results(school_rows: list[dict], municipal_rows: list[dict], district: str) -> list[dict]:
    """Sentences grouped by assessment, one per class and subject: [{assessment, sentences}], in a stable order."""
    averages = {series_key(r) + (r["year"],): r for r in municipal_rows}
    subjects: dict[tuple, list[dict]] = {}
    for r in school_rows:
        if r["metric"] not in SKIP_METRICS:
            subjects.setdefault(subject_key(r), []).append(r)
    by_assessment: dict[str, list[str]] = {}
    for key in sorted(subjects):
        by_assessment.setdefault(key[0], []).append(result_sentence(subjects[key], averages, district))
    return [dict(assessment=a, sentences=s) for a, s in by_assessment.items()]


def status(memberships: list[dict], classifications: list[dict], doc_link, inferred=None) -> list[Markup]:
    """The school's status now and why: first the one standing sentence (standing.decide: lists, identification and
    control groups together), then the grounds of each list decision, the roles the school has (pilot site, resource
    centre, …) and the groups of its latest identification."""
    decided = standing.decide(memberships, classifications)
    out = [standing.sentence(decided, doc_link, inferred)]
    for e in decided.evidence:
        if e.kind != "identification" and e.row["reason"]:
            out.append(
                Markup("Основание ({} «{}», {}): {}.").format(
                    "список" if e.kind == "list" else "группа", e.source, e.year, _first_line(e.row["reason"])
                )
            )
    last: dict[str, dict] = {}
    for m in sorted(memberships, key=lambda r: r["year"]):
        last[m["list"]] = m
    for name in sorted(set(last) - set(LOW_RESULT_LISTS) - set(standing.LOW_RESULT_GROUPS)):
        m = last[name]
        e = standing.latest_word(name, "role", [r for r in memberships if r["list"] == name])
        sentence = (
            Markup("Роль «{}» с {} года").format(name, e.since)
            if e.low
            else Markup("Роль «{}» снята в {} году").format(name, m["year"])
        )
        mark = inferred(m) if inferred else ""
        reason = Markup(". Основание: {}").format(_first_line(m["reason"])) if m["reason"] else ""
        doc = doc_link(m)
        out.append(sentence + mark + reason + (Markup(". Документ: {}").format(doc) if doc else "") + ".")
    latest = sorted(classifications, key=lambda r: r["year"])[-1:]
    for c in latest:
        if c["quality_group"] is not None:
            level = f" ({c['quality_level']})" if c["quality_level"] else ""
            out.append(Markup("Группа качества по идентификации {} года: {}{}.").format(c["year"], c["quality_group"], level))
    return out


def _first_line(reason: str) -> str:
    """The first line of a reason; a longer one is given in full in the status history below."""
    lines = [line for line in reason.splitlines() if line.strip()]
    first = lines[0].strip().rstrip(".;:")
    return first + (" и др. (полностью — в истории статуса ниже)" if len(lines) > 1 else "")


def activities_year(activities: list[dict], year: int | None) -> tuple[int | None, int, int]:
    """(year, activities running in it, activities without dates) — the year is the data's «as of» year,
    or else the latest year any activity runs in."""
    dated = [a for a in activities if a["start_date"] is not None or a["end_date"] is not None]
    if year is None and dated:
        year = max((a["end_date"] or a["start_date"]).year for a in dated)
    running = [
        a
        for a in dated
        if year is not None and (a["start_date"] or a["end_date"]).year <= year <= (a["end_date"] or a["start_date"]).year
    ]
    return year, len(running), len(activities) - len(dated)

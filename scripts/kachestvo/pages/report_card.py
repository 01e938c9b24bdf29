"""A school's report card: status and why, latest results beside the published district average and the
previous time, what is being done — plain Russian sentences made only from the data (never rankings)."""

from __future__ import annotations

from markupsafe import Markup

from kachestvo import fmt, standing, vocabulary
from kachestvo.dataset import DECIMALS
from kachestvo.vocabulary import HIGHER_IS_BETTER, LOW_RESULT_LISTS, LOWER_IS_BETTER

SKIP_METRICS = {vocabulary.PARTICIPANTS}  # a count of pupils is context, not a result to compare
EPSILON = 1e-9


def series_key(r: dict) -> tuple:
    return (r["assessment"], r["grade"], r["subject"], r["metric"])


def head(r: dict) -> str:
    """«ОГЭ, 9 класс, математика»."""
    subject = r["subject"][:1].lower() + r["subject"][1:]
    grade = "" if r["grade"] == "по школе" else f", {r['grade']}{fmt.NBSP}класс"
    return f"{r['assessment']}{grade}, {subject}"


def judgement(delta: float, metric: str) -> str:
    """«лучше» / «хуже» by the metric's direction (a share of «2» going up is worse); "" for a metric with none."""
    if abs(delta) < EPSILON or metric not in HIGHER_IS_BETTER | LOWER_IS_BETTER:
        return ""
    return "лучше" if (delta > 0) == (metric in HIGHER_IS_BETTER) else "хуже"


def change(last: float, prev: float, unit: str, metric: str = "") -> str:
    """«↑ 0,33, лучше», «↑ 18 п. п., хуже», «=»: the direction and size of a change (shares in percentage points),
    judged by the metric's direction — never by the sign alone."""
    delta = last - prev
    if abs(delta) < EPSILON:
        return "="
    arrow = "↑" if delta > 0 else "↓"
    word = judgement(delta, metric)
    word = f", {word}" if word else ""
    if unit == vocabulary.SHARE:
        size = f"{fmt.number(abs(delta) * 100, 1)}{fmt.NBSP}п.{fmt.NBSP}п."
    elif unit == vocabulary.PERCENT:
        size = f"{fmt.number(abs(delta), 1)}{fmt.NBSP}п.{fmt.NBSP}п."
    else:
        size = fmt.value(abs(delta), unit)
    return f"{arrow}{fmt.NBSP}{size}{word}"


def difference(delta: float, unit: str) -> str:
    """The size of a difference in words with its unit: «12 п. п.», «0,3 балла», «5 баллов»."""
    size = abs(delta) * (100 if unit == vocabulary.SHARE else 1)
    if unit in (vocabulary.SHARE, vocabulary.PERCENT):
        return f"{fmt.number(size, 1)}{fmt.NBSP}п.{fmt.NBSP}п."
    if unit == vocabulary.PEOPLE:
        return fmt.plural(round(size), vocabulary.PEOPLE)
    shown = fmt.number(size, 2)
    return fmt.plural(int(shown), vocabulary.SCORE) if shown.isdigit() else f"{shown}{fmt.NBSP}балла"


def compare(value: float, average: dict, metric: str, district: str, doc_link=None) -> Markup:
    """«на 12 п. п. ниже, чем в среднем по району, 2021 (18 %; это лучше; Приказ № 5)»: the difference from a published
    average of the same year in words with units, judged by the metric's direction, with the average's document."""
    delta = value - average["value"]
    where = f"в среднем {district}, {average['year']}"
    words = (
        f"как {where}"
        if abs(delta) < EPSILON
        else f"на {difference(delta, average['unit'])} {'выше' if delta > 0 else 'ниже'}, чем {where}"
    )
    verdict = judgement(delta, metric)
    shown = [fmt.value(average["value"], average["unit"], average.get(DECIMALS))] + ([f"это {verdict}"] if verdict else [])
    link = doc_link(average) if doc_link else None
    details = Markup("; ").join(shown + ([link] if link else []))
    return Markup("{} ({})").format(words, details)


METRIC_ORDER = [
    vocabulary.MEAN_MARK,
    vocabulary.MEAN_SCORE,
    vocabulary.SHARE_GOOD,
    vocabulary.SHARE_ABOVE_60,
    vocabulary.SHARE_TWO,
]


def subject_key(r: dict) -> tuple:
    return (r["assessment"], r["grade"], r["subject"])


def result_sentence(rows: list[dict], averages: dict[tuple, dict], district: str, doc_link=None, unsaid=True) -> Markup:
    """One sentence for an assessment and subject of a school: per metric its latest result beside the
    published average of the same year, class, subject and metric, and the previous time it was held.
    `unsaid`: whether the sentence says that no average was published (False when one line says it for the card)."""
    by_metric = _by_metric(rows)
    year = max(r["year"] for r in rows)
    inner = "; " if len(by_metric) == 1 else ", "  # one metric: «…(3,7); в 2019 — 3,1»; several: metrics split by «;»
    parts = [_metric_part(metric, series, year, inner, averages, district, doc_link) for metric, series in by_metric.items()]
    out = Markup("{}, {}: ").format(head(rows[0]), year) + Markup("; ").join(part for part, _ in parts)
    said = {word for _, words in parts for word in words} | (set() if unsaid else {COMPARED})
    return out + _unsaid(said, district) + "."


def _by_metric(rows: list[dict]) -> dict[str, list[dict]]:
    """Each metric's rows by year, the metrics in METRIC_ORDER (others after it, by name)."""
    by_metric: dict[str, list[dict]] = {}
    for r in sorted(rows, key=lambda r: r["year"]):
        by_metric.setdefault(r["metric"], []).append(r)
    rank = {m: i for i, m in enumerate(METRIC_ORDER)}
    return {m: by_metric[m] for m in sorted(by_metric, key=lambda m: (rank.get(m, len(METRIC_ORDER)), m))}


# what a metric's part of a result sentence says: a value, a comparison with the average, an earlier result
VALUED, COMPARED, EARLIER = "valued", "compared", "earlier"


def _unsaid(said: set[str], district: str) -> Markup:
    """When a value is given: that no average was published, that there is no earlier result."""
    if VALUED not in said:
        return Markup("")
    out = Markup("")
    if COMPARED not in said:
        out += Markup("; среднее {} не опубликовано").format(district)
    if EARLIER not in said:
        out += "; более ранних результатов в данных нет"
    return out


def _metric_part(metric: str, series: list[dict], year: int, inner: str, averages: dict, district: str, doc_link):
    """A metric's part of a result sentence (its latest result, the average, the previous time) and what it says."""
    last = series[-1]
    held = [r for r in series if r["value"] is not None]
    when = "" if last["year"] == year else f" в {last['year']}"
    if last["value"] is None:
        part = f"{metric}{when}: {last['value_missing'] or vocabulary.NO_DATA}"
        if held:
            part += f"{inner}последний результат — {shown(held[-1])} в {held[-1]['year']}"
        return Markup("{}").format(part), set()
    said = {VALUED}
    part = Markup("{} {}{}").format(metric, shown(last), when)
    average = _average_of(last, averages)
    if average is not None:
        said.add(COMPARED)
        part += Markup(" — {}").format(compare(last["value"], average, metric, district, doc_link))
    if len(held) > 1:
        said.add(EARLIER)
        prev = held[-2]
        part += Markup("{}в {} — {} ({})").format(
            inner, prev["year"], shown(prev), change(last["value"], prev["value"], last["unit"], metric)
        )
    return part, said


def _average_of(r: dict, averages: dict) -> dict | None:
    """The published average a result can be compared with: same series and year, a value, the same unit."""
    average = averages.get(series_key(r) + (r["year"],))
    if average is None or average["value"] is None or average["unit"] != r["unit"]:
        return None
    return average


def shown(r: dict) -> str:
    """A result's value as its source wrote it (a «4,0» stays «4,0»)."""
    return fmt.value(r["value"], r["unit"], r.get(DECIMALS))


def results(
    school_rows: list[dict], municipal_rows: list[dict], district: str, doc_link=None, each: bool | None = None
) -> list[dict]:
    """Sentences grouped by assessment, one per class and subject: [{assessment, sentences}], in a stable order.
    When no average is published for any of the results, no sentence says so: `unpublished` gives the one line
    (`each`: whether the sentences speak of averages, i.e. there is no such line; asked of `unpublished` if not given)."""
    averages = {series_key(r) + (r["year"],): r for r in municipal_rows}
    if each is None:
        each = unpublished(school_rows, municipal_rows, district) is None
    subjects: dict[tuple, list[dict]] = {}
    for r in school_rows:
        if r["metric"] not in SKIP_METRICS:
            subjects.setdefault(subject_key(r), []).append(r)
    by_assessment: dict[str, list[str]] = {}
    for key in sorted(subjects):
        by_assessment.setdefault(key[0], []).append(result_sentence(subjects[key], averages, district, doc_link, each))
    return [dict(assessment=a, sentences=s) for a, s in by_assessment.items()]


def unpublished(school_rows: list[dict], municipal_rows: list[dict], district: str) -> str | None:
    """The one line of a card none of whose latest results has a published average to compare with; None otherwise
    (or without results)."""
    averages = {series_key(r) + (r["year"],): r for r in municipal_rows}
    latest: dict[tuple, dict] = {}
    for r in sorted((r for r in school_rows if r["metric"] not in SKIP_METRICS), key=lambda r: r["year"]):
        latest[series_key(r)] = r
    held = [r for r in latest.values() if r["value"] is not None]
    if not held or any(_average_of(r, averages) is not None for r in held):
        return None
    return (
        f"Среднее {district} за эти годы, классы и предметы не опубликовано: результаты школы сравниваются только с её "
        "прошлыми результатами."
    )


def status(memberships: list[dict], classifications: list[dict], doc_link, inferred=None) -> list[Markup]:
    """The school's status now and why: first the one standing sentence (standing.decide: lists, identification and
    control groups together), then the grounds of each list decision, the roles the school has (pilot site, resource
    centre, …) and the groups of its latest identification."""
    decided = standing.decide(memberships, classifications)
    return [
        standing.sentence(decided, doc_link, inferred),
        *_grounds(decided),
        *_roles(memberships, doc_link, inferred),
        *_quality_groups(classifications),
    ]


def _grounds(decided: standing.Standing) -> list[Markup]:
    """The grounds of each list or group decision that names one."""
    return [
        Markup("Основание ({}, {}): {}.").format(standing.cases(e)[0], e.year, _first_line(e.row["reason"]))
        for e in decided.evidence
        if e.kind != "identification" and e.row["reason"]
    ]


def _roles(memberships: list[dict], doc_link, inferred=None) -> list[Markup]:
    """A sentence for each role (a list that is no standing: pilot site, resource centre, …), held or removed."""
    last: dict[str, dict] = {}
    for m in sorted(memberships, key=lambda r: r["year"]):
        last[m["list"]] = m
    return [
        _role(name, last[name], memberships, doc_link, inferred)
        for name in sorted(set(last) - set(LOW_RESULT_LISTS) - set(standing.LOW_RESULT_GROUPS))
    ]


def _role(name: str, m: dict, memberships: list[dict], doc_link, inferred) -> Markup:
    e = standing.latest_word(name, "role", [r for r in memberships if r["list"] == name])
    sentence = (
        Markup("Роль «{}» с {} года").format(name, e.since)
        if e.low
        else Markup("Роль «{}» снята в {} году").format(name, m["year"])
    )
    mark = inferred(m) if inferred else ""
    reason = Markup(". Основание: {}").format(_first_line(m["reason"])) if m["reason"] else ""
    doc = doc_link(m)
    return sentence + mark + reason + (Markup(". Документ: {}").format(doc) if doc else "") + "."


def _quality_groups(classifications: list[dict]) -> list[Markup]:
    """The quality group of the latest identification, if it names one."""
    latest = sorted(classifications, key=lambda r: r["year"])[-1:]
    return [
        Markup("Группа качества по идентификации {} года: {}{}.").format(
            c["year"], c["quality_group"], f" ({c['quality_level']})" if c["quality_level"] else ""
        )
        for c in latest
        if c["quality_group"] is not None
    ]


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
        year = max(_last_year(a) for a in dated)
    running = 0 if year is None else sum(1 for a in dated if _first_year(a) <= year <= _last_year(a))
    return year, running, len(activities) - len(dated)


def _first_year(a: dict) -> int:
    """The year a dated activity starts (its end when only the end is given)."""
    return (a["start_date"] or a["end_date"]).year


def _last_year(a: dict) -> int:
    """The year a dated activity ends (its start when only the start is given)."""
    return (a["end_date"] or a["start_date"]).year

"""A school page's headline: at most 60 words of plain Russian — the standing and why, what is getting better and
worse (by each metric's direction), compared with what, and what is being done now. Everything below it is detail."""

from __future__ import annotations

from kachestvo import fmt, transform
from kachestvo.escape import is_missing
from kachestvo.pages.context import INFERRED
from kachestvo.pages.report_card import series_key
from kachestvo.standing import IDENTIFICATION, Evidence, Standing, cases

MAX_WORDS = 60
SHOWN = 2  # series named per line before «и ещё N»


def words(text: str) -> int:
    """Words as a reader counts them: runs of letters or digits between spaces (a dash or «—» is no word)."""
    return sum(1 for w in text.replace("\u00a0", " ").split() if any(ch.isalnum() for ch in w))


def _reason(e: Evidence) -> str:
    mark = f", {INFERRED}" if e.row.get("inferred") else ""
    if e.source == IDENTIFICATION:
        return f"идентификация {e.year}: {e.word}{mark}"
    if e.low:
        return f"{cases(e)[0]} с {e.since}{mark}"  # «список Рособрнадзора с 2020», not a bare «Рособрнадзор»
    return f"исключена из {cases(e)[2]} в {e.year}{mark}"


def standing_line(decided: Standing, roles: list[str] = ()) -> str:
    """The standing and why; the school's roles (pilot site, resource centre, …) after it, as they are no standing."""
    role = f" Роль: {', '.join(f'«{r}»' for r in roles)}." if roles else ""
    if not decided.evidence:
        return "Статус: сведений о списках и итоге идентификации нет." + role
    reasons = ", ".join(_reason(e) for e in decided.evidence)
    return f"Статус: {decided.short} ({reasons})." + role


def _label(r) -> str:
    subject = r["subject"][:1].lower() + r["subject"][1:]
    grade = "" if r["grade"] == "по школе" else f" {r['grade']}{fmt.NBSP}кл."
    return f"{r['assessment']}{grade}, {subject} ({r['metric']})"


def _some(labels: list[str], shown: int) -> str:
    more = len(labels) - shown
    return "; ".join(labels[:shown]) + (f" и ещё {more}" if more > 0 else "")


def trends(dynamics: list[dict]) -> tuple[list[str], list[str]]:
    """(better, worse): labels of the series (transform.dynamics_rows) whose latest value is better / worse than the
    previous one, by direction."""
    return [_label(r) for r in dynamics if r["trend"] == "лучше"], [_label(r) for r in dynamics if r["trend"] == "хуже"]


def _no_change_line(results: list[dict], dynamics: list[dict]) -> str:
    """Why there is neither «лучше» nor «хуже»: the same values as last time, two years of a measure without a
    direction (participants), or no measure with two years at all."""
    if dynamics:  # here every judged series is unchanged
        return f"Без изменений: {fmt.plural(len(dynamics), 'показатель')} — те же значения, что в прошлый раз."
    years: dict[tuple, set] = {}
    for r in results:
        if not is_missing(r["value"]):
            years.setdefault(series_key(r), set()).add(r["year"])
    undirected = sorted({key[-1] for key, y in years.items() if len(y) > 1})
    if undirected:
        named = ", ".join(f"«{m}»" for m in undirected)
        whose = "у показателя" if len(undirected) == 1 else "у показателей"
        return f"Динамика: не оценивается — {whose} {named} нет направления (рост — не лучше и не хуже)."
    return "Динамики нет: нет двух лет с результатами одного показателя."


def compared_line(results: list[dict], municipal: list[dict], district: str) -> str:
    """Whether a published average of the same measure and year exists for any of the school's results (of any year:
    the card compares only the latest, see report_card.unpublished)."""
    keys = {series_key(r) + (r["year"],) for r in results if r["value"] is not None}
    same = [m for m in municipal if series_key(m) + (m["year"],) in keys]
    if not results:
        return ""
    if same:
        return f"Сравнение: с опубликованным средним {district} ({fmt.plural(len(same), 'показатель')})."
    return f"Сравнение: среднее {district} не опубликовано."


def make(
    decided: Standing, results: list[dict], municipal: list[dict], district: str, doing: str, roles=()
) -> list[tuple[str, str]]:
    """The headline's lines as (label, text), ≤ MAX_WORDS words in all; series lists are shortened to fit."""
    dynamics = transform.dynamics_rows(results) if results else []
    better, worse = trends(dynamics)
    compared = compared_line(results, municipal, district)
    for shown in (SHOWN, 1, 0):
        trend = _trend_lines(results, dynamics, better, worse, shown)
        lines = [standing_line(decided, roles), *trend, *([compared] if compared else [])]
        lines.append(doing)
        if words(" ".join(lines)) <= MAX_WORDS:
            break
    return [_labelled(line) for line in lines]


def _trend_lines(results: list[dict], dynamics: list[dict], better: list[str], worse: list[str], shown: int) -> list[str]:
    """What is getting better and worse, naming `shown` series per line (0: only how many)."""
    if not results:
        return ["Результатов оценочных процедур в данных нет."]
    if not better and not worse:
        return [_no_change_line(results, dynamics)]
    lines = []
    for word, labels in (("Лучше", better), ("Хуже", worse)):
        if labels:
            lines.append(f"{word}: {_some(labels, shown) if shown else fmt.plural(len(labels), 'показатель')}.")
    return lines


def _labelled(line: str) -> tuple[str, str]:
    """(«Статус», «школа …»): a line's label (before its first colon, if short) and the rest."""
    label, sep, rest = line.partition(": ")
    return (label, rest) if sep and words(label) <= 2 else ("", line)


def plain(lines: list[tuple[str, str]]) -> str:
    """The headline as one text (what a reader reads, for counting words)."""
    return " ".join(f"{label}: {rest}" if label else rest for label, rest in lines)


def doing_line(year, running: int, undated: int, total: int, group: dict | None) -> str:
    """What is being done now: the activities of the data's year, and the partnership group."""
    if not total:
        out = "Сейчас: мероприятий школы в данных нет"
    elif year is None:
        out = f"Сейчас: {fmt.plural(total, 'мероприятие')} школы, сроки не указаны"
    elif running:
        out = f"Сейчас: {fmt.plural(running, 'мероприятие')} в {year} году" + (f", ещё {undated} без дат" if undated else "")
    else:
        out = f"Сейчас: мероприятий в {year} году в данных нет" + (
            f", {fmt.plural(undated, 'мероприятие')} без дат" if undated else ""
        )
    if group:
        out += f"; группа партнёрства «{group['name']}»"
    return out + "."

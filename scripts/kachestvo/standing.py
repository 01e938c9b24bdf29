"""A school's standing now: one decision from its list decisions, identification results and control groups together.

Each source speaks by its latest record: a list by its latest decision (an inclusion counts «since» the first
inclusion after the latest exclusion), the identification by its latest year with a result, a group (the
control group of a low-results programme) like a list. When the latest words of two sources disagree — a list
says «исключена», a later identification says «ШНОР» — the standing says both, with years and documents.
The rule is written on the page «Как читать эти данные» (templates/reading.md.j2, «Статус школы»).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from kachestvo import vocabulary
from kachestvo.vocabulary import LOW_RESULT_LISTS

# Groups whose members are the low-results schools of a programme (seed 004: «контрольная группа» of the region's
# roadmap for schools with low results); being in one is a low-results standing, as a list is.
LOW_RESULT_GROUPS = (vocabulary.CONTROL_GROUP,)
CASES = vocabulary.LIST_CASES
LOW_IDENTIFICATION = "ШНОР"
IDENTIFICATION = "идентификация"


@dataclass(frozen=True)
class Evidence:
    """The latest word of one source about the school."""

    source: str  # a list's or group's name, or IDENTIFICATION
    kind: str  # "list", "group" or "identification"
    year: int
    low: bool  # this source says the school has low results now
    word: str  # «включена», «исключена» or the identification's result
    since: int | None  # a current inclusion: the first inclusion year after the latest exclusion
    row: dict  # the record it was read from (document, reason, date)


@dataclass(frozen=True)
class Standing:
    low: bool | None  # True: low results now; False: not now; None: no evidence, or sources of the same year disagree
    evidence: tuple[Evidence, ...]  # newest first
    conflict: bool  # the latest words of the sources disagree

    @property
    def low_evidence(self) -> list[Evidence]:
        return [e for e in self.evidence if e.low]

    @property
    def clear_evidence(self) -> list[Evidence]:
        return [e for e in self.evidence if not e.low]

    @property
    def short(self) -> str:
        """A few words for the headline: «школа с низкими результатами», «источники расходятся», …"""
        if self.conflict:
            return "источники о статусе расходятся"
        if self.low:
            return "школа с низкими результатами"
        if self.low is False:
            return "сейчас не относится к школам с низкими результатами"
        return "сведений о статусе нет"


def latest_word(name: str, kind: str, rows: list[dict]) -> Evidence:
    """A list's latest decision; a current inclusion dates from the first inclusion after the latest exclusion."""
    rows = sorted(rows, key=lambda r: r["year"])
    last = rows[-1]
    if last["status"] != vocabulary.INCLUDED:
        return Evidence(name, kind, last["year"], False, last["status"], None, last)
    excluded = [r["year"] for r in rows if r["status"] != vocabulary.INCLUDED]
    after = max(excluded) if excluded else None
    since = min(r["year"] for r in rows if r["status"] == vocabulary.INCLUDED and (after is None or r["year"] > after))
    return Evidence(name, kind, last["year"], True, last["status"], since, last)


# what kind of evidence each low-results list or group gives (a name on both is read as a list)
KINDS = {**{name: "group" for name in LOW_RESULT_GROUPS}, **{name: "list" for name in LOW_RESULT_LISTS}}


def decide(memberships: list[dict], classifications: list[dict]) -> Standing:
    """The one decision of a school's standing (see the module's docstring)."""
    evidence = _list_evidence(memberships) + _identification_evidence(classifications)
    evidence.sort(key=lambda e: (-e.year, e.kind, e.source))
    lows = [e for e in evidence if e.low]
    clears = [e for e in evidence if not e.low]
    conflict = bool(lows and clears)
    return Standing(_verdict(evidence, lows, conflict), tuple(evidence), conflict)


def _list_evidence(memberships: list[dict]) -> list[Evidence]:
    """The latest word of each low-results list and group the school was ever on."""
    by_list: dict[str, list[dict]] = {}
    for m in memberships:
        by_list.setdefault(m["list"], []).append(m)
    return [latest_word(name, KINDS[name], by_list[name]) for name in sorted(by_list) if name in KINDS]


def _identification_evidence(classifications: list[dict]) -> list[Evidence]:
    """The latest identification result, if any was named."""
    identified = sorted((c for c in classifications if c.get("identification_result")), key=lambda c: c["year"])
    if not identified:
        return []
    c = identified[-1]
    low = c["identification_result"] == LOW_IDENTIFICATION
    return [Evidence(IDENTIFICATION, "identification", c["year"], low, c["identification_result"], None, c)]


def _verdict(evidence: list[Evidence], lows: list[Evidence], conflict: bool) -> bool | None:
    """Low now or not; None without evidence, or when the newest year's sources disagree."""
    if not evidence:
        return None
    if not conflict:
        return bool(lows)
    newest = evidence[0].year
    words = {e.low for e in evidence if e.year == newest}
    return words.pop() if len(words) == 1 else None


def roles(memberships: list[dict]) -> list[str]:
    """The school's current roles: lists that are no standing (pilot site, resource centre, …) it is on now."""
    out = []
    for name in sorted({m["list"] for m in memberships} - set(LOW_RESULT_LISTS) - set(LOW_RESULT_GROUPS)):
        if latest_word(name, "role", [m for m in memberships if m["list"] == name]).low:
            out.append(name)
    return out


def _phrase(e: Evidence) -> str:
    if e.kind == "identification":
        return f"по итогам идентификации {e.year} года — {e.word}"
    _, into, out_of = cases(e)
    if e.low:
        return f"входит в {into} с {e.since} года"
    return f"исключена из {out_of} в {e.year} году"


def cases(e: Evidence) -> tuple[str, str, str]:
    """(nominative, accusative, genitive) of the list or group of a piece of evidence, as a sentence names it."""
    nouns = ("список", "список", "списка") if e.kind == "list" else ("группа", "группу", "группы")
    return CASES.get(e.source, tuple(f"{noun} «{e.source}»" for noun in nouns))


def sentence(standing: Standing, doc: Callable[[dict], Markup], inferred: Callable[[dict], Markup] | None = None) -> Markup:
    """The first sentence of a report card: the standing and why, each reason with its year and document."""

    def reason(e: Evidence) -> Markup:
        link = doc(e.row)
        mark = inferred(e.row) if inferred else Markup("")
        return Markup("{}{}{}").format(_phrase(e), mark, Markup(" ({})").format(link) if link else "")

    def join(items: list[Evidence]) -> Markup:
        return Markup("; ").join(reason(e) for e in items)

    if not standing.evidence:
        return Markup(
            "Сведений о статусе нет: в данных нет решений о включении школы в списки школ с низкими результатами "
            "и в контрольные группы, итог идентификации не назван."
        )
    if standing.conflict:
        newest = standing.evidence[0]
        verdict = (
            f"сведения обоих видов — за {newest.year} год"
            if standing.low is None
            else f"новее — сведения {newest.year} года: "
            + ("низкие результаты" if standing.low else "не относится к школам с низкими результатами")
        )
        return Markup("Источники о статусе расходятся: {}; но {} ({}).").format(
            join(standing.low_evidence), join(standing.clear_evidence), verdict
        )
    if standing.low:
        return Markup("Школа с низкими результатами: {}.").format(join(standing.low_evidence))
    return Markup("Сейчас не относится к школам с низкими результатами: {}.").format(join(standing.clear_evidence))

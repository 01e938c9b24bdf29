"""The domain's words in one place: assessments, units and their scales, metrics, lists, statuses, missing reasons.

Every module that needs one of these reads it here; tests/test_vocabulary.py checks them against the schema enums,
so a word added to a schema and forgotten here (or the reverse) turns the tests red.
"""

from __future__ import annotations

from dataclasses import dataclass

VPR, OGE, EGE, GVE, KDR = "ВПР", "ОГЭ", "ЕГЭ", "ГВЭ", "КДР"
ASSESSMENTS = (VPR, OGE, EGE, GVE, KDR)


@dataclass(frozen=True)
class Unit:
    name: str
    low: float  # the scale's lower end (valid values and chart axes)
    high: float | None  # the upper end; None: unbounded (counts of people)
    axis_format: str  # d3-format of chart axis labels
    title: str  # how an axis or a column names the unit


SHARE, PERCENT, SCORE, MARK, PEOPLE = "доля", "процент", "балл", "оценка", "человек"
RESULT_UNITS = {
    u.name: u
    for u in (
        Unit(SHARE, 0, 1, ".0%", "доля, %"),
        Unit(PERCENT, 0, 100, ",.1~f", "%"),
        Unit(SCORE, 0, 100, ",.1~f", "баллы, 0–100"),
        Unit(MARK, 2, 5, ",.2~f", "отметка, 2–5"),
        Unit(PEOPLE, 0, None, ",d", PEOPLE),
    )
}
# metrics whose unit is fixed; the shares («доля …») are «доля» or «процент»
MEAN_SCORE, MEAN_MARK, SHARE_GOOD, SHARE_TWO, SHARE_ABOVE_60, SHARE_BELOW_MIN, PARTICIPANTS = (
    "средний балл",
    "средняя оценка",
    "доля «4 и 5»",
    "доля «2»",
    "доля более 60 баллов",
    "доля ниже минимального порога",
    "число участников",
)
METRIC_UNITS = {MEAN_SCORE: {SCORE}, MEAN_MARK: {MARK}, PARTICIPANTS: {PEOPLE}}
METRICS = (MEAN_SCORE, MEAN_MARK, SHARE_GOOD, SHARE_TWO, SHARE_ABOVE_60, SHARE_BELOW_MIN, PARTICIPANTS)
LOWER_IS_BETTER = {SHARE_TWO, SHARE_BELOW_MIN}

# why a result has no value; never 0
NOT_HELD, NO_PARTICIPANTS, SUPPRESSED, NO_DATA = "не проводилось", "нет участников", "скрыто", "нет данных"
MISSING_REASONS = (NOT_HELD, NO_PARTICIPANTS, SUPPRESSED, NO_DATA)

LISTS = (
    REGIONAL_LOW := "региональный список ШНОР",
    ADVERSE := "список ШНСУ",
    ROSOBRNADZOR := "Рособрнадзор",
    CENTRE := "ЦОКО",
    PROJECT_500 := "500+",
    "пилотная площадка",
    "базовая площадка",
    "стажировочная площадка",
    RESOURCE_CENTRE := "ресурсный центр",
    "школа-лидер",
    "школа-наставник",
    CONTROL_GROUP := "контрольная группа",
)
LOW_RESULT_LISTS = (REGIONAL_LOW, ADVERSE, ROSOBRNADZOR, CENTRE, PROJECT_500)
# How a sentence names each list or group: nominative («Основание (…)»), accusative («входит в …»), genitive
# («исключена из …»). A list or group without an entry is named «список «…»» or «группа «…»» (standing.cases).
LIST_CASES = {
    REGIONAL_LOW: ("региональный список ШНОР", "региональный список ШНОР", "регионального списка ШНОР"),
    ADVERSE: ("список ШНСУ", "список ШНСУ", "списка ШНСУ"),
    ROSOBRNADZOR: ("список Рособрнадзора", "список Рособрнадзора", "списка Рособрнадзора"),
    CENTRE: ("список ЦОКО", "список ЦОКО", "списка ЦОКО"),
    PROJECT_500: ("проект «500+»", "проект «500+»", "проекта «500+»"),
    CONTROL_GROUP: ("контрольная группа", "контрольную группу", "контрольной группы"),
}
INCLUDED, EXCLUDED = "включена", "исключена"
LIST_STATUSES = (INCLUDED, EXCLUDED)

YES_NO_UNIT, NUMBER = "да/нет", "число"  # an indicator's units besides PERCENT
INDICATOR_UNITS = {YES_NO_UNIT: YES_NO_UNIT, PERCENT: "%", NUMBER: NUMBER}  # unit → column label
INDICATOR_HINTS = {YES_NO_UNIT: "пишите «да» или «нет»", PERCENT: "число от 0 до 100 с точкой", NUMBER: "неотрицательное число"}
ACTUAL_MISSING = ("срок не наступил", "нет данных")  # why an indicator has no actual value
# An indicator's direction: what «better» means for it, as its source words it (an empty cell is «справочно»).
AT_LEAST, AT_MOST, YES_NO, RANGE, INFORMATIONAL = "не менее", "не более", "да/нет", "в диапазоне", "справочно"
DIRECTIONS = (AT_LEAST, AT_MOST, YES_NO, RANGE, INFORMATIONAL)
# per year: the status of a target; the class of its mark on the page
ACHIEVED, NOT_ACHIEVED, NOT_DUE, NO_DATA_YET, NOT_JUDGED = (
    "достигнуто",
    "не достигнуто",
    "срок не наступил",
    "нет данных",
    "не оценивается",
)
INDICATOR_STATUSES = {ACHIEVED: "ok", NOT_ACHIEVED: "bad", NOT_DUE: "wait", NO_DATA_YET: "none", NOT_JUDGED: "info"}
# over the period: progress from the baseline towards the final target (after the UN SDG progress method)
GOAL_MET, FAST_PROGRESS, SLOW_PROGRESS, NO_CHANGE, WORSENING, NOT_ASSESSED = (
    "цель достигнута",
    "заметный прогресс",
    "слабый прогресс",
    "без изменений",
    "ухудшение",
    "нет оценки",
)
PROGRESS = (GOAL_MET, FAST_PROGRESS, SLOW_PROGRESS, NO_CHANGE, WORSENING, NOT_ASSESSED, NOT_JUDGED)
# result metrics: which way is better (the others are context, not judged)
HIGHER_IS_BETTER = {MEAN_SCORE, MEAN_MARK, SHARE_GOOD, SHARE_ABOVE_60}

# the last grade of a school of each level, and the grade an assessment is held in when a row says «по школе»
LAST_GRADE = {"НОШ": 4, "ООШ": 9, "СОШ": 11}
ASSESSMENT_GRADE = {OGE: 9, EGE: 11}

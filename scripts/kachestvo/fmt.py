"""Russian display formats: decimal comma, non-breaking space before units, dates in words."""

from __future__ import annotations

import datetime as dt
import functools

from kachestvo import vocabulary
from kachestvo.escape import is_missing

NBSP = "\u00a0"
MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"]


def number(value, digits: int = 2) -> str:
    """1234.5 → «1 234,5»: decimal comma, thin grouping with non-breaking spaces, no trailing zeros."""
    if is_missing(value):
        return ""
    text = f"{float(value):,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(",", NBSP).replace(".", ",")


def written(v, decimals: int) -> str:
    """A number with exactly the decimals its source wrote: written(4.0, 1) → «4,0», written(3.4, 1) → «3,4»."""
    text = f"{float(v):,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def value(v, unit: str, decimals=None) -> str:
    """A result in its unit: shares as percent, marks and scores as numbers, people with «чел.». With `decimals`
    (how many the CSV text has) the value keeps its source's precision: «4.0» shows «4,0», «4» and «3.4» gain no zeros;
    a share written «0.735» shows «73,5 %»."""
    if is_missing(v):
        return ""
    kept = None if decimals is None or is_missing(decimals) else int(decimals)
    if unit == vocabulary.SHARE:
        shown = number(float(v) * 100, 1) if kept is None else written(float(v) * 100, max(kept - 2, 0))
        return f"{shown}{NBSP}%"
    if unit == vocabulary.PERCENT:
        return f"{number(v, 1) if kept is None else written(v, kept)}{NBSP}%"
    if unit == vocabulary.PEOPLE:
        return f"{number(v, 0)}{NBSP}чел."
    return number(v, 2) if kept is None else written(v, kept)


def date(v) -> str:
    """2021-05-20 → «20 мая 2021 г.»."""
    if is_missing(v):
        return ""
    if isinstance(v, str):
        v = dt.date.fromisoformat(v)
    return f"{v.day}{NBSP}{MONTHS[v.month - 1]} {v.year}{NBSP}г."


def date_short(v) -> str:
    """2021-05-20 → «20.05.2021»."""
    return "" if is_missing(v) else f"{v:%d.%m.%Y}"


def plural(n: int, phrase: str, with_number: bool = True) -> str:
    """Number agreement by Russian morphology (pymorphy3): plural(3, "школа") → «3 школы»,
    plural(22, "общеобразовательная организация") → «22 общеобразовательные организации»;
    with_number=False gives the words alone (for a figure set apart from its caption)."""
    words = " ".join(_agree(int(n), w) for w in phrase.split(" "))
    return f"{number(n, 0)}{NBSP}{words}" if with_number else words


@functools.lru_cache(maxsize=1024)
def _agree(n: int, word: str) -> str:
    """One word of a nominative singular phrase in the form a number n requires; unknown words unchanged."""
    for parse in _morph().parse(word):
        if {"nomn", "sing"} <= parse.tag.grammemes and parse.tag.POS in ("NOUN", "ADJF", "PRTF"):
            agreed = parse.make_agree_with_number(n)
            if agreed is not None:
                return _case_like(word, agreed.word)
    return word


def _case_like(original: str, word: str) -> str:
    return word.capitalize() if original[:1].isupper() else word


@functools.lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")

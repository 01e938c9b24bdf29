"""Russian display formats: decimal comma, non-breaking space before units, dates in words."""

from __future__ import annotations

import datetime as dt

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


def value(v, unit: str) -> str:
    """A result in its unit: shares as percent, marks and scores as numbers, people with «чел.»."""
    if is_missing(v):
        return ""
    if unit == "доля":
        return f"{number(float(v) * 100, 1)}{NBSP}%"
    if unit == "процент":
        return f"{number(v, 1)}{NBSP}%"
    if unit == "человек":
        return f"{number(v, 0)}{NBSP}чел."
    return number(v, 2)


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


def plural(n: int, one: str, few: str, many: str) -> str:
    """Russian plural: plural(3, "школа", "школы", "школ") → «3 школы»."""
    n10, n100 = n % 10, n % 100
    word = one if n10 == 1 and n100 != 11 else few if 2 <= n10 <= 4 and not 12 <= n100 <= 14 else many
    return f"{n}{NBSP}{word}"

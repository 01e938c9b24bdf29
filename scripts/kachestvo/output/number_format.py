"""Numbers on charts in Russian typography: the subset of d3-format the charts use, with a Russian locale.

Specifiers: «,» (group thousands), «.N» (precision), «~» (trim trailing zeros), and the types «f» (fixed),
«d» (integer), «%» (percent) or none (up to 12 significant digits, trimmed). Rounding is d3's: the exact binary value
rounded half up, as JavaScript's toFixed does. `tests/test_chart_drawing.py` compares every specifier with vl-convert.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

# d3-format locale: decimal comma, non-breaking spaces for thousands and before «%» (Russian typography)
RU_LOCALE = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0₽"], "percent": "\u00a0%"}
MINUS = "\u2212"  # d3's default minus sign
_SPEC = re.compile(r"(?P<group>,)?(?:\.(?P<precision>\d+))?(?P<trim>~)?(?P<type>[fd%]?)")


@lru_cache(maxsize=None)
def _parse(spec: str) -> tuple[bool, int | None, bool, str]:
    match = _SPEC.fullmatch(spec)
    if match is None:
        raise ValueError(f"unsupported number format {spec!r}")
    precision = match["precision"]
    return bool(match["group"]), int(precision) if precision else None, bool(match["trim"]), match["type"]


def _fixed(value: float, digits: int) -> str:
    """JavaScript's toFixed: the exact value rounded half up (away from zero)."""
    quantum = Decimal(1).scaleb(-digits)
    return format(Decimal(abs(value)).quantize(quantum, rounding=ROUND_HALF_UP), "f")


def _general(value: float) -> str:
    """d3's default: 12 significant digits, trailing zeros trimmed."""
    text = f"{abs(value):.12g}"
    return _trim(text) if "e" not in text else text


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def _group(integer: str) -> str:
    parts = []
    while len(integer) > 3:
        integer, tail = integer[:-3], integer[-3:]
        parts.insert(0, tail)
    return RU_LOCALE["thousands"].join([integer, *parts])


def _digits(value: float, precision: int | None, trim: bool, kind: str) -> str:
    if kind == "d":
        return _fixed(value, 0)
    if kind == "%":
        text = _fixed(value * 100, 6 if precision is None else precision)
    elif kind == "f":
        text = _fixed(value, 6 if precision is None else precision)
    else:
        return _general(value)
    return _trim(text) if trim else text


def number(value: float, spec: str) -> str:
    """`value` formatted by the d3-format specifier `spec` in the Russian locale (e.g. ",.1~f", ".0%", "d", "")."""
    group, precision, trim, kind = _parse(spec)
    text = _digits(value, precision, trim, kind)
    integer, _, fraction = text.partition(".")
    if group:
        integer = _group(integer)
    text = integer + (RU_LOCALE["decimal"] + fraction if fraction else "")
    negative = value < 0 and any(c in "123456789" for c in text)
    return (MINUS if negative else "") + text + (RU_LOCALE["percent"] if kind == "%" else "")

"""How the site words a value that is shown in more than one place: a result, a classification group, a programme
indicator's value, a missing value. Pages, the published-figures list (`figures.py`) and `kachestvo diff` all make
these phrases here, so a figure reads the same on the site, in the audit and in a pull request's summary."""

from __future__ import annotations

from kachestvo import fmt, vocabulary
from kachestvo.escape import is_missing
from kachestvo.indicator_values import BOUND, parse

number = fmt.number


def no_value(reason) -> str:
    """«нет значения: reason», or «нет значения» when the reason is not given."""
    return f"нет значения: {reason}" if reason else "нет значения"


def result(value, unit: str, missing, decimals=None) -> str:
    """A result: the value in its unit with the decimals it was written with, or «нет значения: reason»."""
    return fmt.value(value, unit, decimals) if not is_missing(value) else no_value(missing)


def group(group, level) -> str:
    """A classification group with its level: «2 (низкий)»."""
    return f"{group}" + (f" ({level})" if isinstance(level, str) else "")


def group_or_missing(value, level, missing) -> str:
    """A classification group with its level, or «нет значения: reason»."""
    return no_value(missing) if is_missing(value) else group(value, level)


def indicator_value(value, unit: str) -> str:
    """A programme indicator's target or actual value as written («не менее» bounds dropped), with a decimal comma
    and «%» for a percentage; «да»/«нет» and unparsable values as they are."""
    value = BOUND.sub("", value) if isinstance(value, str) else value
    parsed = parse(value, unit)
    if parsed is None or unit == vocabulary.YES_NO_UNIT:
        return str(value)
    return f"{fmt.number(parsed, 1)}{fmt.NBSP}%" if unit == vocabulary.PERCENT else fmt.number(parsed, 2)

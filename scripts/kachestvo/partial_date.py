"""A date known to the year, the month or the day, kept at that precision: «2017», «2020-02», «2021-05-13».

A source that says «в 2017 году» or «февраль 2020» gives no day; writing 2017-01-01 or 2020-02-01 would invent one.
Fields holding such dates are strings with PATTERN in their schema (plain `frictionless validate` checks it); loaded,
they are PartialDate objects that compare by the days they may cover and print as people write them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

# a month never has more days than it can (02-29 passes: leap years are the domain check's)
PATTERN = (
    r"^[0-9]{4}(-(0[1-9]|1[0-2])|-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|-(0[13-9]|1[0-2])-(29|30)|-(0[13578]|1[02])-31|-02-29)?$"
)
MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь")
_MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text) -> PartialDate | None:
        """«2020», «2020-02» or «2020-02-13»; None for an empty or malformed value (validation reports those)."""
        if not isinstance(text, str) or not re.fullmatch(PATTERN, text.strip()):
            return None
        parts = [int(p) for p in text.strip().split("-")]
        try:
            out = cls(*parts)
            out.first  # noqa: B018 - a day the month does not have (2021-02-30) is malformed
        except ValueError:
            return None
        return out

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def first(self) -> dt.date:
        """The first day the date may mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> dt.date:
        """The last day the date may mean."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        """As written in data: «2020», «2020-02», «2020-02-13»."""
        return "-".join([f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p])

    def russian(self) -> str:
        """As a person reads it: «2020 г.», «февраль 2020», «13.02.2020»."""
        if self.day:
            return f"{self.day:02d}.{self.month:02d}.{self.year}"
        if self.month:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return f"{self.year}\u00a0г."

    def __str__(self) -> str:
        return self.iso()


def fields(schema: dict) -> list[str]:
    """The fields of a table schema that hold partial dates."""
    return [f["name"] for f in schema["fields"] if f.get("constraints", {}).get("pattern") == PATTERN]


def before(end: PartialDate, start: PartialDate) -> bool:
    """The end certainly precedes the start: even its last possible day is before the start's first."""
    return end.last < start.first


def month_of(text: str, month: int) -> bool:
    """The text names the month (any case, nominative or genitive): «Февраль 2020г.», «21 января»."""
    low = text.lower()
    return any(re.search(rf"(?<!\w){w}(?!\w)", low) for w in (MONTHS[month - 1], _MONTHS_GENITIVE[month - 1]))

"""Personal data: teachers and officials by role; a «Фамилия И.О.» needs consent recorded in the row."""

from __future__ import annotations

import re

import pandas as pd

from kachestvo.dataset import LINE
from kachestvo.validate.checks.rule import check, problem

PERSON = re.compile(r"\b[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.|\b[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]{2,}")
# Both forms of a name hold a capital Cyrillic initial with its dot: a text without one holds no name (a fast scan)
INITIAL = re.compile(r"[А-ЯЁ]\.")
CONSENT = "согласие"


@check
def no_personal_names(ds):
    """Teachers and officials by role: a «Фамилия И.О.» needs consent recorded in the row's note."""
    for name in ds.present:
        raw = ds.texts.get(name)
        if raw is not None and not (INITIAL.search(raw) and PERSON.search(raw)):
            continue  # the whole file first: a name in any cell is in the file's text too (cells only lose quotes)
        yield from _names_in(name, ds[name])


def _names_in(name: str, frame: pd.DataFrame):
    texts = [c for c in frame.columns if c not in (LINE, "note") and frame[c].dtype == object]
    notes = frame["note"].tolist()
    consent = pd.Series([isinstance(v, str) and CONSENT in v.lower() for v in notes], index=frame.index, dtype=bool)
    hits = pd.Series(False, index=frame.index)
    for col in texts:
        hits |= _column_hits(frame[col])
    for _, r in frame[hits & ~consent].iterrows():
        yield from _row_names(name, r, texts)


def _row_names(name: str, r: pd.Series, texts: list[str]):
    for col in texts:
        m = PERSON.search(r[col]) if isinstance(r[col], str) else None
        if m:
            yield problem(
                name,
                r,
                col,
                "personal-data",
                f"похоже на фамилию с инициалами: «{m.group(0)}». Указывайте должность, а не ФИО; "
                f"если есть письменное согласие на публикацию, запишите в note «{CONSENT} на публикацию ФИО».",
                m.group(0),
            )


def _column_hits(column: pd.Series) -> pd.Series:
    """Which cells of a column hold a name. One search over the whole column first (cells joined by NUL, which neither
    \\b nor \\s crosses unnoticed): a column without a match anywhere, the usual case, is done; a match may span cells,
    so then cell by cell."""
    cells = [v for v in column.tolist() if isinstance(v, str)]
    if not cells or not PERSON.search("\0".join(cells)):
        return pd.Series(False, index=column.index)
    return column.astype("string").str.contains(PERSON).fillna(False).astype(bool)

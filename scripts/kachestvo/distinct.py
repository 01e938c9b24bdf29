"""A column's distinct cells, found once: validation checks and loading type each distinct cell once, not each row."""

from __future__ import annotations

import numpy as np
import pandas as pd


def factorize(cells: list) -> tuple[np.ndarray, list]:
    """(codes, distinct cells) of a column of texts and Nones, with None coded -1. pandas' hash table compares strings
    as C strings (up to a NUL), so a cell starting with NUL and an empty cell would share a code: a column holding a
    NUL is coded by a dict instead."""
    if "\x00" not in "".join(c for c in cells if c is not None):
        codes, distinct = pd.factorize(np.array(cells, dtype=object))
        return codes, list(distinct)
    index: dict[str, int] = {}
    codes = [-1 if c is None else index.setdefault(c, len(index)) for c in cells]
    return np.array(codes, dtype=np.int64), list(index)

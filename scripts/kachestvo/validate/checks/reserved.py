"""Identifiers that name a page must not be a name the site already uses (a school «index» would silently replace
the list of schools), and the «as of» date must be one the site can print (timestamps before 1970 break archives)."""

from __future__ import annotations

import pandas as pd

from kachestvo.validate.checks.rule import check, problem

# table → (id column, the section folder, names the site itself uses in that folder)
PAGE_IDS = {
    "schools": ("school_id", "shkoly", {"index", "spisok"}),
    "documents": ("document_id", "dokumenty", {"index"}),
}
EARLIEST_AS_OF = 2000  # the programmes this site publishes began in the 2010s; 1970 is where timestamps start


@check
def reserved_ids(ds):
    for table, (column, folder, reserved) in PAGE_IDS.items():
        frame = ds[table]
        for _, r in frame[frame[column].isin(reserved)].iterrows():
            yield problem(
                table,
                r,
                column,
                "reserved-id",
                f"идентификатор «{r[column]}» занят: так называется страница самого сайта ({folder}/{r[column]}/), "
                f"и страница этой записи её бы заменила. Выберите другой, например «{r[column]}-1».",
                r[column],
            )


@check
def as_of_in_range(ds):
    m = ds["municipality"]
    for _, r in m.iterrows():
        as_of = r["as_of"]
        if as_of is not None and not pd.isna(as_of) and as_of.year < EARLIEST_AS_OF:
            yield problem(
                "municipality",
                r,
                "as_of",
                "as-of-too-early",
                f"дата «по состоянию на» {as_of:%d.%m.%Y} раньше {EARLIEST_AS_OF} года — проверьте год.",
                f"{as_of:%Y-%m-%d}",
            )

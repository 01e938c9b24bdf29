"""The keys a commit reaches: both ways `history` finds them (the lines that differ, or both versions read whole) name
exactly the keys whose rows were added, removed or changed, checked against a plain reading of both versions."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from kachestvo import history

HEADER = ["activity_id", "school_id", "title"]
COLUMNS = ("school_id",)

schools = st.sampled_from(["", "alpha", "beta", "gamma"])
titles = st.sampled_from(["Семинар", "Вебинар", "Круглый стол, «итоги»", 'кавычки "внутри"', ""])
rows = st.lists(st.tuples(st.integers(0, 30), schools, titles), max_size=12, unique_by=lambda r: r[0])


def _text(records: list[tuple], header: list[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([f"a-{n}", school, title] for n, school, title in records)
    return out.getvalue()


@st.composite
def versions(draw):
    """A table and its next version: rows removed, edited in place (a title, or the school) and appended; rows that
    stay keep their order."""
    before = draw(rows)
    after = []
    for n, school, title in before:
        fate = draw(st.sampled_from(["keep", "keep", "drop", "school", "title"]))
        if fate == "keep":
            after.append((n, school, title))
        elif fate == "school":
            after.append((n, draw(schools), title))
        elif fate == "title":
            after.append((n, school, draw(titles)))
    used = {n for n, _, _ in before}
    after += [r for r in draw(rows) if r[0] not in used]
    return before, after


def _expected(before: list[tuple], after: list[tuple]) -> set:
    """Keys (a school, or None for rows with none) whose set of rows differs between the versions."""

    def by_key(records):
        out: dict = {}
        for n, school, title in records:
            out.setdefault(school or None, set()).add((n, school, title))
        return out

    old, new = by_key(before), by_key(after)
    return {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}


@settings(max_examples=150, deadline=None)
@given(versions())
def test_changed_lines_and_whole_versions_name_the_same_keys(pair):
    before, after = pair
    old, new = history._Version(_text(before)), history._Version(_text(after))
    expected = _expected(before, after)
    assert history._changed_keys(old, new, COLUMNS) == expected  # only the lines that differ are read
    old.spanning = True  # as when a record spans lines: both versions read whole
    assert history._changed_keys(old, new, COLUMNS) == expected


@settings(max_examples=60, deadline=None)
@given(versions())
def test_a_new_column_or_a_new_order_of_columns_changes_no_row(pair):
    """The header changed: every row's text changes, but a row with the same non-empty cells is the same row."""
    before, after = pair
    wider = ["title", "school_id", "note", "activity_id"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(wider)
    writer.writerows([title, school, "", f"a-{n}"] for n, school, title in after)
    assert history._changed_keys(history._Version(_text(before)), history._Version(out.getvalue()), COLUMNS) == _expected(
        before, after
    )


def test_a_quoted_line_break_is_read_as_one_record():
    """A title written on two lines: its second line alone differs, yet the key is the record's school."""
    before = 'activity_id,school_id,title\na-1,beta,"Итоги:\nпервая часть"\na-2,alpha,Семинар\n'
    after = before.replace("первая часть", "первая часть исправлена")
    old, new = history._Version(before), history._Version(after)
    assert old.spanning and new.spanning
    assert history._changed_keys(old, new, COLUMNS) == {"beta"}

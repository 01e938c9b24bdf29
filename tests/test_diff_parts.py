"""`compare` and `diff`'s report from their parts, without git or a build: a table gained or lost, a rename found from
the one row that left and the one that came, where a change shows, the descriptor field by field, and the Markdown
table each change becomes (three cells a row, every change and every changed field there, data never breaking it)."""

from __future__ import annotations

import csv
import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import base_tables
from kachestvo import schemas
from kachestvo.compare import Change, Field, compare
from kachestvo.diff import FILES, PAGES, Side, changes, format_markdown


def _texts(tables: dict[str, list[dict]]) -> dict[str, str]:
    """Table → CSV text in the canonical column order, as the protected dataset holds it."""
    out = {}
    for name, rows in tables.items():
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=schemas.field_names(name), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        out[name] = buf.getvalue()
    return out


def _title(table: str) -> str:
    return schemas.schema(table)["title"]


def test_a_table_gained_or_lost_is_one_line_counting_its_rows():
    t = base_tables()
    old = _texts({"schools": t["schools"], "results": t["results"]})
    new = _texts({"schools": t["schools"], "activities": t["activities"]})
    assert [(c.kind, c.group, c.label) for c in compare(old, new)] == [
        ("table-added", "Описание данных", f"таблица «{_title('activities')}» (activities.csv), 1\u00a0строка"),
        ("table-removed", "Описание данных", f"таблица «{_title('results')}» (results.csv), 3\u00a0строки"),
    ]


def _renamed_beta(left_behind: bool) -> list[Change]:
    """School «beta» renamed «beta-oosh», its short name corrected too (so the row is not the same apart from its key);
    its membership moves to the new key, or (left_behind) stays with the old one."""
    t = base_tables()
    old = _texts({n: t[n] for n in ("schools", "partner_groups", "partner_group_members")})
    t["schools"][1] = dict(t["schools"][1], school_id="beta-oosh", short_name="Бета основная школа")
    if not left_behind:
        t["partner_group_members"][1]["school_id"] = "beta-oosh"
    new = _texts({n: t[n] for n in ("schools", "partner_groups", "partner_group_members")})
    return compare(old, new)


def test_one_row_gone_one_come_with_its_references_moved_is_one_rename():
    [change] = _renamed_beta(left_behind=False)
    assert (change.kind, change.keys, change.file) == ("renamed", ("beta", "beta-oosh"), "schools")
    assert change.note == "вместе со ссылками на него: 1\u00a0строка в других таблицах"
    assert change.fields == (Field("Краткое название", "«Бета ООШ»", "«Бета основная школа»"),)


def test_a_reference_left_on_the_old_key_means_a_school_removed_and_another_added():
    kinds = sorted((c.kind, c.label) for c in _renamed_beta(left_behind=True))
    assert [k for k, _ in kinds] == ["added", "removed"]
    assert "renamed" not in {c.kind for c in _renamed_beta(left_behind=True)}


def _side(glossary: str, pages: dict | None = None, descriptor: dict | None = None) -> Side:
    sections = {"glossary": ["«А» (a/)", "«Б» (b/)", "«В» (v/)", "«Г» (g/)"]}
    return Side({"glossary": glossary}, descriptor or {}, {}, pages, sections)


GLOSSARY = "term,meaning,explanation,document_id,note\nШНОР,школы с низкими результатами,,,\n"


def test_a_tables_change_names_the_first_sections_showing_it_and_counts_the_rest():
    old = _side(GLOSSARY, pages={"a.md": "1"})
    new = _side(GLOSSARY.replace("низкими", "низкими образовательными"), pages={"a.md": "2"})
    listed = changes(old, new)
    assert [(c.kind, c.group) for c in listed] == [
        ("changed", f"{_title('glossary')} (glossary.csv), на сайте: «А» (a/), «Б» (b/) и ещё 2\u00a0раздела"),
        ("page-changed", PAGES),
    ]
    old.sections["glossary"] = new.sections["glossary"] = ["«А» (a/)", "«Б» (b/)", "«В» (v/)"]
    assert changes(old, new)[0].group.endswith("на сайте: «А» (a/), «Б» (b/), «В» (v/)")


def test_the_descriptor_field_by_field_and_a_mere_reordering_of_it():
    resources = [{"name": "glossary", "path": "glossary.csv"}, {"name": "schools", "path": "schools.csv"}]
    old = {"name": "x", "title": "Район", "resources": resources}
    new = {"title": "Район (новое имя)", "name": "x", "resources": resources[::-1]}
    listed = changes(_side(GLOSSARY, descriptor=old), _side(GLOSSARY, descriptor=new))
    assert [(c.kind, c.label, c.fields) for c in listed] == [
        ("changed", "поле «title» в datapackage.json", (Field("Значение", '«"Район"»', '«"Район (новое имя)"»'),)),
        ("reordered", "порядок таблиц в datapackage.json (и в файле для скачивания)", ()),
    ]
    reordered = {"resources": resources, "title": "Район", "name": "x"}
    listed = changes(_side(GLOSSARY, descriptor=old), _side(GLOSSARY, descriptor=reordered))
    assert [(c.kind, c.label) for c in listed] == [("reformatted", "datapackage.json (порядок или запись полей)")]


# ---- the Markdown of the job summary ---------------------------------------------------------------------------------

_text = st.text(alphabet="аб|`<>&\n\r x1", max_size=8)
_changes = st.lists(
    st.builds(
        Change,
        kind=st.sampled_from(["added", "removed", "changed", "renamed", "reordered", "page-changed", "file-added"]),
        group=st.sampled_from(["Школа «x» (x)", "Результаты (results.csv)", PAGES, FILES]),
        label=_text,
        table=_text,
        fields=st.lists(st.builds(Field, _text, _text, _text), max_size=3).map(tuple),
        note=_text,
    ),
    max_size=8,
)
CELL = re.compile(r"(?<!\\)\|")


@settings(max_examples=200, deadline=None)
@given(_changes)
def test_every_change_is_a_markdown_row_of_three_cells_or_a_list_item(listed):
    md = format_markdown(listed, "origin/main")
    lines = md.splitlines()
    rows = [line for line in lines if line.startswith("| ") and line not in ("| Что | Было | Стало |",)]
    items = [line for line in lines if line.startswith("- ")]
    listed_as_items = [c for c in listed if c.group in (PAGES, FILES)]
    in_tables = [c for c in listed if c.group not in (PAGES, FILES)]
    expected_rows = [c.kind in ("added", "removed") or not c.fields or len(c.fields) for c in in_tables]
    assert len(items) == len(listed_as_items)
    assert len(rows) == sum(int(n) for n in expected_rows)
    for row in rows:
        cells = CELL.split(row)
        assert len(cells) == 5 and cells[0] == "" and cells[-1] == "", row
        assert not re.search(r"[<>`]", row), row
    for item in items:
        assert item.count("`") == 2 and "<" not in item, item
    added = [r for r in rows if r.startswith("| добавлено: ")]
    removed = [r for r in rows if r.startswith("| удалено: ")]
    assert all(CELL.split(r)[2] == " — " for r in added) and all(CELL.split(r)[3] == " — " for r in removed)
    assert sum(line.startswith("#### ") for line in lines) == len(
        [c for i, c in enumerate(listed) if i == 0 or c.group != listed[i - 1].group]
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="аб-_ x", max_size=12), st.text(alphabet="аб-_ x", max_size=12))
def test_common_ends_are_the_longest_shared_start_and_end(a, b):
    """What long texts' excerpts and renamed keys' differing middles are cut around."""
    from kachestvo import compare as compare_module

    start, end = compare_module._common_ends(a, b)
    assert a[:start] == b[:start] and a[len(a) - end :] == b[len(b) - end :]
    assert start + end <= min(len(a), len(b))
    assert start == min(len(a), len(b)) or a[start] != b[start]  # the start can grow no further
    assert start + end == min(len(a), len(b)) or a[len(a) - end - 1] != b[len(b) - end - 1]  # nor the end


def test_a_long_text_is_shown_around_its_change():
    long = "Семинар для учителей математики по подготовке к ОГЭ, " * 3
    old = _texts({"glossary": [dict(term="ШНОР", meaning="школы", explanation=long)]})
    new = _texts({"glossary": [dict(term="ШНОР", meaning="школы", explanation=long.replace("ОГЭ", "ЕГЭ", 2))]})
    [change] = compare(old, new)
    [field] = change.fields
    assert field.old.startswith("«…") and field.old.endswith("…»") and "ОГЭ" in field.old
    assert field.new.startswith("«…") and field.new.endswith("…»") and "ЕГЭ" in field.new
    assert len(field.old) < len(long)


def test_a_table_shown_in_no_section_keeps_its_own_heading_and_a_changed_table_entry_is_named():
    old, new = _side(GLOSSARY), _side(GLOSSARY.replace("низкими", "невысокими"))
    old.sections, new.sections = {}, {}
    old.descriptor = {"resources": [{"name": "glossary", "path": "glossary.csv"}]}
    new.descriptor = {"resources": [{"name": "glossary", "path": "glossary.csv", "title": "Термины"}]}
    assert [(c.kind, c.group, c.label) for c in changes(old, new)] == [
        ("changed", "Описание данных", "описание таблицы glossary.csv в datapackage.json"),
        ("changed", f"{_title('glossary')} (glossary.csv)", "ШНОР"),
    ]

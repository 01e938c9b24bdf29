"""School pages reused from the previous build (pages/memo.py): only the pages whose inputs changed are generated
again, and a build that reuses pages equals one that does not, byte for byte, whatever cell changed."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from conftest import PROJECTS
from kachestvo import partial_date, schemas
from kachestvo.output.cache import tool_fingerprint
from kachestvo.output.charts import store
from kachestvo.pages import generate
from kachestvo.pages.memo import OWN, Memo
from kachestvo.paths import Project
from kachestvo.protect import protect
from kachestvo.validate import validate


def _generate(ds, memo=None):
    site, ctx = generate(protect(ds), memo=memo)
    return site, ctx


def _prime(ds, tmp_path):
    """A memo holding every school page of `ds`, with its charts «rendered» (present in the chart cache)."""
    charts = tmp_path / "charts"
    charts.mkdir(parents=True, exist_ok=True)
    memo = Memo(tmp_path / "pages", charts, tool_fingerprint())
    site, ctx = _generate(ds, memo)
    for chart in ctx.charts:
        store(charts, chart.key, b"<svg/>")
    memo.save()
    return site


def _changed(ds, name: str, row: int):
    """A copy of the dataset with every free-text and numeric cell of one row of a table changed."""
    frame = ds[name].copy()
    fields = schemas.schema(name)["fields"]
    partial = set(partial_date.fields(schemas.schema(name)))
    for f in fields:
        column, value = f["name"], frame.at[row, f["name"]]
        if column.endswith("_id") or (f.get("constraints") or {}).get("enum") or pd.isna(value):
            continue
        if column in partial and isinstance(value, partial_date.PartialDate):  # another date of the same precision
            frame.at[row, column] = _shifted(value)
        elif f["type"] == "string":
            frame.at[row, column] = f"{value} (изменено)"
        elif f["type"] == "number":
            frame.at[row, column] = value + 0.01
        elif f["type"] == "date":
            frame.at[row, column] = value + pd.Timedelta(days=1)
    return dataclasses.replace(ds, tables=dict(ds.tables, **{name: frame}))


def _shifted(d):
    if d.day is not None:
        return dataclasses.replace(d, day=d.day - 1 if d.day > 1 else 2)
    if d.month is not None:
        return dataclasses.replace(d, month=d.month % 12 + 1)
    return dataclasses.replace(d, year=d.year + 1)


def _schools_reused(memo) -> int:
    return sum(1 for path in memo.reused if path.startswith("shkoly/") and path.count("/") == 1 and path != "shkoly/index.md")


def _rows_to_change(ds) -> list[tuple[str, int]]:
    """For each table with rows: its first row; for a school's own table also its first row of no school."""
    out = []
    for name in sorted(ds.present):
        frame = ds[name]
        if name in OWN:
            own = frame.index[frame["school_id"].notna()]
            other = frame.index[frame["school_id"].isna()]
            out += [(name, own[0])] if len(own) else []
            out += [(name, other[0])] if len(other) else []
        else:
            out.append((name, frame.index[0]))
    return out


@pytest.mark.slow  # every row of every table changed in turn, each generating the site twice: a minute
@pytest.mark.parametrize("example", ["ilansky", "kotelnikovsky", "irkutsk"])  # irkutsk: a region
def test_reusing_pages_equals_generating_them(example, tmp_path):
    ds, _ = validate(Project.at(PROJECTS[example]))
    changes = _rows_to_change(ds)
    assert {"schools", "documents"} <= {name for name, _ in changes}
    _prime(ds, tmp_path)
    for name, row in changes:
        changed = _changed(ds, name, row)
        memo = Memo(tmp_path / "pages", tmp_path / "charts", tool_fingerprint())
        reused, _ = _generate(changed, memo)
        fresh, _ = _generate(changed)
        assert reused.pages == fresh.pages, f"{example}: {name}.csv, row {row}"
        if name in OWN and not pd.isna(ds[name].at[row, "school_id"]):
            # a school's own row: every other school page is reused, this school's is generated again
            assert _schools_reused(memo) == len(ds["schools"]) - 1, (name, row)


def test_one_changed_result_regenerates_one_school_page_and_its_charts(tmp_path):
    ds, _ = validate(Project.at(PROJECTS["kotelnikovsky"]))  # results of several years: its school pages have charts
    before = _prime(ds, tmp_path)
    results = ds["results"]
    row = results.index[results["school_id"].notna() & results["value"].notna()][0]
    school = results.at[row, "school_id"]
    changed = _changed(ds, "results", row)
    memo = Memo(tmp_path / "pages", tmp_path / "charts", tool_fingerprint())
    site, ctx = _generate(changed, memo)
    fresh, fresh_ctx = _generate(changed)
    assert _schools_reused(memo) == len(ds["schools"]) - 1
    # section pages not made from results are reused too; those made from them are made again
    assert {"shkoly/index.md", "meropriyatiya/index.md"} <= set(memo.reused)
    assert not {"rezultaty/index.md", "kak-chitat/index.md", "index.md"} & set(memo.reused)
    assert site.pages[f"shkoly/{school}.md"] != before.pages[f"shkoly/{school}.md"]
    unchanged = [p for p in site.pages if p.startswith("shkoly/") and p not in ("shkoly/index.md", f"shkoly/{school}.md")]
    assert len(unchanged) == len(ds["schools"]) - 1 and all(site.pages[p] == before.pages[p] for p in unchanged)
    # the charts of reused pages are named, not made again; together the site has the same charts
    made = {c.key for c in ctx.charts}
    assert made.isdisjoint(site.reused_charts)
    assert made | set(site.reused_charts) == {c.key for c in fresh_ctx.charts}
    assert 0 < len(made) < len(fresh_ctx.charts) / 2


def test_memo_is_dropped_when_the_tool_changes_or_the_file_is_torn(tmp_path):
    ds, _ = validate(Project.at(PROJECTS["ilansky"]))
    _prime(ds, tmp_path)
    other_tool = Memo(tmp_path / "pages", tmp_path / "charts", "another version")
    _generate(ds, other_tool)
    assert other_tool.reused == []
    _prime(ds, tmp_path)
    blob = tmp_path / "pages" / "pages.bin"
    blob.write_bytes(blob.read_bytes()[:-10])
    torn = Memo(tmp_path / "pages", tmp_path / "charts", tool_fingerprint())
    _generate(ds, torn)
    assert torn.reused == []


def test_a_page_whose_chart_left_the_cache_is_generated_again(tmp_path):
    ds, _ = validate(Project.at(PROJECTS["kotelnikovsky"]))  # results of several years: its school pages have charts
    fresh, _ = _generate(ds)
    _prime(ds, tmp_path)
    for svg in (tmp_path / "charts").glob("*.svg"):
        svg.unlink()
    memo = Memo(tmp_path / "pages", tmp_path / "charts", tool_fingerprint())
    _generate(ds, memo)
    schools_with_charts = sum(1 for s in ds["schools"]["school_id"] if 'class="kq-figure"' in fresh.pages[f"shkoly/{s}.md"])
    assert schools_with_charts > 0
    assert _schools_reused(memo) == len(ds["schools"]) - schools_with_charts

"""`kachestvo diff` is defined by the site: random single-cell edits, added and removed rows across every table of
every example; the generated site before and after is the oracle. The diff is empty exactly when the site is equal,
and when it is not, it names what changed (the field's Russian title, the added or removed row).

What is compared as «the site»: every generated Markdown page (without the history line: `build.generate_site` is given no
history), every asset (the downloads — CSVs, schemas, datapackage.json, data.xlsx — and the static files), the
navigation and every chart's key (a hash of its spec and rows, which is also its SVG's file name). MkDocs is not run:
it builds the site from exactly these pages, assets and navigation plus mkdocs.yml and content/, which a data edit
does not touch; the site's name, footer and timestamps come from the municipality row, which is published as
municipality.csv, so a change there already differs among the assets. SVGs are not rendered: vl-convert draws each
from its spec, and equal specs give equal files (that is what the chart cache relies on).

Cost: one baseline per example; per edit one validation and one generation of pages and downloads (about a second
on one core). Seeds: a fixed one that edits one cell of every table of every example and adds and removes rows, plus
two random seeds (printed on failure; set KACHESTVO_DIFF_SEEDS=1,2,3 to replay).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import re
import shutil

import pytest

from conftest import PROJECTS, add_small_group, base_tables, write_project
from kachestvo import schemas
from kachestvo.build import generate_site
from kachestvo.diff import changes, format_text, side, url
from kachestvo.paths import Project
from kachestvo.validate import validate
from kachestvo.validate.problems import errors

FIXED = 20
SEEDS = [int(s) for s in os.environ["KACHESTVO_DIFF_SEEDS"].split(",")] if os.environ.get("KACHESTVO_DIFF_SEEDS") else []
RANDOM = SEEDS or [random.SystemRandom().randrange(10**6) for _ in range(2)]
PER_RANDOM_SEED = 4  # edits per example for each random seed
TRIES = 5  # candidate values tried until the data stays valid


def site_of(project: Project):
    """The generated site (see the module's docstring) and the diff's view of the same version; for invalid data
    (never published: the build stops) no site, and the notes diff prints."""
    ds, problems = validate(project)
    if errors(problems):
        notes: list[str] = []
        return None, (side(project, "рабочей копии", notes, working=True, loaded=(ds, problems)), notes), values(ds)
    site, _ = generate_site(project, ds)
    built = (site.pages, site.assets, tuple(map(tuple, site.nav)), sorted(c.key for c in site.charts))
    return built, side(project, "версии", [], loaded=(ds, problems), site=site), values(ds)


def values(ds) -> tuple[set[str], set[str]]:
    """(hidden, published) results of a loaded version, as the site would display them."""
    from kachestvo import fmt
    from kachestvo.protect import protect_unchecked

    raw, safe = ds["results"], protect_unchecked(ds)["results"]
    hidden = raw["value"].notna() & safe["value"].isna()
    shown = {fmt.value(v, u) for v, u in zip(safe["value"], safe["unit"]) if v == v}
    return {fmt.value(v, u) for v, u in zip(raw["value"][hidden], raw["unit"][hidden])}, shown


def leaked(listed, *sides: tuple[set[str], set[str]]) -> set[str]:
    """Values hidden on either side that the diff's text shows; one that is published on either side (the same
    number elsewhere, or the value once its group is large enough) is no leak."""
    secret = set().union(*(h for h, _ in sides)) - set().union(*(p for _, p in sides))
    text = format_text(listed, "HEAD")
    return {s for s in secret if re.search(rf"(?<![\d,]){re.escape(s)}(?![\d,])", text)}


# --- editing a CSV record in place (other records keep their bytes) -------------------------------------------------


def records(text: str) -> tuple[list[str], list[tuple[int, int, list[str]]]]:
    """The header and (first line, last line, cells) of each record; lines counted from 0."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    out, start = [], reader.line_num
    for row in reader:
        if row:
            out.append((start, reader.line_num - 1, row))
        start = reader.line_num
    return header, out


def replaced(text: str, first: int, last: int, row: list[str] | None, after: bool = False) -> str:
    """The text with lines first..last replaced by `row` (None: removed; after: the row inserted after them)."""
    lines = text.split("\n")
    buf = io.StringIO()
    if row is not None:
        csv.writer(buf, lineterminator="\n").writerow(row)
    new = buf.getvalue()[:-1].split("\n") if row is not None else []
    if after:
        return "\n".join(lines[: last + 1] + new + lines[last + 1 :])
    return "\n".join(lines[:first] + new + lines[last + 1 :])


def candidates(rng: random.Random, table: str, field: dict, value: str, data: dict[str, str]) -> list[str]:
    """Other values for a cell, the likely valid first."""
    out: list[str] = []
    constraints = field.get("constraints", {})
    target = foreign(table).get(field["name"])
    if "enum" in constraints:
        out += [v for v in constraints["enum"] if v != value]
    if target and target in data:
        _, rows = records(data[target])
        key = schemas.schema(target)["primaryKey"][0]
        header = records(data[target])[0]
        out += [r[header.index(key)] for _, _, r in rows if key in header and r[header.index(key)] != value]
    kind = field["type"]
    if kind in ("integer", "number") and value.strip():
        try:
            number = float(value)
        except ValueError:
            number = None
        if number is not None:
            step = 1 if kind == "integer" else rng.choice([0.1, 1, 0.01])
            out += [repr_number(number + step, kind), repr_number(number - step, kind)]
    if kind == "date" and value.strip():
        try:
            day = dt.date.fromisoformat(value.strip())
            out += [(day + dt.timedelta(days=1)).isoformat(), (day - dt.timedelta(days=1)).isoformat()]
        except ValueError:
            pass
    if kind == "string" and not out:
        out += [value + "-x" if value else "x", value + " (уточнено)", value[:-1] if len(value) > 1 else ""]
    if not value:
        out += {"integer": ["1", "2020"], "number": ["1.5", "50"], "date": ["2021-01-01"]}.get(kind, [])
    elif not constraints.get("required") and field["name"] not in schemas.schema(table).get("primaryKey", []):
        out.append("")
    first, rest = out[:2], out[2:]
    rng.shuffle(rest)
    return list(dict.fromkeys([*first, *rest]))[:TRIES]


def repr_number(number: float, kind: str) -> str:
    return str(int(round(number))) if kind == "integer" else f"{number:.4f}".rstrip("0").rstrip(".")


def foreign(table: str) -> dict[str, str]:
    return {
        fk["fields"][0]: fk["reference"]["resource"] or table
        for fk in schemas.schema(table).get("foreignKeys", [])
        if len(fk["fields"]) == 1
    }


# --- the property ----------------------------------------------------------------------------------------------------


class Example:
    """A copy of a project whose data files are edited one at a time and restored."""

    def __init__(self, name: str, source, root):
        shutil.copytree(source / "data", root / "data")
        if (source / "content").exists():
            shutil.copytree(source / "content", root / "content")
        shutil.copy(source / "mkdocs.yml", root / "mkdocs.yml")
        self.name, self.project = name, Project.at(root)
        self.data = {p.stem: p.read_text(encoding="utf-8") for p in sorted(self.project.data.glob("*.csv"))}
        self.base_site, self.base_side, self.values = site_of(self.project)
        assert self.base_site is not None, f"{name}: the example itself must be valid"
        self.checked = self.invalid = 0
        self.seed = f"fixed seed {FIXED}"

    def check(self, table: str, text: str, what: str, expect) -> bool:
        """Write the edited table, compare; False when the edit left the data invalid. Then the site is not
        built at all: the diff must say so, and still show no hidden value."""
        path = self.project.data / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        where = f"{self.name} ({self.seed}): {what}"
        try:
            site, after, now = site_of(self.project)
            if site is None:
                after, notes = after
                assert any("kachestvo build с ними остановится" in n for n in notes), f"{where}: {notes}"
                assert not leaked(changes(self.base_side, after), self.values, now), where
                return False
            listed = changes(self.base_side, after)
            same = site == self.base_site
            assert (not listed) == same, f"{where}: site {'equal' if same else 'differs'}, diff lists {listed}"
            if not same:
                assert expect(listed), f"{where}: the diff does not name the change: {listed}"
            old_pages, new_pages = self.base_site[0], site[0]
            differ = {url(p) for p in set(old_pages) & set(new_pages) if old_pages[p] != new_pages[p]}
            named = {c.label for c in listed if c.kind == "page-changed"}
            assert named == differ, f"{where}: pages named {sorted(named)}, pages changed {sorted(differ)}"
            assert not leaked(listed, self.values, now), f"{where}: hidden values shown"
            self.checked += 1
            return True
        finally:
            path.write_text(self.data[table], encoding="utf-8")

    def edit_cell(self, rng: random.Random, table: str) -> None:
        header, rows = records(self.data[table])
        fields = {f["name"]: f for f in schemas.schema(table)["fields"]}
        pk = schemas.schema(table).get("primaryKey", [])
        for _ in range(TRIES):
            first, last, row = rng.choice(rows)
            name = rng.choice([h for h in header if h in fields])
            i = header.index(name)
            for value in candidates(rng, table, fields[name], row[i], self.data):
                edited = row[:i] + [value] + row[i + 1 :]
                title = fields[name].get("title", name)
                what = f"{table}.csv line {first + 1}: {name} {row[i]!r} → {value!r}"
                titles = {title, "Значение"} if table == "results" else {title}
                if self.check(table, replaced(self.data[table], first, last, edited), what, named(titles, name in pk)):
                    return
        self.invalid += 1

    def add_row(self, rng: random.Random, table: str) -> None:
        header, rows = records(self.data[table])
        schema = schemas.schema(table)
        pk = [k for k in schema.get("primaryKey", []) if k in header and k not in foreign(table)]
        fields = {f["name"]: f for f in schema["fields"]}
        for _ in range(TRIES):
            first, last, row = rng.choice(rows)
            if not pk:
                break
            key = rng.choice(pk)
            i = header.index(key)
            value = str(int(row[i]) + 1000) if fields[key]["type"] == "integer" and row[i].isdigit() else row[i] + "-novyj"
            added = row[:i] + [value] + row[i + 1 :]
            what = f"{table}.csv: a copy of line {first + 1} as {key}={value!r}"
            if self.check(table, replaced(self.data[table], first, last, added, after=True), what, kinds({"added"})):
                return
        self.invalid += 1

    def remove_row(self, rng: random.Random, table: str) -> None:
        _, rows = records(self.data[table])
        for first, last, _row in rng.sample(rows, min(TRIES, len(rows))):
            what = f"{table}.csv: line {first + 1} removed"
            if self.check(table, replaced(self.data[table], first, last, None), what, kinds({"removed"})):
                return
        self.invalid += 1


def named(titles: set[str], key: bool):
    """The diff names the changed field by its Russian title (a key field: the row's key changed or was renamed)."""

    def ok(listed) -> bool:
        if any(f.title in titles for c in listed for f in c.fields):
            return True
        return key and any(c.kind in ("renamed", "added") or c.note == "ключ строки изменён" for c in listed)

    return ok


def kinds(wanted: set[str]):
    return lambda listed: any(c.kind in wanted for c in listed)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_diff_is_empty_exactly_when_the_site_is_equal(name, tmp_path):
    example = Example(name, PROJECTS[name], tmp_path)
    tables = [t for t, text in example.data.items() if len(records(text)[1]) > 0 and t in schemas.table_names()]
    fixed = random.Random(f"{FIXED}-{name}")
    for table in tables:  # one cell of every table
        example.edit_cell(fixed, table)
    for table in fixed.sample(tables, min(2, len(tables))):
        example.add_row(fixed, table)
        example.remove_row(fixed, table)
    for seed in RANDOM:
        rng, example.seed = random.Random(f"{seed}-{name}"), f"seed {seed}: KACHESTVO_DIFF_SEEDS={seed} replays it"
        for _ in range(PER_RANDOM_SEED):
            table = rng.choice(tables)
            rng.choice([example.edit_cell, example.edit_cell, example.add_row, example.remove_row])(rng, table)
    # most edits keep the data valid; those that cannot are left out (invalid data is not published at all)
    print(f"{name}: {example.checked} edits checked, {example.invalid} left invalid")
    assert example.checked >= len(tables), f"{name}: only {example.checked} edits checked, {example.invalid} invalid"


def _small_groups(tmp_path) -> Example:
    """The examples publish no participant counts, so nothing is hidden there: a small project where a small group
    (3 participants, its 4,87 hidden) sits beside a large one (published)."""
    tables = base_tables()
    add_small_group(tables)
    tables["results"].append(dict(tables["results"][-1], year="2021", value="40"))  # a large group, published
    return Example("small groups", write_project(tmp_path / "source", tables).root, tmp_path / "copy")


def test_hidden_values_never_show_and_the_diff_still_follows_the_site(tmp_path):
    """The hidden value changed (the site stays the same), the count raised across the threshold or lowered."""
    example = _small_groups(tmp_path)
    header, rows = records(example.data["results"])
    value = header.index("value")
    planted = [(i, v) for i, (_, _, row) in enumerate(rows) for v in ("4.9", "5", "30", "2", "") if row[value] in ("4.87", "3")]
    for i, v in planted:
        first, last, row = rows[i]
        edited = row[:value] + [v] + row[value + 1 :]
        example.check(
            "results",
            replaced(example.data["results"], first, last, edited),
            f"line {first + 1}: {v!r}",
            named({"Значение"}, False),
        )
    # ten edits; a count of «4.9» or an empty cell leaves the data invalid (the diff then says the build stops)
    assert len(planted) == 10 and example.checked >= 7, f"{example.checked} edits checked, {example.invalid} invalid"


@pytest.mark.slow
def test_random_edits_beside_a_hidden_value_never_show_it(tmp_path):
    """Any cell of the results edited at random (a fixed seed and random ones): the diff follows the site and never
    shows the hidden value."""
    example = _small_groups(tmp_path)
    for seed in [FIXED, *RANDOM]:
        rng, example.seed = random.Random(seed), f"seed {seed}"
        for _ in range(6):
            example.edit_cell(rng, "results")
    assert example.checked >= 8, f"{example.checked} edits checked, {example.invalid} invalid"

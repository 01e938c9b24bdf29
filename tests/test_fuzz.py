"""Issue 21, item 7: fuzzing the inputs staff can hand the tool — CSV bytes, workbook sheets, descriptors, and a
broken working copy under `kachestvo diff`. Whatever the input: no traceback, no hang, every problem names its file,
and diff shows no hidden value. A fixed budget (derandomized examples, an alarm per example) keeps it in CI time
(about a minute in all)."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import signal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import base_tables, write_project
from kachestvo import cli

pytestmark = pytest.mark.slow  # about a minute in all: a fixed number of derandomized examples

SECONDS_PER_EXAMPLE = 20
BUDGET = dict(deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None)
WHERE = re.compile(r"^(?:.*/)?(data/[\w./-]+|mkdocs\.yml)")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return write_project(tmp_path_factory.mktemp("fuzz-template"), base_tables()).root


@contextlib.contextmanager
def _no_hang():
    def stop(*_):
        raise TimeoutError("a single input took longer than the budget: a hang")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(SECONDS_PER_EXAMPLE)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _run(argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with _no_hang(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)  # an exception here is the traceback a user would see
    return code, out.getvalue(), err.getvalue()


def _fresh(template, tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(template, root, dirs_exist_ok=True)
    return root


def _every_problem_names_a_file(out: str) -> None:
    # every line end any reader may see (str.splitlines: also U+001E, U+2028 and the like)
    lines = [x for x in out.splitlines() if x and not x.startswith(("Найдено ", "Данные в порядке"))]
    for line in lines:
        assert WHERE.match(line), line


HEADER = "school_id,assessment,grade,subject,year,metric,unit,value,value_missing,document_id,note,municipality_id\n"
cells = st.sampled_from(["alpha", "ОГЭ", "9", "2019", "3.5", "", '"', ",", "\n", "\r", "\x00", "sNaN", "２", "2_0", "я" * 40])
csv_text = st.lists(st.lists(cells, max_size=14).map(",".join), max_size=8).map(lambda rows: HEADER + "\n".join(rows))
csv_bytes = st.one_of(
    st.binary(max_size=400),
    csv_text.map(lambda t: t.encode("utf-8")),
    csv_text.map(lambda t: t.encode("utf-16")),
    st.tuples(csv_text, st.binary(max_size=8)).map(lambda tb: tb[0].encode("utf-8") + tb[1]),
)


@settings(max_examples=80, **BUDGET)
@given(data=csv_bytes)
def test_any_csv_bytes(template, tmp_path_factory, data):
    root = _fresh(template, tmp_path_factory)
    (root / "data" / "results.csv").write_bytes(data)
    code, out, _ = _run(["validate", "--project", str(root)])
    assert code in (0, 1)
    _every_problem_names_a_file(out)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)
resource_keys = st.sampled_from(["name", "path", "schema", "dialect", "profile", "title", "format", "encoding"])
resources = st.lists(st.dictionaries(resource_keys, json_values | st.sampled_from(["results", "results.csv"]), max_size=5))
descriptors = st.one_of(
    json_values,
    st.fixed_dictionaries({"name": json_values, "resources": resources | json_values}),
    st.fixed_dictionaries({"resources": st.just("KEEP"), "kachestvo": st.dictionaries(st.text(max_size=12), json_values)}),
)


@settings(max_examples=80, **BUDGET)
@given(descriptor=descriptors)
def test_any_descriptor(template, tmp_path_factory, descriptor):
    root = _fresh(template, tmp_path_factory)
    path = root / "data" / "datapackage.json"
    if isinstance(descriptor, dict) and descriptor.get("resources") == "KEEP":
        descriptor["resources"] = json.loads(path.read_text(encoding="utf-8"))["resources"]
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    code, out, _ = _run(["validate", "--project", str(root)])
    assert code in (0, 1)
    _every_problem_names_a_file(out)


sheet_cells = st.one_of(
    st.none(),
    st.integers(-10, 3000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    st.sampled_from(["school_id", "year", "value", "alpha", "ОГЭ", "=1+1", "скрыто"]),
)
sheets = st.lists(st.lists(sheet_cells, min_size=1, max_size=14), min_size=1, max_size=6)


@settings(max_examples=30, **BUDGET)
@given(rows=sheets, header=st.booleans())
def test_any_workbook_sheet(template, tmp_path_factory, rows, header):
    from openpyxl import Workbook

    root = _fresh(template, tmp_path_factory)
    book = Workbook()
    sheet = book.active
    sheet.title = "results"
    if header:
        sheet.append(HEADER.strip().split(","))
    for row in rows:
        sheet.append(row)
    source = root / "incoming.xlsx"
    book.save(source)
    code, out, err = _run(["import", str(source), "--table", "results", "--project", str(root)])
    assert code in (0, 1, 2)
    if code == 2:
        assert err.startswith("Ошибка: ") and "incoming.xlsx" in err, err
    if code == 1:
        assert "data/results.csv" in out


SECRET = "4.93"  # alpha's 2019 mean: its group has 3 participants, so the site hides it
COUNT_ROW = ["alpha", "ОГЭ", "9", "Математика", "2019", "число участников", "человек", "3", "", "", "", ""]
MEAN_ROW = ["alpha", "ОГЭ", "9", "Математика", "2019", "средняя оценка", "оценка", SECRET, "", "prikaz-1", "", ""]


@pytest.fixture(scope="module")
def committed(tmp_path_factory):
    """A project whose base version (committed) holds the hidden mean and its count of 3."""
    import subprocess

    tables = base_tables()
    tables["results"][0]["value"] = SECRET
    header = HEADER.strip().split(",")
    tables["results"].append(dict(zip(header, COUNT_ROW)))
    project = write_project(tmp_path_factory.mktemp("fuzz-diff"), tables)
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=Тест", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "база"]):
        subprocess.run([*git, *args], cwd=project.root, check=True)
    return project.root


count_cells = st.sampled_from(["", "три", "3,0", "-1", "0", "alpah", "2O19", "число учасников", "чел", "скрыто", "\n", '"'])


@settings(max_examples=30, **BUDGET)
@given(
    broken=st.lists(st.tuples(st.integers(0, len(COUNT_ROW) + 1), count_cells), min_size=1, max_size=3),
    junk=st.lists(st.lists(cells, max_size=14).map(",".join), max_size=3),
)
def test_diff_of_a_broken_count_never_shows_what_it_guards(committed, tmp_path_factory, broken, junk):
    """The working copy's participant count broken in any cell (or cells added), random rows beside it: diff ends
    without a traceback or a hang, and while the working copy fails validation the guarded mean never shows."""
    import csv
    import io

    root = _fresh(committed, tmp_path_factory)
    count = list(COUNT_ROW)
    for at, cell in broken:
        count[at : at + 1] = [cell] if at < len(count) else [*count[at:], cell]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([MEAN_ROW, count])
    (root / "data" / "results.csv").write_text(HEADER + buf.getvalue() + "\n".join(junk), encoding="utf-8")
    code, out, err = _run(["diff", "--project", str(root), "--base", "HEAD"])
    assert code == 0, err
    if "Данные рабочей копии не проходят проверку" in out:
        assert SECRET not in out and SECRET.replace(".", ",") not in out, out

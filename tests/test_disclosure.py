"""Issue 21, item 6: a hidden value never leaves — not derivable from a published municipal figure and its count
(complementary suppression), not in the site or its downloads, not in diff even when a side is invalid; a public
repository holding hidden values is warned about; reserved ids are refused."""

from __future__ import annotations

import json
import subprocess

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import base_tables, write_project
from kachestvo import cli, protect
from kachestvo.validate import validate

MEAN, COUNT = "средняя оценка", "число участников"
THRESHOLD = 5


def _frame(schools: list[tuple[str, int, float]], total: tuple[int, float] | None) -> pd.DataFrame:
    rows, line = [], 2
    for school, n, mean in schools:
        for metric, value in ((COUNT, float(n)), (MEAN, mean)):
            rows.append(dict(school_id=school, municipality_id=None, metric=metric, value=value, _line=line))
            line += 1
    if total is not None:
        for metric, value in ((COUNT, float(total[0])), (MEAN, total[1])):
            rows.append(dict(school_id=None, municipality_id="test", metric=metric, value=value, _line=line))
            line += 1
    frame = pd.DataFrame(rows)
    return frame.assign(assessment="ОГЭ", grade="9", subject="Математика", year=2021, unit="оценка", value_missing=None)


def _derivable(out: pd.DataFrame) -> list[float]:
    """What anyone can work out from the published figures: the municipal sum minus the published schools gives the
    rest's count and mean; a rest smaller than the threshold is a disclosed small group."""
    shown = out[out["value"].notna()]
    total = shown[shown["school_id"].isna()]
    if len(total) < 2:
        return []
    n_total = total.loc[total["metric"] == COUNT, "value"].iloc[0]
    mean_total = total.loc[total["metric"] == MEAN, "value"].iloc[0]
    schools = shown[shown["school_id"].notna()].pivot(index="school_id", columns="metric", values="value").dropna()
    rest = n_total - schools.get(COUNT, pd.Series(dtype=float)).sum()
    if 0 < rest < THRESHOLD:
        return [(n_total * mean_total - (schools[COUNT] * schools[MEAN]).sum()) / rest]
    return []


schools_strategy = st.lists(
    st.tuples(st.integers(1, 40), st.floats(2, 5, allow_nan=False).map(lambda v: round(v, 2))), min_size=1, max_size=6
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(schools_strategy, st.integers(0, 8))
def test_no_hidden_group_can_be_derived_from_the_municipal_figure(members, outside):
    schools = [(f"s{i}", n, m) for i, (n, m) in enumerate(members)]
    n_total = sum(n for _, n, _ in schools) + outside  # `outside`: pupils of schools not on the site
    mean_total = round((sum(n * m for _, n, m in schools) + 3.0 * outside) / n_total, 4)
    out, _ = protect.suppress(_frame(schools, (n_total, mean_total)), THRESHOLD)
    assert _derivable(out) == []
    hidden = set(out.loc[out["value"].isna(), "school_id"].dropna())
    assert {s for s, n, _ in schools if n < THRESHOLD} <= hidden  # every small group stays hidden


def test_the_example_of_the_issue():
    """A district of two schools: alpha (3 pupils) is hidden; 20 × 3,9 − 17 × beta's mean would give it back."""
    out, lines = protect.suppress(_frame([("alpha", 3, 4.87), ("beta", 17, 3.7)], (20, 3.877)), THRESHOLD)
    assert set(out.loc[out["value"].isna(), "school_id"].dropna()) == {"alpha", "beta"}
    assert out.loc[out["school_id"].isna(), "value"].notna().all()  # the municipal figure itself stays published


def test_no_hiding_when_the_rest_is_large_enough():
    out, _ = protect.suppress(_frame([("alpha", 3, 4.87), ("beta", 17, 3.7)], (40, 3.8)), THRESHOLD)
    assert set(out.loc[out["value"].isna(), "school_id"].dropna()) == {"alpha"}


def _district(tables):
    """alpha: 3 pupils (hidden), beta: 17 pupils with mean 3.70, the district: 20 pupils, 3.88."""
    rows = tables["results"]
    base = dict(assessment="ОГЭ", grade="9", subject="Математика", year="2019", document_id="prikaz-1")
    rows[0]["value"] = "4.87"
    rows += [
        dict(base, school_id="alpha", metric=COUNT, unit="человек", value="3"),
        dict(base, school_id="beta", metric=COUNT, unit="человек", value="17"),
        dict(base, school_id="beta", metric=MEAN, unit="оценка", value="3.71"),
        dict(base, municipality_id="test", metric=COUNT, unit="человек", value="20"),
        dict(base, municipality_id="test", metric=MEAN, unit="оценка", value="3.88"),
    ]
    return tables


@pytest.fixture(scope="module")
def district_site(tmp_path_factory):
    from kachestvo.build import build

    project = write_project(tmp_path_factory.mktemp("district"), _district(base_tables()))
    build(project, log=lambda *_: None)
    return project


def test_complement_never_reaches_the_site_or_downloads(district_site):
    for path in district_site.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".csv", ".json", ".svg", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for hidden in ("4,87", "4.87", "3,71", "3.71"):
                assert hidden not in text, (path, hidden)
    from openpyxl import load_workbook

    [book] = list(district_site.site.rglob("*.xlsx"))  # the workbook download is zipped: read its cells
    cells = [str(c) for ws in load_workbook(book, read_only=True).worksheets for r in ws.iter_rows(values_only=True) for c in r]
    assert any("3.88" in c for c in cells) and not [c for c in cells if "4.87" in c or "3.71" in c]
    assert "3,88" in (district_site.site / "index.html").read_text(encoding="utf-8") or any(
        "3,88" in p.read_text(encoding="utf-8") for p in district_site.site.rglob("*.html")
    )


def test_methodology_page_states_the_rule(district_site):
    pages = "\n".join(p.read_text(encoding="utf-8") for p in district_site.site.rglob("*.html"))
    assert "можно вычислить" in pages


def _settings(project, **values):
    descriptor = json.loads(project.datapackage.read_text(encoding="utf-8"))
    descriptor["kachestvo"] = values
    project.datapackage.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def test_public_repository_with_hidden_values_warns(tmp_path):
    project = write_project(tmp_path, _district(base_tables()))
    _settings(project, repository_url="https://github.com/org/data")
    [warning] = [p for p in validate(project)[1] if p.code == "public-raw-data"]
    assert warning.severity == "warning" and "repository_private" in warning.message and "по сети" in warning.message
    _settings(project, repository_url="https://github.com/org/data", repository_private=True)
    assert not [p for p in validate(project)[1] if p.code == "public-raw-data"]
    _settings(project)
    assert not [p for p in validate(project)[1] if p.code == "public-raw-data"]


def test_diff_never_shows_a_hidden_value_when_the_count_is_invalid(tmp_path, capsys):
    tables = base_tables()
    tables["results"][0]["value"] = "4.87"
    tables["results"].append(
        dict(
            school_id="alpha",
            assessment="ОГЭ",
            grade="9",
            subject="Математика",
            year="2019",
            metric=COUNT,
            unit="человек",
            value="3",
        )
    )
    project = write_project(tmp_path, tables)
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=Тест", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "база"]):
        subprocess.run([*git, *args], cwd=project.root, check=True)
    tables["results"][0]["value"] = "4.93"
    tables["results"][-1]["value"] = "три"  # the count no longer reads: the new side is invalid
    write_project(tmp_path, tables)
    assert cli.main(["diff", "--project", str(project.root), "--base", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert "не проходят проверку" in out  # the new side is invalid and still compared
    assert "4,93" not in out and "4.93" not in out and "4,87" not in out


def test_reserved_document_id_is_refused(tmp_path):
    tables = base_tables()
    for row in tables["documents"] + tables["municipality"]:
        row["document_id"] = "index"
    tables["programmes"][0]["document_id"] = "index"
    project = write_project(tmp_path, tables)
    found = [(p.file, p.field, p.code) for p in validate(project)[1] if p.code == "reserved-id"]
    assert found == [("data/documents.csv", "document_id", "reserved-id")]


def _committed_small_group(tmp_path):
    """alpha's 2019 mean (4.87) is hidden: its count (3 pupils) is under the threshold. Committed as the base."""
    tables = base_tables()
    tables["results"][0]["value"] = "4.87"
    count = dict(school_id="alpha", assessment="ОГЭ", grade="9", subject="Математика", year="2019", metric=COUNT)
    tables["results"].append(dict(count, unit="человек", value="3"))
    project = write_project(tmp_path, tables)
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=Тест", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "база"]):
        subprocess.run([*git, *args], cwd=project.root, check=True)
    return project


@pytest.mark.parametrize(
    "old, new",
    [
        ("4.87,,prikaz-1,,", "4.93,,prikaz-1,,,лишняя"),  # an extra cell in the first data row (pandas took it for an index)
        ("Математика,2019,число участников", "Математика,2019,число учасников"),  # the count's metric misspelt
        (",человек,3,", ",человек,3,,,,,"),  # the count row with extra cells
        (",человек,3,", ",чел,3,"),  # the count's unit not in the list
        ("Математика,2019,число участников", "Математика,2O19,число участников"),  # the count's own key mistyped
        ("grade,subject,year,metric,unit,value,", "grade,subject,year,metric,unit,znachenie,"),  # the value's header
    ],
)
def test_diff_never_shows_a_hidden_value_when_the_working_copy_is_broken(tmp_path, capsys, old, new):
    project = _committed_small_group(tmp_path)
    path = project.data / "results.csv"
    text = path.read_text(encoding="utf-8").replace("4.87,", "4.93,")
    assert old.replace("4.87", "4.93") in text
    path.write_text(text.replace(old.replace("4.87", "4.93"), new), encoding="utf-8")
    assert cli.main(["diff", "--project", str(project.root), "--base", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert "не проходят проверку" in out
    assert "4,93" not in out and "4.93" not in out and "4,87" not in out and "4.87" not in out, out


def test_diff_never_shows_a_hidden_value_of_a_broken_base(tmp_path, capsys):
    """The base version's count has a mistyped year (it fails validation, so it never published anything); the working
    copy hides the value: the old value is not shown either."""
    project = _committed_small_group(tmp_path)
    path = project.data / "results.csv"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("Математика,2019,число участников", "Математика,2O19,число участников"), encoding="utf-8")
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=Тест", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "commit", "-qam", "сломанный год"], cwd=project.root, check=True)
    path.write_text(good, encoding="utf-8")
    assert cli.main(["diff", "--project", str(project.root), "--base", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert "Данные версии HEAD не проходят проверку" in out
    assert "4,87" not in out and "4.87" not in out, out

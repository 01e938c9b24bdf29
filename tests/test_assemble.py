"""Region assembly: two municipalities built separately, assembled under one root with a regional index."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from conftest import base_tables, copy_project, write_project
from kachestvo.build import build
from kachestvo.cli import main
from kachestvo.output.assemble import AssembleFailed, assemble


@pytest.mark.e2e
@pytest.mark.parametrize(
    "second, folder, name",
    [
        pytest.param("mini", "test/", "Тестовый район", id="a-small-project"),
        pytest.param("irbit", "irbitskoe-mo/", "Ирбитское муниципальное образование", id="irbit", marks=pytest.mark.slow),
    ],
)
def test_two_municipalities_built_separately_and_assembled(tmp_path, capsys, built, second, folder, name):
    """Котельниковский (built once per session) and a second municipality built on its own, as each matrix job does;
    the fast subset takes a small project as the second, the full suite the Ирбит example."""
    if second == "mini":
        other = write_project(tmp_path / "mini", base_tables())
    else:
        other = copy_project(second, tmp_path / second)
    build(other, log=lambda *_: None)
    projects = [built("kotelnikovsky"), other]
    out = tmp_path / "region"
    assert main(["assemble", "--out", str(out), *[str(p.root) for p in projects]]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', index)
    assert sorted(href for href, _ in links) == sorted([folder, "kotelnikovsky/"])  # municipality_id
    assert "Котельниковский муниципальный район" in index and name in index
    for href, _ in links:
        site = out / href
        assert (site / "index.html").exists()
        # every relative link of the municipality's home page resolves inside its own folder of the region
        page = (site / "index.html").read_text(encoding="utf-8")
        for link in re.findall(r'href="([^"#:?]+)"', page):
            target = (site / unquote(link)).resolve()
            assert target.is_relative_to(site.resolve()), link
            assert target.exists() or (target / "index.html").exists(), link


def test_unbuilt_project_is_refused(tmp_path):
    project = copy_project("irbit", tmp_path / "irbit")
    with pytest.raises(AssembleFailed, match="kachestvo build"):
        assemble([project], tmp_path / "region")
    assert not (tmp_path / "region").exists()


def test_the_index_marks_an_inferred_as_of_date(tmp_path):
    """An «as of» date the source does not state is marked on the region's index as on the municipality's own pages;
    a stated one stays plain."""
    projects = []
    for mid, inferred in (("stated", ""), ("guessed", "Дата в источнике не указана: самая поздняя дата мероприятий")):
        tables = base_tables()
        tables["municipality"][0].update(municipality_id=mid, name=f"Район {mid}", inferred=inferred)
        project = write_project(tmp_path / mid, tables)
        project.site.mkdir()
        (project.site / "index.html").write_text("<!doctype html><title>site</title>", encoding="utf-8")
        projects.append(project)
    assemble(projects, tmp_path / "region")
    index = (tmp_path / "region" / "index.html").read_text(encoding="utf-8")
    lines = {href: line for line in index.splitlines() for href in re.findall(r'<a href="([^"]+)"', line)}
    assert lines["stated/"].endswith("— данные по состоянию на 01.09.2021</li>")
    assert 'данные по состоянию на 01.09.2021 <span title="Дата в источнике не указана' in lines["guessed/"]
    assert "(по косвенным данным)</span></li>" in lines["guessed/"]

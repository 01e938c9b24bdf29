"""Region assembly: two municipalities built separately, assembled under one root with a regional index."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from conftest import copy_project
from kachestvo.build import build
from kachestvo.cli import main
from kachestvo.output.assemble import AssembleFailed, assemble


@pytest.mark.e2e
def test_two_municipalities_built_separately_and_assembled(tmp_path, capsys):
    projects = [copy_project(name, tmp_path / name) for name in ("kotelnikovsky", "irbit")]
    for project in projects:
        build(project, log=lambda *_: None)  # as each matrix job does, on its own
    out = tmp_path / "region"
    assert main(["assemble", "--out", str(out), *[str(p.root) for p in projects]]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', index)
    assert sorted(href for href, _ in links) == ["irbitskoe-mo/", "kotelnikovsky/"]  # municipality_id
    assert "Котельниковский муниципальный район" in index
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

"""MkDocs' future: the generated configuration is one that Zensical also builds (docs_dir and site_dir inside the
configuration's folder, relative; no external file in strict mode). There is no `--engine zensical`: see
docs/src/developers/zensical.md."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import copy_project
from kachestvo.build import build
from kachestvo.output.publish import GENERATED


@pytest.fixture(scope="module")
def own_copy(tmp_path_factory):
    """A build of its own: Zensical writes into the project's site/."""
    project = copy_project("kotelnikovsky", tmp_path_factory.mktemp("zensical"))
    build(project, log=lambda *_: None)
    return project


def test_generated_configuration_sits_in_the_project_with_relative_paths(built):
    project = built("kotelnikovsky")  # the session's build, only read
    generated = json.loads((project.root / GENERATED).read_text(encoding="utf-8"))
    assert (generated["INHERIT"], generated["docs_dir"], generated["site_dir"]) == ("mkdocs.yml", "build", "site")
    assert not list(project.root.glob(".site-new-*"))  # MkDocs built into a temporary folder, swapped into site/


@pytest.mark.skipif(shutil.which("zensical") is None, reason="Zensical is not installed")
def test_zensical_builds_the_generated_configuration_strictly(own_copy):
    done = subprocess.run(["zensical", "build", "-f", GENERATED], cwd=own_copy.root, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Школы" in (own_copy.site / "shkoly" / "index.html").read_text(encoding="utf-8")

"""The benchmark script runs end to end on a tiny region and prints the ratio lines (no timing is asserted)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.slow
@pytest.mark.e2e
def test_benchmark_prints_ratios_and_keeps_the_project(tmp_path):
    out = tmp_path / "region"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "benchmark.py"), "--schools", "3", "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    labels = (
        "ratio unchanged/bare",
        "ratio cold/bare",
        "ratio one-row/bare",
        "ratio validate/frictionless",
        "peak memory MB",
        "search first download MB",
    )
    for label in labels:
        assert re.search(rf"^{label}: \d+(\.\d+)?$", result.stdout, re.M), (label, result.stdout)
    assert (out / "site" / "index.html").exists() and (out / "data" / "datapackage.json").exists()
    assert "schools: 3;" in result.stdout

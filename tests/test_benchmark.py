"""The benchmark: it runs end to end on a tiny region, and its method holds (best of several runs, bare MkDocs
between the builds it is compared with, the check compares with the commands timed alone). No timing is asserted."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest

from conftest import ROOT


def _benchmark():
    spec = importlib.util.spec_from_file_location("benchmark", ROOT / "scripts" / "benchmark.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["benchmark"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.e2e
@pytest.mark.slow
def test_benchmark_prints_ratios_checks_them_and_keeps_the_project(tmp_path):
    out = tmp_path / "region"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "benchmark.py"), "--schools", "3", "--out", str(out), "--check"],
        capture_output=True,
        text=True,
    )
    labels = ("ratio unchanged/bare", "ratio cold/bare", "ratio one-row/bare", "ratio validate/frictionless", "peak memory MB")
    assert re.search(r"^search first download MB: \d+\.\d+$", result.stdout, re.M), result.stdout
    for label in labels + tuple("CPU " + label for label in labels[:4]):
        assert re.search(rf"^{label}: \d+(\.\d+)?$", result.stdout, re.M), (label, result.stdout, result.stderr)
    assert re.search(r"^machine: \d+ cores; load average \(1 min\) before: [\d.]+, after: [\d.]+$", result.stdout, re.M)
    for name in ("unchanged/bare", "one-row/bare", "validate/frictionless"):
        for kind in ("wall", "CPU"):
            assert re.search(rf"^check {kind} {name}: benchmark [\d.]+, timed alone [\d.]+, \d+% apart: ", result.stdout, re.M)
    assert re.search(
        r"^check: (every|NOT every) (CPU-time|wall-clock) .* ratio agrees within 15% \(or 0\.02\)$", result.stdout, re.M
    )
    assert result.returncode == (0 if "check: every" in result.stdout else 1)
    assert (out / "site" / "index.html").exists() and (out / "data" / "datapackage.json").exists()
    assert "schools: 3;" in result.stdout


def test_every_figure_is_the_best_of_several_runs_with_bare_mkdocs_between_the_builds(tmp_path, monkeypatch):
    bench = _benchmark()
    project = bench.synthesize(tmp_path / "p", 2)
    order, argv_of = [], bench.commands(project)
    label_of = {}

    def fake_run(argv, cwd):
        label = label_of.pop("next", "leave built")  # the last build, which leaves the project as an ordinary one
        order.append(label)
        assert argv == argv_of.get(label, argv_of[bench.UNCHANGED])
        seconds = {bench.BARE: 10.0, bench.FRICTIONLESS: 4.0}.get(label, 2.0) + len(order) / 100
        return bench.Timing(seconds, seconds / 2, 100.0, 0.5)

    def prepare(p, label, attempt):
        label_of["next"] = label
        if label == bench.BARE:
            (p.root / bench.GENERATED).write_text("{}", encoding="utf-8")

    monkeypatch.setattr(bench, "run", fake_run)
    monkeypatch.setattr(bench, "prepare", prepare)
    monkeypatch.setattr(bench, "change_one_result", lambda p: None)
    t = bench.measure(project, cold=True, repeats=3)
    assert order[-1] == "leave built" and all(len(t[label]) >= 3 for label in t)
    assert order[:6] == [bench.FRICTIONLESS, bench.VALIDATE] * 3  # validation alternates with its reference
    builds = order[6:]
    for i, label in enumerate(builds):
        if label in (bench.COLD, bench.UNCHANGED, bench.ONE_ROW):
            assert builds[i + 1] == bench.BARE  # bare MkDocs measured right after each build it is compared with
    assert bench.best(t[bench.BARE]).seconds == min(x.seconds for x in t[bench.BARE])
    r = bench.ratios(t)
    assert r["unchanged/bare"] == pytest.approx(
        min(x.seconds for x in t[bench.UNCHANGED]) / min(x.seconds for x in t[bench.BARE])
    )


def test_the_check_compares_with_the_commands_timed_alone_and_fails_beyond_15_percent(tmp_path, monkeypatch, capsys):
    bench = _benchmark()
    t = {
        label: [bench.Timing(s, s, 1, 0), bench.Timing(s * 1.5, s, 1, 0)]
        for label, s in {
            bench.BARE: 10.0,
            bench.UNCHANGED: 2.0,
            bench.ONE_ROW: 11.0,
            bench.FRICTIONLESS: 4.0,
            bench.VALIDATE: 3.0,
        }.items()
    }
    alone = {label: [(x.seconds, x.cpu) for x in runs] for label, runs in t.items()}
    monkeypatch.setattr(bench.os, "getloadavg", lambda: (0.1, 0.1, 0.1))  # an idle machine: wall clock decides
    monkeypatch.setattr(bench, "alone", lambda project, repeats: alone)
    assert bench.check(None, t, 2)
    assert "check wall unchanged/bare: benchmark 0.20, timed alone 0.20, 0% apart: agrees" in capsys.readouterr().out
    alone[bench.BARE] = [(7.0, 10.0)]  # bare MkDocs alone much faster: the benchmark's ratios are 30 % off
    assert not bench.check(None, t, 2)
    assert "DISAGREES" in capsys.readouterr().out
    alone[bench.BARE] = [(10.0, 10.0)]
    alone[bench.UNCHANGED] = [(1.5, 1.5)]  # 0.20 against 0.15: 33 % apart, and more than the floor of 0.02
    assert not bench.check(None, t, 2)
    alone[bench.UNCHANGED] = [(1.85, 1.85)]  # 0.20 against 0.185: 8 % apart
    assert bench.check(None, t, 2)
    monkeypatch.setattr(bench.os, "getloadavg", lambda: (50.0, 50.0, 50.0))  # busy: CPU time decides, and agrees
    assert bench.check(None, t, 2)


def test_a_builds_share_of_mkdocs_is_what_the_probe_recorded_and_ours_is_the_rest(capsys):
    bench = _benchmark()
    t = {
        bench.BARE: [bench.Timing(20.0, 20.0, 1, 0), bench.Timing(18.0, 18.0, 1, 0)],
        bench.ONE_ROW: [bench.Timing(30.0, 28.0, 1, 0, (19.0, 18.5)), bench.Timing(24.0, 23.0, 1, 0, (18.0, 17.5))],
    }
    bench.share(bench.ONE_ROW, t)
    out = capsys.readouterr().out
    # the best run (24 s) of which MkDocs took 18 s: ours is 6 s, a third of the best bare MkDocs build (18 s)
    expected = "one row changed: MkDocs inside the build 18.0 s (75% of 24.0 s; CPU 17.5 s), ours 6.0 s = 0.33 of bare MkDocs"
    assert out == expected + "\n"
    t[bench.ONE_ROW][1].mkdocs = (18.0, 17.5, 1990)
    bench.share(bench.ONE_ROW, t)
    assert capsys.readouterr().out == expected + "; MkDocs reused 1990 pages of the previous build\n"


@pytest.mark.slow
def test_the_probe_times_mkdocs_inside_a_real_build(tmp_path):
    bench = _benchmark()
    project = bench.synthesize(tmp_path / "p", 2)
    build = bench.run(bench.commands(project)[bench.COLD], project.root)
    assert (project.site / "index.html").exists()
    wall, cpu, reused = build.mkdocs
    assert 0 < wall < build.seconds and 0 < cpu <= build.cpu
    assert reused == 0  # a cold build: MkDocs had no earlier page to take
    again = bench.run(bench.commands(project)[bench.UNCHANGED], project.root)
    assert again.mkdocs is None  # the site in place is the same: nothing ran
    bench.change_one_result(project)
    changed = bench.run(bench.commands(project)[bench.ONE_ROW], project.root)
    pages = sum(1 for _ in project.site.rglob("*.html")) - 1  # 404.html is not a page
    assert 0 < changed.mkdocs[2] < pages

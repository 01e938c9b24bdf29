"""Benchmark: a synthetic region of N schools; the real commands timed in one run, reported as ratios.

    python scripts/benchmark.py --schools 2000 [--out DIR] [--repeats 2] [--check]
    python scripts/benchmark.py --schools 20000 --peak      # validate and the cold build once: time, peak memory
    python scripts/benchmark.py --region 50x40              # the region matrix: 50 municipalities of 40 schools

Each command runs in its own process (its peak memory is that process's ru_maxrss, its CPU time its own and its
children's): `kachestvo build` with an empty cache, again unchanged and after one changed result row, bare
`mkdocs build` of the same generated pages and configuration, `kachestvo validate` and `frictionless validate` of
the same package. Every figure is the best of `--repeats` runs (at least 2); bare MkDocs runs after each build it is
compared with, and validation alternates with frictionless, so a change in the machine's load reaches both sides.
The load average is printed: seconds depend on the machine and its load; the ratios within one run are what counts.
`--check` then times the same commands alone, by the shell's `time`, and says whether the ratios agree within 15 %.
This script is where speed claims live, not the tests.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kachestvo import schemas
from kachestvo.limits import Limits
from kachestvo.output import search
from kachestvo.output.publish import GENERATED
from kachestvo.paths import Project

ROOT = Path(__file__).resolve().parent.parent
RESULT_VALUE = schemas.field_names("results").index("value")  # synthetic result rows hold no quoted commas


def synthesize(root: Path, n: int, municipality: str = "bench") -> Project:
    rnd = random.Random(42)
    tables: dict[str, list[dict]] = {
        "documents": [dict(document_id="otchet", type="отчёт", issuer="Управление образования", title="Отчёт")],
        "municipality": [
            dict(
                municipality_id=municipality,
                name="Синтетический регион" if municipality == "bench" else f"Муниципалитет {municipality}",
                region="Тест",
                authority="Министерство образования",
                schools_total=str(n),
                as_of="2024-09-01",
            )
        ],
        "clusters": [dict(cluster_id=f"k{i}", name=f"Кластер {i}") for i in range(1, 4)],
        "schools": [],
        "results": [],
        "activities": [],
        "list_membership": [],
    }
    for i in range(n):
        sid = f"school-{i:05d}"
        tables["schools"].append(
            dict(
                school_id=sid, full_name=f"МБОУ «Школа № {i}»", short_name=f"Школа № {i}", level="СОШ", cluster_id=f"k{i % 3 + 1}"
            )
        )
        if i % 5 == 0:
            tables["list_membership"].append(dict(school_id=sid, list="региональный список ШНОР", year="2022", status="включена"))
        for assessment, grade, unit, lo, hi in (
            ("ВПР", "4", "оценка", 2.8, 4.6),
            ("ОГЭ", "9", "оценка", 2.8, 4.6),
            ("ЕГЭ", "11", "балл", 40, 80),
        ):
            for subject in ("Русский язык", "Математика"):
                for year in (2021, 2022, 2023):
                    metric = "средний балл" if unit == "балл" else "средняя оценка"
                    tables["results"].append(
                        dict(
                            school_id=sid,
                            assessment=assessment,
                            grade=grade,
                            subject=subject,
                            year=str(year),
                            metric=metric,
                            unit=unit,
                            value=f"{rnd.uniform(lo, hi):.2f}",
                            document_id="otchet",
                        )
                    )
        for k in range(3):
            tables["activities"].append(
                dict(
                    activity_id=f"{sid}-{k}",
                    school_id=sid,
                    level="школьный",
                    order=str(k + 1),
                    title=f"Мероприятие {k + 1}",
                    period="2023",
                    start_date="2023-01-01",
                    end_date="2023-12-31",
                    result="Проведено",
                )
            )
    data = root / "data"
    (data / "schemas").mkdir(parents=True)
    resources = []
    for name, rows in tables.items():
        with (data / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=schemas.field_names(name), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        (data / "schemas" / f"{name}.json").write_text(schemas.canonical_text(name), encoding="utf-8")
        resources.append({"name": name, "path": f"{name}.csv", "schema": f"schemas/{name}.json"})
    descriptor = {"name": municipality, "resources": resources}
    if len(tables["results"]) > Limits().rows:  # a region beyond the default limits raises them, as its staff would
        descriptor["kachestvo"] = {"max_rows": len(tables["results"]), "max_file_mb": 200}
    (data / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    shutil.copy(ROOT / "examples" / "irbit" / "mkdocs.yml", root / "mkdocs.yml")
    return Project.at(root)


@dataclass
class Timing:
    """One run of one command: wall seconds, CPU seconds (its own and its children's), peak resident MB, the
    machine's one-minute load average just before it started."""

    seconds: float
    cpu: float
    mb: float
    load: float
    mkdocs: tuple | None = None  # (wall s, CPU s, pages MkDocs reused or None) of MkDocs inside a build, when it ran


def run(argv: list[str], cwd: Path) -> Timing:
    """One command in a fresh process, timed by the benchmark (the check times the same argv another way)."""
    handle, name = tempfile.mkstemp(prefix="benchmark-", suffix=".jsonl")
    os.close(handle)
    record = Path(name)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "scripts"), os.environ.get("PYTHONPATH")])))
    env["BENCHMARK_RECORD"] = str(record)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode("utf-8", "replace")  # drained while it runs: a full pipe would stall it
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code != 0:
        sys.exit(f"{' '.join(argv)} failed ({code}):\n{err[-3000:]}")
    lines = record.read_text(encoding="utf-8").splitlines()
    record.unlink()
    mkdocs = tuple(json.loads(lines[-1])) if lines else None
    return Timing(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, load, mkdocs)  # ru_maxrss: KiB


def change_one_result(project: Project) -> None:
    """A staff member's small pull request: the value of the first result row changes (stays in 2.8–4.6)."""
    path = project.data / "results.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[1].split(",")
    value = cells[RESULT_VALUE]
    cells[RESULT_VALUE] = f"{float(value) + (0.01 if float(value) < 4.5 else -0.01):.2f}"
    lines[1] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")


def bare_config(project: Project) -> Path:
    """The configuration kachestvo generated for MkDocs, writing into site-bare/ instead of site/."""
    generated = json.loads((project.root / GENERATED).read_text(encoding="utf-8"))
    generated["site_dir"] = str(project.root / "site-bare")
    path = project.root / "mkdocs.bare.yml"
    path.write_text(json.dumps(generated, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def search_mb(site: Path) -> tuple[float, float]:
    """The search's first download (page list, scripts, the largest word file: kachestvo.output.search) and all
    of its files, in MB."""
    every = sum(p.stat().st_size for p in (site / "search").rglob("*.json"))
    return search.first_download(site) / 2**20, every / 2**20


# The figures: each command and what it is compared with. Bare MkDocs is measured between the builds.
BARE = "bare mkdocs build"
FRICTIONLESS = "frictionless validate"
VALIDATE = "kachestvo validate"
COLD = "kachestvo build, empty cache"
UNCHANGED = "kachestvo build, unchanged"
ONE_ROW = "kachestvo build, one row changed"
RATIOS = (  # (printed name, command, compared with)
    ("unchanged/bare", UNCHANGED, BARE),
    ("one-row/bare", ONE_ROW, BARE),
    ("cold/bare", COLD, BARE),
    ("validate/frictionless", VALIDATE, FRICTIONLESS),
)


# `kachestvo build` as the CLI runs it, with MkDocs' part (output.publish.mkdocs_build, the whole MkDocs build inside
# ours) timed: wall and CPU seconds appended as a JSON line to the file named by BENCHMARK_RECORD, if set.
PROBE = """
import json, os, sys, time
from kachestvo.output import publish
inner = publish.mkdocs_build
def timed(*args, **kwargs):
    wall, cpu, reused = time.perf_counter(), time.process_time(), None
    try:
        reused = inner(*args, **kwargs)
        return reused
    finally:
        record = os.environ.get("BENCHMARK_RECORD")
        if record:
            with open(record, "a", encoding="utf-8") as fh:
                fh.write(json.dumps([time.perf_counter() - wall, time.process_time() - cpu, reused]) + "\\n")
publish.mkdocs_build = timed
from kachestvo.cli import main
sys.exit(main(sys.argv[1:]))
"""


def commands(project: Project) -> dict[str, list[str]]:
    py, root = sys.executable, str(project.root)
    build = [py, "-c", PROBE, "build", "--project", root]
    return {
        FRICTIONLESS: [py, "-m", "frictionless", "validate", "data/datapackage.json"],
        VALIDATE: [py, "-m", "kachestvo.cli", "validate", "--project", root],
        COLD: build,
        UNCHANGED: build,
        ONE_ROW: build,
        BARE: [py, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.bare.yml"],
    }


def prepare(project: Project, label: str, attempt: int) -> None:
    """Bring the project to the state a command is timed in (the cache and site as the previous step left them)."""
    if label == COLD:
        for path in (project.cache, project.site, project.build):
            shutil.rmtree(path, ignore_errors=True)
    elif label == ONE_ROW:  # one result row of one school changed: its page and charts are made again, the rest reused
        change_one_result(project)
    elif label == BARE:
        bare_config(project)
        shutil.rmtree(project.root / "site-bare", ignore_errors=True)


def measure(project: Project, cold: bool = True, repeats: int = 2) -> dict[str, list[Timing]]:
    """Every command `repeats` times; validation alternates with frictionless, and every build with bare MkDocs
    (which needs a build's generated configuration, so it follows the first one)."""
    argv, out = commands(project), {}

    def timed(label: str, attempt: int) -> None:
        prepare(project, label, attempt)
        out.setdefault(label, []).append(run(argv[label], project.root))

    for attempt in range(repeats):
        timed(FRICTIONLESS, attempt)
        timed(VALIDATE, attempt)
    builds = ([COLD] if cold else []) + [UNCHANGED, ONE_ROW]
    if not cold and not (project.root / GENERATED).exists():
        builds.insert(0, UNCHANGED)  # --again on a project never built: the generated configuration comes first
    for label in builds:
        for attempt in range(repeats):
            timed(label, attempt)
            timed(BARE, attempt)
    if ONE_ROW in out:  # leave the project built and in place, as after an ordinary build
        run(argv[UNCHANGED], project.root)
    return out


def best(timings: list[Timing]) -> Timing:
    return min(timings, key=lambda t: t.seconds)


def ratios(t: dict[str, list[Timing]], cpu: bool = False) -> dict[str, float]:
    """Best of the command's runs over best of what it is compared with (wall seconds, or CPU seconds)."""
    pick = (lambda label: min(x.cpu for x in t[label])) if cpu else (lambda label: best(t[label]).seconds)
    return {name: pick(cmd) / pick(base) for name, cmd, base in RATIOS if cmd in t and base in t}


def alone(project: Project, repeats: int) -> dict[str, list[tuple[float, float]]]:
    """The check: the same commands, each timed by itself by the shell's `time` (its repeats one after another,
    nothing of the benchmark in between, each after its own preparation): (wall, CPU) seconds of each run. The cold
    build is left out (minutes each)."""
    argv, out = commands(project), {}
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "scripts"), os.environ.get("PYTHONPATH")])))
    for label in (FRICTIONLESS, VALIDATE, UNCHANGED, ONE_ROW, BARE):
        for attempt in range(repeats):
            prepare(project, label, attempt)
            line = "time -p " + " ".join(shlex.quote(a) for a in argv[label]) + " >/dev/null 2>&1"
            done = subprocess.run(["bash", "-c", line], cwd=project.root, env=env, capture_output=True, text=True, check=True)  # nosec
            real, user, sys_ = (float(re.search(rf"^{k} ([\d.]+)", done.stderr, re.M).group(1)) for k in ("real", "user", "sys"))
            out.setdefault(label, []).append((real, user + sys_))
    return out


def report(project: Project, schools: int, t: dict[str, list[Timing]], loads: tuple) -> None:
    rows = sum(len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in project.data.glob("*.csv"))
    pages = list(project.site.rglob("*.html"))
    size = sum(p.stat().st_size for p in pages) / max(1, len(pages))
    school_pages = [p for p in pages if "school-" in p.parent.name]
    school_size = sum(p.stat().st_size for p in school_pages) / max(1, len(school_pages))
    charts = len(list((project.cache / "charts").glob("*.svg"))) if (project.cache / "charts").exists() else 0
    print(f"schools: {schools}; CSV rows: {rows}; HTML pages: {len(pages)}; charts rendered: {charts}")
    print(f"machine: {os.cpu_count()} cores; load average (1 min) before: {loads[0]:.1f}, after: {loads[1]:.1f}")
    print(f"{'command':<34}{'runs, wall s':>20}{'best':>8}{'CPU s':>8}{'MB':>7}{'load':>6}")
    for label, runs in t.items():
        b = best(runs)
        each = " ".join(f"{r.seconds:.1f}" for r in runs)
        print(f"{label:<34}{each:>20}{b.seconds:8.1f}{min(r.cpu for r in runs):8.1f}{max(r.mb for r in runs):7.0f}{b.load:6.1f}")
    largest = max(pages, key=lambda p: p.stat().st_size)
    print(f"mean HTML page: {size / 1024:.0f} KB; mean school page: {school_size / 1024:.0f} KB")
    print(f"largest HTML page: {largest.relative_to(project.site)} {largest.stat().st_size / 1024:.0f} KB")
    first, every = search_mb(project.site)
    print(f"search first download MB: {first:.2f}")
    print(f"search files, all MB: {every:.1f}")
    cpu = ratios(t, cpu=True)
    for name, value in ratios(t).items():
        print(f"ratio {name}: {value:.2f}")
    for name, value in cpu.items():
        print(f"CPU ratio {name}: {value:.2f}")
    for label in (ONE_ROW, COLD):
        share(label, t)
    peak = max(max(r.mb for r in runs) for label, runs in t.items() if label.startswith("kachestvo build"))
    print(f"peak memory MB: {peak:.0f}")


def share(label: str, t: dict[str, list[Timing]]) -> None:
    """How much of a build (its best run) is MkDocs' own full build, and how much is ours: MkDocs cannot build part of
    a site, so its share is the floor under the build's ratio to bare MkDocs."""
    runs = [r for r in t.get(label, []) if r.mkdocs]
    if not runs or BARE not in t:
        return
    b = best(runs)
    bare = best(t[BARE]).seconds
    ours = b.seconds - b.mkdocs[0]
    name = label.removeprefix("kachestvo build, ")
    print(
        f"{name}: MkDocs inside the build {b.mkdocs[0]:.1f} s ({b.mkdocs[0] / b.seconds:.0%} of {b.seconds:.1f} s; "
        f"CPU {b.mkdocs[1]:.1f} s), ours {ours:.1f} s = {ours / bare:.2f} of bare MkDocs"
        + (f"; MkDocs reused {b.mkdocs[2]} pages of the previous build" if len(b.mkdocs) > 2 and b.mkdocs[2] is not None else "")
    )


# Ratios this close agree whatever their relative distance: at 0.04 (an 0.8 s no-op against an 18 s MkDocs build)
# 0.1 s of process start-up jitter alone is 15 %.
FLOOR = 0.02


def check(project: Project, t: dict[str, list[Timing]], repeats: int, tolerance: float = 0.15) -> bool:
    """Print each ratio beside the same ratio from the commands timed alone; True when all agree within tolerance.

    Wall-clock ratios are what the figures mean, but on a machine busier than its cores (load average above the
    number of cores) a process's wall time is mostly waiting for a core: then CPU-time ratios decide, and both are
    printed."""
    load = os.getloadavg()[0]
    times = alone(project, repeats)
    after = os.getloadavg()[0]
    busy = max(load, after) > (os.cpu_count() or 1)
    print(f"check: each command timed alone, best of {repeats}; load average (1 min) before: {load:.1f}, after: {after:.1f}")
    agree = True
    for cpu in (False, True):
        printed, kind = ratios(t, cpu=cpu), "CPU" if cpu else "wall"
        decides = cpu == busy
        for name, cmd, base in RATIOS:
            if name not in printed or cmd not in times:
                continue
            separate = min(x[cpu] for x in times[cmd]) / min(x[cpu] for x in times[base])
            off = abs(printed[name] - separate) / separate
            ok = off <= tolerance or abs(printed[name] - separate) <= FLOOR
            if decides:
                agree &= ok
            verdict = ("agrees" if ok else "DISAGREES") + ("" if decides else " (not deciding)")
            print(f"check {kind} {name}: benchmark {printed[name]:.2f}, timed alone {separate:.2f}, {off:.0%} apart: {verdict}")
    deciding = "CPU-time (machine busy)" if busy else "wall-clock (machine not busy)"
    print(f"check: {'every' if agree else 'NOT every'} {deciding} ratio agrees within {tolerance:.0%} (or {FLOOR})")
    return agree


def peak(project: Project) -> None:
    """A region too large to time every command twice (20,000 schools): `kachestvo validate` and the cold build once
    each, with their time and peak memory, and the search's first download."""
    argv = commands(project)
    print(f"machine: {os.cpu_count()} cores; load average (1 min) before: {os.getloadavg()[0]:.1f}")
    for label in (VALIDATE, COLD):
        prepare(project, label, 0)
        r = run(argv[label], project.root)
        inside = f"; MkDocs inside {r.mkdocs[0]:.1f} s" if r.mkdocs else ""
        print(f"{label}: {r.seconds:.1f} s, CPU {r.cpu:.1f} s, peak memory MB: {r.mb:.0f}, load {r.load:.1f}{inside}")
    rows = sum(len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in project.data.glob("*.csv"))
    pages = sum(1 for _ in project.site.rglob("*.html"))
    first, every = search_mb(project.site)
    print(f"CSV rows: {rows}; HTML pages: {pages}; search first download MB: {first:.2f}; search files, all MB: {every:.1f}")
    print(f"load average (1 min) after: {os.getloadavg()[0]:.1f}")


def region(root: Path, municipalities: int, schools: int, runners: int = 20) -> None:
    """The region matrix (`kachestvo init --regional`): one project per municipality under municipalities/, each built
    by its own CI job from an empty cache, then `kachestvo assemble` of them all. Prints each job's time, their sum
    (what the region's CI costs) and the slowest (what it waits for when every job has a runner), with `runners`
    concurrent jobs (GitHub's free plan: 20) the matrix's waves, and how assembling grows with the municipalities.
    The runners' own steps (checkout, pip install, artifacts) are not included."""
    py = sys.executable
    print(f"machine: {os.cpu_count()} cores; load average (1 min) before: {os.getloadavg()[0]:.1f}")
    folders = []
    for i in range(municipalities):
        folder = root / "municipalities" / f"m{i:03d}"
        synthesize(folder, schools, f"m{i:03d}")
        folders.append(folder)
    jobs, again = [], []
    for folder in folders:
        jobs.append(run([py, "-c", PROBE, "build", "--project", str(folder)], root))
    for folder in folders:  # the next push that changes nothing here: every job finds its restored cache and site
        again.append(run([py, "-c", PROBE, "build", "--project", str(folder)], root))
    total, slowest = sum(j.seconds for j in jobs), max(j.seconds for j in jobs)
    mkdocs = sum(j.mkdocs[0] for j in jobs if j.mkdocs)
    print(f"region {municipalities}x{schools}: {municipalities} build jobs, cold (empty cache)")
    cpu, mean = sum(j.cpu for j in jobs), total / len(jobs)
    print(f"jobs: sum {total:.1f} s, CPU {cpu:.1f} s; slowest {slowest:.1f} s; mean {mean:.1f} s")
    print(f"jobs: MkDocs inside them {mkdocs:.1f} s ({mkdocs / total:.0%}); peak memory MB: {max(j.mb for j in jobs):.0f}")
    unchanged, slowest_unchanged = sum(j.seconds for j in again), max(j.seconds for j in again)
    print(f"jobs unchanged (cache restored): sum {unchanged:.1f} s; slowest {slowest_unchanged:.1f} s")
    sizes = sorted({n for n in (1, municipalities // 4, municipalities // 2, municipalities) if n})
    for n in sizes:
        out = root / f"public-{n}"
        a = run([py, "-m", "kachestvo.cli", "assemble", "--out", str(out), *map(str, folders[:n])], root)
        print(f"assemble {n} municipalities: {a.seconds:.1f} s, CPU {a.cpu:.1f} s, peak memory MB: {a.mb:.0f}")
    waves = -(-municipalities // runners)
    print(
        f"region CI: sum {total + a.seconds:.1f} s; wall with a runner per job {slowest + a.seconds:.1f} s; "
        f"with {runners} concurrent jobs ≈ {waves} × slowest + assemble = {waves * slowest + a.seconds:.1f} s"
    )
    print(f"load average (1 min) after: {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--out", type=Path, help="keep the synthetic project in this (new or empty) folder")
    parser.add_argument(
        "--again", type=Path, help="time the project an earlier run kept (built, cache warm) again: all but the cold build"
    )
    parser.add_argument("--repeats", type=int, default=2, help="runs of each command (the best is the figure); at least 2")
    parser.add_argument(
        "--check", action="store_true", help="then time the same commands alone (shell `time`) and compare the ratios"
    )
    parser.add_argument(
        "--peak", action="store_true", help="only `kachestvo validate` and the cold build, once each: time and peak memory"
    )
    parser.add_argument("--region", metavar="MxS", help="the region matrix: M municipalities of S schools each (e.g. 50x40)")
    args = parser.parse_args()
    if args.region:
        m, _, n = args.region.partition("x")
        with tempfile.TemporaryDirectory() as tmp:
            region(args.out or Path(tmp), int(m), int(n))
        return
    if args.repeats < 2:
        parser.error("--repeats: at least 2 (every figure is the best of several runs)")
    tmp = None
    if args.again:
        root = args.again
        args.schools = sum(1 for _ in (root / "data" / "schools.csv").open(encoding="utf-8")) - 1
    elif args.out:
        if args.out.exists() and any(args.out.iterdir()):
            sys.exit(f"{args.out} is not empty")
        root = args.out
    else:
        tmp = tempfile.TemporaryDirectory()
        root = Path(tmp.name)
    try:
        project = Project.at(root) if args.again else synthesize(root, args.schools)
        if args.peak:
            peak(project)
            return
        before = os.getloadavg()[0]
        t = measure(project, cold=not args.again, repeats=args.repeats)
        report(project, args.schools, t, (before, os.getloadavg()[0]))
        if args.check and not check(project, t, args.repeats):
            sys.exit(1)
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()

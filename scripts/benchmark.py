"""Benchmark: a synthetic region of N schools; the real commands timed in one run, reported as ratios.

    python scripts/benchmark.py --schools 2000 [--out DIR]

Each command runs in its own process (its peak memory is that process's ru_maxrss): `kachestvo build` with an
empty cache, again unchanged and after one changed result row, bare `mkdocs build` of the same generated pages and configuration,
`kachestvo validate` and `frictionless validate` of the same package. Seconds depend on the machine and its
load; the ratios within one run are what counts. This script is where speed claims live, not the tests.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kachestvo import schemas
from kachestvo.output import search
from kachestvo.output.publish import GENERATED
from kachestvo.paths import Project

ROOT = Path(__file__).resolve().parent.parent
RESULT_VALUE = schemas.field_names("results").index("value")  # synthetic result rows hold no quoted commas


def synthesize(root: Path, n: int) -> Project:
    rnd = random.Random(42)
    tables: dict[str, list[dict]] = {
        "documents": [dict(document_id="otchet", type="отчёт", issuer="Управление образования", title="Отчёт")],
        "municipality": [
            dict(
                municipality_id="bench",
                name="Синтетический регион",
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
    (data / "datapackage.json").write_text(json.dumps({"name": "bench", "resources": resources}), encoding="utf-8")
    shutil.copy(ROOT / "examples" / "irbit" / "mkdocs.yml", root / "mkdocs.yml")
    return Project.at(root)


def run(argv: list[str], cwd: Path) -> tuple[float, float, int]:
    """(seconds, peak resident MB of the process, exit code) of one command in a fresh process."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "scripts"), os.environ.get("PYTHONPATH")])))
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({proc.returncode}):\n{err[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, proc.returncode  # Linux: ru_maxrss is in KiB


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


def measure(project: Project, cold: bool = True) -> dict[str, tuple[float, float]]:
    py, root = sys.executable, project.root
    build = [py, "-m", "kachestvo.cli", "build", "--project", str(root)]
    steps = [
        ("frictionless validate", [py, "-m", "frictionless", "validate", "data/datapackage.json"]),
        ("kachestvo validate", [py, "-m", "kachestvo.cli", "validate", "--project", str(root)]),
    ]
    if cold:
        shutil.rmtree(project.cache, ignore_errors=True)
        shutil.rmtree(project.site, ignore_errors=True)
        steps.append(("kachestvo build, empty cache", build))
    steps.append(("kachestvo build, unchanged", build))
    out = {}
    for label, argv in steps:
        seconds, mb, _ = run(argv, root)
        out[label] = (seconds, mb)
    if cold:  # one result row of one school changed: its page and charts are made again, the rest reused
        change_one_result(project)
        seconds, mb, _ = run(build, root)
        out["kachestvo build, one row changed"] = (seconds, mb)
    seconds, mb, _ = run([py, "-m", "mkdocs", "build", "-q", "-f", str(bare_config(project))], root)
    out["bare mkdocs build"] = (seconds, mb)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--out", type=Path, help="keep the synthetic project in this (new or empty) folder")
    parser.add_argument(
        "--again", type=Path, help="time the project an earlier run kept (built, cache warm) again: all but the cold build"
    )
    args = parser.parse_args()
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
        t = measure(project, cold=not args.again)
        rows = sum(len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in project.data.glob("*.csv"))
        pages = list(project.site.rglob("*.html"))
        size = sum(p.stat().st_size for p in pages) / max(1, len(pages))
        school_pages = [p for p in pages if "school-" in p.parent.name]
        school_size = sum(p.stat().st_size for p in school_pages) / max(1, len(school_pages))
        charts = len(list((project.cache / "charts").glob("*.svg"))) if (project.cache / "charts").exists() else 0
        print(f"schools: {args.schools}; CSV rows: {rows}; HTML pages: {len(pages)}; charts rendered: {charts}")
        for label, (seconds, mb) in t.items():
            print(f"{label:<32} {seconds:8.1f} s {mb:8.0f} MB")
        largest = max(pages, key=lambda p: p.stat().st_size)
        print(f"mean HTML page: {size / 1024:.0f} KB; mean school page: {school_size / 1024:.0f} KB")
        print(f"largest HTML page: {largest.stat().st_size / 1024:.0f} KB ({largest.relative_to(project.site)})")
        first, every = search_mb(project.site)
        print(f"search first download MB: {first:.2f}")
        print(f"search files, all MB: {every:.1f}")
        bare = t["bare mkdocs build"][0]
        print(f"ratio unchanged/bare: {t['kachestvo build, unchanged'][0] / bare:.2f}")
        if "kachestvo build, empty cache" in t:
            print(f"ratio cold/bare: {t['kachestvo build, empty cache'][0] / bare:.2f}")
            print(f"ratio one-row/bare: {t['kachestvo build, one row changed'][0] / bare:.2f}")
        print(f"ratio validate/frictionless: {t['kachestvo validate'][0] / t['frictionless validate'][0]:.2f}")
        peak = max(mb for label, (_, mb) in t.items() if label.startswith("kachestvo build"))
        print(f"peak memory MB: {peak:.0f}")
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()

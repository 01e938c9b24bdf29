"""Benchmark: a synthetic region of N schools, timed stage by stage (validate, pages, charts, MkDocs).

    python scripts/benchmark.py --schools 2000

Numbers depend on the machine; this script is where speed claims live, not the tests.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import tempfile
import time
from pathlib import Path

from kachestvo import schemas
from kachestvo.build import pages
from kachestvo.output import charts, stage
from kachestvo.output.publish import publish
from kachestvo.paths import Project
from kachestvo.validate import validate

ROOT = Path(__file__).resolve().parent.parent


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


def timed(label: str, fn, results: list):
    start = time.perf_counter()
    value = fn()
    results.append((label, time.perf_counter() - start))
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = synthesize(Path(tmp), args.schools)
        t: list[tuple[str, float]] = []
        ds, problems = timed("validate (frictionless + domain checks)", lambda: validate(project), t)
        assert not problems, problems[:5]
        site, ctx = timed("protect + generate Markdown", lambda: pages(project, ds), t)
        timed(
            f"charts, cold cache ({len(site.charts)} SVG)",
            lambda: site.assets.update(charts.render_all(site.charts, project.cache / "charts")),
            t,
        )
        timed("charts, warm cache", lambda: charts.render_all(site.charts, project.cache / "charts"), t)
        timed("stage build/", lambda: stage.stage(project, site.pages, site.assets, project.build), t)
        timed(
            f"mkdocs build --strict ({len(site.pages)} pages)",
            lambda: publish(project, site.nav, "Бенчмарк", "бенчмарк", None),
            t,
        )
        size = sum(p.stat().st_size for p in project.site.rglob("*.html")) / max(1, len(site.pages))
        print(f"Школ: {args.schools}; строк результатов: {args.schools * 18}")
        for label, seconds in t:
            print(f"{label:<45} {seconds:8.1f} с")
        print(f"{'средний размер HTML-страницы':<45} {size / 1024:8.0f} КБ")


if __name__ == "__main__":
    main()

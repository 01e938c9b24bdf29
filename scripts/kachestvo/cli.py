"""The `kachestvo` command: thin wrappers that turn library errors into messages for staff."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kachestvo.paths import Project


def _base(project: Project) -> str:
    """Prefix that makes project-relative paths relative to the current directory (for GitHub annotations)."""
    try:
        rel = project.root.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(project.root) + "/"
    return "" if rel == "." else rel + "/"


def cmd_validate(args) -> int:
    from kachestvo.validate import validate
    from kachestvo.validate.problems import FORMATS, format_summary

    project = Project.at(args.project)
    _, problems = validate(project)
    print(FORMATS[args.format](problems, _base(project)))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and summary:  # annotations stop at 10 per step; the job summary lists them all
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(format_summary(problems, _base(project)))
    return 1 if any(p.severity == "error" for p in problems) else 0


def cmd_import(args) -> int:
    from kachestvo.importer import ImportError_, import_file
    from kachestvo.validate import validate
    from kachestvo.validate.problems import format_text

    project = Project.at(args.project)
    try:
        summary = import_file(Path(args.file), args.table, project, sheet=args.sheet, remove_missing=args.remove_missing)
    except ImportError_ as exc:
        print(f"Ошибка: {exc}", file=sys.stderr)
        return 2
    print(summary.text())
    rel = f"data/{args.table}.csv"
    problems = [p.at_source(summary.cell(p.row, p.field)) for p in validate(project)[1] if p.file == rel]
    if problems:
        print(f"Таблица записана, но в ней есть ошибки — исправьте их в {summary.source} и импортируйте снова:")
        print(format_text(problems, _base(project)))
        return 1
    print("Таблица в порядке. Проверьте весь проект: «kachestvo validate».")
    return 0


def cmd_schemas(args) -> int:
    from kachestvo.output.stage import sync_schemas

    written = sync_schemas(Project.at(args.project))
    print(f"Схемы обновлены: {len(written)}." if written else "Схемы уже совпадают с каноническими.")
    return 0


def cmd_build(args) -> int:
    from kachestvo.build import BuildFailed, build

    try:
        build(Project.at(args.project), log=print)
    except BuildFailed as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


def cmd_serve(args) -> int:
    from kachestvo.serve import serve

    return serve(Project.at(args.project), args.dev_addr)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kachestvo", description="Публикация раздела «Повышение качества образования».")
    sub = p.add_subparsers(dest="command", required=True, metavar="КОМАНДА")

    def add(name, func, help_):
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.add_argument("--project", default=".", help="папка проекта (по умолчанию — текущая)")
        sp.set_defaults(func=func)
        return sp

    v = add("validate", cmd_validate, "проверить данные проекта")
    v.add_argument(
        "--format",
        choices=["text", "json", "github"],
        default="text",
        help="text — для людей, json — для программ, github — аннотации в pull request",
    )
    i = add(
        "import",
        cmd_import,
        "внести в CSV проекта изменения из таблицы Excel (.xlsx, CSV, «Текст Юникод»): строки сопоставляются по ключу",
    )
    i.add_argument("file", help="файл .xlsx, .csv или .txt")
    i.add_argument("--table", required=True, help="имя таблицы, например results")
    i.add_argument("--sheet", help="лист книги .xlsx (по умолчанию — лист с именем таблицы или её русским названием)")
    i.add_argument(
        "--remove-missing",
        action="store_true",
        help="удалить из таблицы строки, которых нет в файле (без этого ключа они остаются)",
    )
    add("schemas", cmd_schemas, "скопировать канонические схемы в data/schemas/")
    add("build", cmd_build, "проверить данные и собрать сайт в site/")
    s = add("serve", cmd_serve, "собрать сайт и открыть предпросмотр с автообновлением")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="адрес предпросмотра")
    return p


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

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
    from kachestvo.validate.problems import FORMATS

    project = Project.at(args.project)
    _, problems = validate(project, reference=args.reference)
    print(FORMATS[args.format](problems, _base(project)))
    return 1 if problems else 0


def cmd_import(args) -> int:
    from kachestvo.importer import ImportError_, import_file

    project = Project.at(args.project)
    try:
        target, rows = import_file(Path(args.file), args.table, project, sheet=args.sheet)
    except ImportError_ as exc:
        print(f"Ошибка: {exc}", file=sys.stderr)
        return 2
    print(f"Записано строк: {rows} → {project.relative(target)}. Теперь выполните «kachestvo validate».")
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


def cmd_assemble(args) -> int:
    from kachestvo.output.assemble import AssembleFailed, assemble

    try:
        found = assemble([Project.at(p) for p in args.projects], Path(args.out), args.title)
    except AssembleFailed as exc:
        print(f"Ошибка: {exc}", file=sys.stderr)
        return 1
    print(f"Сайт региона собран: {args.out} — муниципалитетов {len(found)}.")
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
    v.add_argument(
        "--reference",
        action="store_true",
        help="проверять ячейки самим frictionless (медленнее; для сверки, результат должен совпасть)",
    )
    i = add("import", cmd_import, "преобразовать таблицу из Excel (.xlsx или CSV из русского Excel) в CSV проекта")
    i.add_argument("file", help="файл .xlsx или .csv")
    i.add_argument("--table", required=True, help="имя таблицы, например results")
    i.add_argument("--sheet", help="лист книги .xlsx (по умолчанию первый)")
    add("schemas", cmd_schemas, "скопировать канонические схемы в data/schemas/")
    add("build", cmd_build, "проверить данные и собрать сайт в site/")
    a = sub.add_parser(
        "assemble",
        help="собрать сайты муниципалитетов (каждый уже собран «kachestvo build») под одним корнем со страницей региона",
    )
    a.add_argument("projects", nargs="+", metavar="ПРОЕКТ", help="папки собранных проектов муниципалитетов")
    a.add_argument("--out", required=True, help="папка сайта региона (заменяется целиком)")
    a.add_argument("--title", help="заголовок страницы региона")
    a.set_defaults(func=cmd_assemble)
    s = add("serve", cmd_serve, "собрать сайт и открыть предпросмотр с автообновлением")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="адрес предпросмотра")
    return p


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

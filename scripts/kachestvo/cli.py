"""The `kachestvo` command: thin wrappers that turn library errors into messages for staff."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from kachestvo import ci_log
from kachestvo.paths import Project


def _print(text: str = "", file=None) -> None:
    """Everything the commands print may reach a CI log: no line of it may start a workflow command (ci_log)."""
    print(ci_log.safe(str(text)), file=file or sys.stdout)


def _base(project: Project) -> str:
    """Prefix that makes project-relative paths relative to the current directory (for GitHub annotations)."""
    try:
        rel = project.root.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(project.root) + "/"
    return "" if rel == "." else rel + "/"


def cmd_validate(args) -> int:
    from kachestvo.validate import validate
    from kachestvo.validate.problems import FORMATS, errors, format_summary

    project = Project.at(args.project)
    _, problems = validate(project, reference=args.reference)
    report = FORMATS[args.format](problems, _base(project))
    if args.format == "github":
        print(report)  # workflow commands on purpose, each escaped by ci_log.command
    else:
        _print(report)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.format == "github" and summary:  # annotations stop at 10 per step; the job summary lists them all
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(format_summary(problems, _base(project)))
    return 1 if errors(problems) else 0


def cmd_import(args) -> int:
    from kachestvo.importer import ImportError_, import_file
    from kachestvo.validate import validate
    from kachestvo.validate.problems import errors, format_text

    project = Project.at(args.project)
    try:
        summary = import_file(Path(args.file), args.table, project, sheet=args.sheet, remove_missing=args.remove_missing)
    except ImportError_ as exc:
        name = Path(args.file).name  # every message names the file, whichever step refused it
        _print(f"Ошибка: {exc}" if name in str(exc) else f"Ошибка: {name}: {exc}", file=sys.stderr)
        return 2
    _print(summary.text())
    rel = f"data/{args.table}.csv"
    problems = [p.at_source(summary.cell(p.row, p.field)) for p in validate(project)[1] if p.file == rel]
    if errors(problems):
        _print(f"Таблица записана, но в ней есть ошибки — исправьте их в {summary.source} и импортируйте снова:")
        _print(format_text(problems, _base(project)))
        return 1
    if problems:
        _print("Таблица записана; есть предупреждения — проверьте их:")
        _print(format_text(problems, _base(project)))
    else:
        _print("Таблица в порядке.")
    _print("Проверьте весь проект: «kachestvo validate».")
    return 0


def cmd_schemas(args) -> int:
    from kachestvo.output.stage import sync_schemas

    written = sync_schemas(Project.at(args.project))
    _print(f"Схемы обновлены: {len(written)}." if written else "Схемы уже совпадают с каноническими.")
    return 0


def cmd_build(args) -> int:
    from kachestvo.build import BuildFailed, build

    try:
        build(Project.at(args.project), log=_print)
    except BuildFailed as exc:
        _print(str(exc), file=sys.stderr)
        return 1
    return 0


def cmd_init(args) -> int:
    from kachestvo.init import InitFailed, init

    target = Path(args.directory).resolve()
    fields = {"municipality_id": args.id, "name": args.name, "region": args.region, "authority": args.authority}
    try:
        init(target, fields if any(fields.values()) else None)
    except InitFailed as exc:
        _print(f"Ошибка: {exc}", file=sys.stderr)
        return 2
    _print(
        f"Проект создан: {target}. Дальше: заполните data/municipality.csv, documents.csv и schools.csv "
        f"(см. README.md в проекте), затем «kachestvo validate --project {args.directory}» и "
        f"«kachestvo build --project {args.directory}»."
    )
    return 0


def cmd_diff(args) -> int:
    from kachestvo.diff import DiffFailed, diff, format_markdown, format_text

    notes: list[str] = []
    try:
        changes = diff(Project.at(args.project), args.base, notes)
    except DiffFailed as exc:
        _print(f"Ошибка: {exc}", file=sys.stderr)
        return 2
    _print((format_markdown if args.format == "markdown" else format_text)(changes, args.base, notes))
    return 0


def cmd_changes(args) -> int:
    from kachestvo.review import ChangesFailed, changes, format_markdown, format_text

    try:
        found = changes(Project.at(args.project), args.base)
    except ChangesFailed as exc:
        _print(f"Ошибка: {exc}", file=sys.stderr)
        return 2
    _print((format_markdown if args.format == "markdown" else format_text)(found, args.base))
    return 0


def cmd_audit(args) -> int:
    from kachestvo.audit import AuditFailed, audit, format_text

    project = Project.at(args.project)
    try:
        report = audit(project)
    except AuditFailed as exc:
        _print(f"Ошибка: {exc}", file=sys.stderr)
        return 2
    _print(format_text(report, _base(project).rstrip("/") or "текущей папки"))
    return 1 if report.failed else 0


def cmd_assemble(args) -> int:
    from kachestvo.output.assemble import AssembleFailed, assemble

    try:
        found = assemble([Project.at(p) for p in args.projects], Path(args.out), args.title)
    except AssembleFailed as exc:
        _print(f"Ошибка: {exc}", file=sys.stderr)
        return 1
    _print(f"Сайт региона собран: {args.out} — муниципалитетов {len(found)}.")
    return 0


def cmd_serve(args) -> int:
    from kachestvo.serve import serve

    return serve(Project.at(args.project), args.dev_addr)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "Использование: " if prefix is None else prefix)


# argparse's own messages (English), retold in Russian; «%s» parts are kept
_ERRORS = [
    (re.compile(r"the following arguments are required: (.+)"), "не указаны обязательные параметры: {0}"),
    (
        re.compile(r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.+)\)"),
        "у параметра {0} недопустимое значение «{1}»; допустимо: {2}",
    ),
    (re.compile(r"argument (\S+): expected one argument"), "после параметра {0} нужно указать значение"),
    (re.compile(r"unrecognized arguments: (.+)"), "неизвестные параметры: {0}"),
    (re.compile(r"argument (\S+): invalid (\w+) value: '([^']*)'"), "у параметра {0} неверное значение «{2}»"),
]


class _Parser(argparse.ArgumentParser):
    """argparse with Russian usage, section titles, help and errors."""

    def __init__(self, *args, **kwargs):
        kwargs.update(add_help=False, formatter_class=_Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "аргументы"
        self._optionals.title = "параметры"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="показать эту справку и выйти")

    def error(self, message):
        for pattern, template in _ERRORS:
            m = pattern.fullmatch(message)
            if m:
                message = template.format(*m.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: ошибка: {message}\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kachestvo", description="Публикация раздела «Повышение качества образования».")
    sub = p.add_subparsers(dest="command", required=True, metavar="КОМАНДА", title="команды")

    def add(name, func, help_):
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.add_argument("--project", default=".", metavar="ПАПКА", help="папка проекта (по умолчанию — текущая)")
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
    i = add(
        "import",
        cmd_import,
        "внести в CSV проекта изменения из таблицы Excel (.xlsx, CSV, «Текст Юникод»): строки сопоставляются по ключу",
    )
    i.add_argument("file", metavar="ФАЙЛ", help="файл .xlsx, .csv или .txt")
    i.add_argument("--table", required=True, metavar="ТАБЛИЦА", help="имя таблицы, например results")
    i.add_argument(
        "--sheet", metavar="ЛИСТ", help="лист книги .xlsx (по умолчанию — лист с именем таблицы или её русским названием)"
    )
    i.add_argument(
        "--remove-missing",
        action="store_true",
        help="удалить из таблицы строки, которых нет в файле (без этого ключа они остаются)",
    )
    n = sub.add_parser(
        "init",
        help="создать проект нового муниципалитета",
        description="создать проект нового муниципалитета: данные, схемы, mkdocs.yml, workflows GitHub, README для сотрудников",
    )
    n.set_defaults(func=cmd_init)
    n.add_argument("directory", metavar="ПАПКА", help="новая или пустая папка проекта")
    n.add_argument("--id", metavar="ИДЕНТИФИКАТОР", help="идентификатор муниципалитета латиницей, например kotelnikovsky")
    n.add_argument("--name", metavar="НАЗВАНИЕ", help="название муниципалитета")
    n.add_argument("--region", metavar="РЕГИОН", help="регион")
    n.add_argument("--authority", metavar="ОРГАН", help="орган управления образованием")
    add("schemas", cmd_schemas, "скопировать канонические схемы в data/schemas/")
    add("build", cmd_build, "проверить данные и собрать сайт в site/")
    d = add("diff", cmd_diff, "показать, какие цифры и страницы сайта изменятся по сравнению с версией в git")
    d.add_argument("--base", required=True, help="версия git для сравнения: ветка, тег или коммит, например origin/main")
    d.add_argument(
        "--format", choices=["text", "markdown"], default="text", help="text — для терминала, markdown — для сводки pull request"
    )
    c = add("changes", cmd_changes, "показать, меняет ли pull request код и настройки сайта, а не только данные")
    c.add_argument("--base", required=True, help="версия git для сравнения: ветка, тег или коммит, например origin/main")
    c.add_argument(
        "--format", choices=["text", "markdown"], default="text", help="text — для терминала, markdown — для сводки pull request"
    )
    add(
        "audit",
        cmd_audit,
        "найти цифры без документа-источника, документы без файла или с неверной суммой и документы, на которые "
        "ничто не ссылается; код выхода 1, если у какой-либо цифры нет источника",
    )
    a = sub.add_parser(
        "assemble",
        help="собрать сайты муниципалитетов (каждый уже собран «kachestvo build») под одним корнем со страницей региона",
    )
    a.add_argument("projects", nargs="+", metavar="ПРОЕКТ", help="папки собранных проектов муниципалитетов")
    a.add_argument("--out", required=True, metavar="ПАПКА", help="папка сайта региона (заменяется целиком)")
    a.add_argument("--title", metavar="ЗАГОЛОВОК", help="заголовок страницы региона")
    a.set_defaults(func=cmd_assemble)
    s = add("serve", cmd_serve, "собрать сайт и открыть предпросмотр с автообновлением")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="АДРЕС:ПОРТ", help="адрес предпросмотра")
    return p


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

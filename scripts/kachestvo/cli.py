"""The `kachestvo` command: thin wrappers that turn library errors into messages for staff."""

from __future__ import annotations

import argparse
import codecs
import os
import re
import sys
from pathlib import Path

from kachestvo import ci_log
from kachestvo.paths import Project, shown

NOT_A_PROJECT = 3  # exit code: no project where the command looked


def _print(text: str = "", file=None) -> None:
    """Everything the commands print may reach a CI log: no line of it may start a workflow command (ci_log)."""
    print(ci_log.safe(str(text)), file=file or sys.stdout)


def _base(project: Project) -> str:
    """Prefix that makes project-relative paths relative to the current directory (for GitHub annotations)."""
    return project.prefix()


def _project(args) -> Project:
    """The project the command works on; exits with a message naming where it looked and what to run instead."""
    project = Project.at(args.project)
    if project.datapackage.exists():  # a folder in its place is the project's mistake: validation names it
        return project
    where = shown(project.root)
    lines = [f"Ошибка: в папке {where} нет проекта kachestvo: не найден файл {shown(project.datapackage)}."]
    up = next((p for p in project.root.parents if Project(p).datapackage.is_file()), None)
    if up is not None:
        lines.append(
            f"Эта папка — внутри проекта {shown(up)}. Запустите команду из его корня или укажите его: "
            f"«kachestvo {args.command} --project {_arg(up)}»."
        )
    else:
        lines.append(
            "Укажите папку проекта («--project ПАПКА») или создайте новый проект: "
            "«kachestvo init ПАПКА --id ИДЕНТИФИКАТОР --name НАЗВАНИЕ --region РЕГИОН --authority ОРГАН»."
        )
    _print("\n".join(lines), file=sys.stderr)
    raise SystemExit(NOT_A_PROJECT)


def _arg(path: Path) -> str:
    """A path as a command-line argument the user can paste (relative to the current folder where possible)."""
    text = shown(path)[1:-1]
    return f'"{text}"' if re.search(r"[\s\"'$`\\]", text) else text


def cmd_validate(args) -> int:
    from kachestvo.validate import validate
    from kachestvo.validate.problems import FORMATS, errors, format_summary

    project = _project(args)
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
    from kachestvo.importer import ImportFailed, commit, prepare, prepare_workbook

    project = _project(args)
    source = Path(args.file)
    try:
        if args.table is None:
            summaries = prepare_workbook(source, project, remove_missing=args.remove_missing)
        else:
            summaries = [prepare(source, args.table, project, sheet=args.sheet, remove_missing=args.remove_missing)]
        outcome = commit(project, summaries, yes=args.yes)
    except ImportFailed as exc:
        name = Path(args.file).name  # every message names the file, whichever step refused it
        _print(f"Ошибка: {exc}" if name in str(exc) else f"Ошибка: {name}: {exc}", file=sys.stderr)
        return 2
    if not outcome.written:
        _print(f"Ничего не записано: в {source.name} ошибки ({len(outcome.mistakes)}). Исправьте их все и импортируйте снова:")
        _print("\n".join(outcome.mistakes))
        if outcome.warnings:
            _print("Предупреждения:\n" + "\n".join(outcome.warnings))
        return 1
    for summary in summaries:
        _print(summary.text())
    if outcome.warnings:
        _print("Таблицы записаны; есть предупреждения — проверьте их:")
        _print("\n".join(outcome.warnings))
    else:
        _print("Таблицы в порядке." if len(summaries) > 1 else "Таблица в порядке.")
    _print("Проверьте весь проект: «kachestvo validate».")
    return 0


def cmd_schemas(args) -> int:
    from kachestvo.output.stage import sync_schemas

    written = sync_schemas(_project(args))
    _print(f"Схемы обновлены: {len(written)}." if written else "Схемы уже совпадают с каноническими.")
    return 0


def cmd_build(args) -> int:
    from kachestvo.build import BuildFailed, build

    try:
        build(_project(args), log=_print)  # warnings quote data: no line may start a workflow command
    except BuildFailed as exc:
        _print(str(exc), file=sys.stderr)
        return 1
    return 0


def cmd_init(args) -> int:
    from kachestvo.init import InitFailed, init, region_root

    target = Path(args.directory).resolve()
    fields = {"municipality_id": args.id, "name": args.name, "region": args.region, "authority": args.authority}
    try:
        init(
            target,
            fields if any(fields.values()) else None,
            site_url=args.site_url,
            repository=args.repository,
            regional=args.regional,
        )
    except InitFailed as exc:
        _print(f"Ошибка: {exc}", file=sys.stderr)
        return 2
    if args.regional:
        _print(
            f"Репозиторий региона создан: {shown(target)}. Дальше: проекты муниципалитетов — "
            f"«kachestvo init {_arg(target / 'municipalities' / 'ПАПКА')} --id …» (см. README.md в репозитории)."
        )
        return 0
    project = _arg(target)
    region = region_root(target)
    _print(
        f"Проект создан: {shown(target)}"
        + (f" (в репозитории региона {shown(region)})" if region else "")
        + f". Дальше: заполните {shown(target / 'data' / 'municipality.csv')}, documents.csv и schools.csv "
        f"(см. {shown(target / 'README.md')}), затем «kachestvo validate --project {project}» и "
        f"«kachestvo build --project {project}»."
    )
    return 0


def cmd_upgrade(args) -> int:
    from kachestvo.init import version
    from kachestvo.upgrade import UpgradeFailed, upgrade

    root = Project.at(args.project).root
    try:
        changes = upgrade(root)
    except UpgradeFailed as exc:
        _print(f"Ошибка: {exc}", file=sys.stderr)
        return 2
    _print(changes.text(root, version()))
    return 0


def cmd_diff(args) -> int:
    from kachestvo.diff import DiffFailed, format_markdown, format_text, report

    try:
        done = report(_project(args), args.base)
    except DiffFailed as exc:
        _print(f"Ошибка: {exc}", file=sys.stderr)
        return 2
    formatter = format_markdown if args.format == "markdown" else format_text
    _print(formatter(done.changes, args.base, done.notes, done.blocked))
    return 0


def cmd_changes(args) -> int:
    from kachestvo.review import ChangesFailed, changes, format_markdown, format_text

    try:
        found = changes(_project(args), args.base)
    except ChangesFailed as exc:
        _print(f"Ошибка: {exc}", file=sys.stderr)
        return 2
    _print((format_markdown if args.format == "markdown" else format_text)(found, args.base))
    return 0


def cmd_audit(args) -> int:
    from kachestvo.audit import AuditFailed, audit, format_text

    project = _project(args)
    try:
        report = audit(project)
    except AuditFailed as exc:
        _print(f"Ошибка: {exc}", file=sys.stderr)
        return 2
    _print(format_text(report, f"проекта {shown(project.root)}", strict=args.strict))
    return 1 if report.failed(strict=args.strict) else 0


def cmd_assemble(args) -> int:
    from kachestvo.output.assemble import AssembleFailed, assemble

    try:
        found = assemble([Project.at(p) for p in args.projects], Path(args.out), args.title)
    except AssembleFailed as exc:
        _print(f"Ошибка: {exc}", file=sys.stderr)
        return 1
    _print(f"Сайт региона собран: {shown(args.out)} — муниципалитетов {len(found)}.")
    return 0


def cmd_serve(args) -> int:
    from kachestvo.serve import serve

    return serve(_project(args), args.dev_addr)


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
        # argparse quotes a wrong value with repr(): under a C locale its non-ASCII bytes come out as «\udcd0»
        # escapes; turned back into the surrogates they stand for, the output stream writes the bytes as typed
        message = re.sub(r"\\udc[89a-f][0-9a-f]", lambda m: chr(int(m[0][2:], 16)), message)
        for pattern, template in _ERRORS:
            m = pattern.fullmatch(message)
            if m:
                message = template.format(*m.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: ошибка: {message}\n")


class _Version(argparse.Action):
    """--version: the installed version, looked up only when asked (the lookup imports packaging machinery that
    every other command would pay for)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from kachestvo.init import version

        _print(f"kachestvo {version()}")  # on stdout, as argparse's own version action prints
        parser.exit()


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kachestvo", description="Публикация раздела «Повышение качества образования».")
    p.add_argument("--version", action=_Version, help="показать версию и выйти")
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
    i.add_argument(
        "--table",
        metavar="ТАБЛИЦА",
        help="имя таблицы, например results; без него книга .xlsx импортируется целиком: каждый лист — в таблицу "
        "с его названием, все или ни одного",
    )
    i.add_argument(
        "--sheet", metavar="ЛИСТ", help="лист книги .xlsx (по умолчанию — лист с именем таблицы или её русским названием)"
    )
    i.add_argument(
        "--remove-missing",
        action="store_true",
        help="удалить из таблицы строки, которых нет в файле (без этого ключа они остаются); удаление больше "
        "3 строк или больше десятой части таблицы нужно подтвердить ключом --yes",
    )
    i.add_argument("--yes", action="store_true", help="подтвердить удаление, о котором предупредил --remove-missing")
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
    n.add_argument(
        "--site-url",
        metavar="АДРЕС",
        help="адрес опубликованного сайта, например https://организация.github.io/репозиторий/ "
        "(для карты сайта и страницы 404; по умолчанию — из --repository)",
    )
    n.add_argument(
        "--repository",
        metavar="АДРЕС",
        help="адрес репозитория на GitHub (https://github.com/организация/репозиторий): страницы ссылаются на "
        "историю данных в нём, адрес сайта на GitHub Pages выводится из него",
    )
    n.add_argument(
        "--regional",
        action="store_true",
        help="создать репозиторий региона: проекты муниципалитетов в municipalities/, сборка каждого отдельной "
        "задачей и общий сайт (kachestvo assemble)",
    )
    add(
        "upgrade",
        cmd_upgrade,
        "перевести проект на эту версию kachestvo: заменить tool/ (колесо и зависимости с хешами) и workflows "
        "GitHub и перечислить изменения",
    )
    add("schemas", cmd_schemas, "скопировать канонические схемы в data/schemas/")
    add("build", cmd_build, "проверить данные и собрать сайт в site/")
    d = add(
        "diff",
        cmd_diff,
        "показать, что изменится на сайте по сравнению с версией в git: строки каждой таблицы (было → стало), "
        "переименования, страницы, файлы content/ и настройки",
    )
    d.add_argument("--base", required=True, help="версия git для сравнения: ветка, тег или коммит, например origin/main")
    d.add_argument(
        "--format", choices=["text", "markdown"], default="text", help="text — для терминала, markdown — для сводки pull request"
    )
    c = add("changes", cmd_changes, "показать, меняет ли pull request код и настройки сайта, а не только данные")
    c.add_argument("--base", required=True, help="версия git для сравнения: ветка, тег или коммит, например origin/main")
    c.add_argument(
        "--format", choices=["text", "markdown"], default="text", help="text — для терминала, markdown — для сводки pull request"
    )
    au = add(
        "audit",
        cmd_audit,
        "проверить источники: у каждой цифры есть документ, каждая ссылка ведёт на документ из реестра, файлы "
        "документов на месте и совпадают с контрольными суммами; код выхода 1 при ошибке",
    )
    au.add_argument(
        "--strict",
        action="store_true",
        help="считать ошибками и предупреждения: расшифровку без оригинала, документ без оригинала и без адреса",
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


def _utf8_output() -> None:
    """Russian output under any locale (LC_ALL=C, PYTHONUTF8=0): the streams write UTF-8 whatever the terminal says.

    Under such a locale Python reads the command line and file names as ASCII, keeping every other byte as a
    surrogate escape: written back as those bytes, a Cyrillic argument or folder name shows as typed."""
    codecs.register_error("kachestvo-output", _output_error)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="kachestvo-output")


def _output_error(exc: UnicodeError) -> tuple[str | bytes, int]:
    """The original byte of a surrogate escape; anything else unencodable as a visible escape (never a traceback)."""
    try:
        return codecs.lookup_error("surrogateescape")(exc)
    except UnicodeError:
        return codecs.lookup_error("backslashreplace")(exc)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    _utf8_output()
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

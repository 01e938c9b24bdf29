"""The documentation pages made from the code: the CLI reference (argparse), the problem catalogue, the settings.

`python scripts/docs_reference.py` rewrites them in docs/src/reference/; `--check` only says which differ
(exit 1). tests/test_docs.py fails when a committed page differs from what the code makes now.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kachestvo.cli import parser
from kachestvo.config import OPTIONS
from kachestvo.validate.catalogue import markdown as catalogue_table

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "src" / "reference"
REGENERATE = "python scripts/docs_reference.py"
NOTICE = f"<!-- Создано из кода командой «{REGENERATE}»; не правьте вручную. -->\n\n"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no HTML, no emphasis, no cell breaks."""
    text = " ".join(str(text).split())
    for char, escaped in (("\\", "\\\\"), ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("*", "\\*")):
        text = text.replace(char, escaped)
    return text


def _sentence(text: str) -> str:
    """A help string as a sentence: a Cyrillic first letter capitalised (never a code word like «text»), a full stop."""
    text = " ".join(text.split())
    if text[:1].isalpha() and not text[:1].isascii():
        text = text[:1].upper() + text[1:]
    return text + ("" if text.endswith((".", "!", "?")) else ".")


def _subcommands(p: argparse.ArgumentParser) -> argparse._SubParsersAction:
    return next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))


def commands() -> dict[str, argparse.ArgumentParser]:
    """Every subcommand's parser, in the order `kachestvo --help` lists them."""
    return dict(_subcommands(parser()).choices)


def _arguments(p: argparse.ArgumentParser) -> list[argparse.Action]:
    return [
        a
        for a in p._actions
        if not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction)) and a.help != argparse.SUPPRESS
    ]


def _metavar(action: argparse.Action) -> str:
    if action.nargs == 0:
        return ""
    if action.metavar:
        name = action.metavar
    elif action.choices:
        name = "{" + ",".join(map(str, action.choices)) + "}"
    else:
        name = action.dest.upper()
    return f"{name} [{name} …]" if action.nargs in ("+", "*") else name


def _usage(name: str, p: argparse.ArgumentParser) -> str:
    parts = [f"kachestvo {name}".strip()]
    for a in _arguments(p):
        if not a.option_strings:
            parts.append(_metavar(a))
            continue
        text = " ".join(x for x in (a.option_strings[-1], _metavar(a)) if x)
        parts.append(text if a.required else f"[{text}]")
    return " ".join(parts)


def _argument_row(a: argparse.Action) -> str:
    name = " ".join(x for x in (", ".join(a.option_strings) or "", _metavar(a)) if x)
    notes = [_sentence(argparse.HelpFormatter("kachestvo")._expand_help(a) if a.help else "")]  # «%(default)s» and the like
    if a.option_strings and a.required:
        notes.append("Обязательный.")
    if a.choices:
        notes.append("Допустимо: " + ", ".join(f"`{c}`" for c in a.choices) + ".")
    said = "по умолчанию" in (a.help or "").lower()
    if a.option_strings and a.nargs != 0 and a.default not in (None, argparse.SUPPRESS) and not said:
        notes.append(f"По умолчанию: `{a.default}`.")
    return f"| `{_cell(name)}` | {_cell(' '.join(notes))} |"


def _arguments_table(p: argparse.ArgumentParser) -> list[str]:
    rows = [_argument_row(a) for a in _arguments(p)]
    return ["| Аргумент или параметр | Что задаёт |", "|---|---|", *rows] if rows else ["Параметров нет."]


def cli_page() -> str:
    top = parser()
    out = [
        NOTICE.rstrip("\n"),
        "",
        "# Команды",
        "",
        f"{_sentence(top.description or '')} Каждая команда печатает свою справку по `--help`, "
        "например `kachestvo validate --help`.",
        "",
        "| Команда | Что делает |",
        "|---|---|",
    ]
    helps = {c.dest: c.help for c in _subcommands(top)._choices_actions}
    for name in commands():
        out.append(f"| [`kachestvo {name}`](#kachestvo-{name}) | {_cell(_sentence(helps.get(name) or ''))} |")
    general = [a for a in _arguments(top) if a.option_strings]
    if general:
        out += ["", "## Общие параметры", "", "| Параметр | Что задаёт |", "|---|---|"]
        out += [_argument_row(a) for a in general]
    for name, p in commands().items():
        out += [
            "",
            f"## `kachestvo {name}` {{#kachestvo-{name}}}",
            "",
            _cell(_sentence(p.description or helps.get(name) or "")),
            "",
            "```text",
            _usage(name, p),
            "```",
            "",
            *_arguments_table(p),
        ]
    return "\n".join(out) + "\n"


def problems_page() -> str:
    return (
        NOTICE + "# Коды ошибок проверки\n\n"
        "Каждая ошибка и каждое предупреждение `kachestvo validate` имеет код: он виден в `--format json` и в заголовке "
        "пометки на GitHub. **Ошибка** останавливает сборку: пока она есть, опубликованный сайт не меняется. "
        "**Предупреждение** показывается, но сайт собирается. Ошибки с пометкой «проверка дальше не идёт» не дают "
        "прочитать таблицу, поэтому остальные проверки ждут их исправления.\n\n"
        "Таблица создана из каталога `scripts/kachestvo/validate/catalogue.py`.\n\n" + catalogue_table()
    )


def settings_page() -> str:
    rows = ["| Настройка | Что задаёт | По умолчанию |", "|---|---|---|"]
    for o in OPTIONS.values():
        default = "не задано" if o.default is None else f"`{o.default}`"
        limit = f" Не меньше {o.minimum}." if o.minimum is not None else ""
        rows.append(f"| `{o.name}` | {_cell(_sentence(o.description) + limit)} | {default} |")
    return (
        NOTICE + "# Настройки проекта\n\n"
        "Настройки kachestvo записываются в файл `data/datapackage.json`, в блок `kachestvo`, например "
        '`"kachestvo": {"min_group": 5}`. Неизвестная настройка или неверное значение — ошибка проверки '
        "`config-value` с объяснением по-русски.\n\n" + "\n".join(rows) + "\n"
    )


PAGES = {"cli.md": cli_page, "problems.md": problems_page, "settings.md": settings_page}


def stale() -> list[Path]:
    """Committed pages that differ from what the code makes now."""
    return [REFERENCE / name for name, make in PAGES.items() if _read(REFERENCE / name) != make()]


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only report pages that differ from the code (exit 1)")
    args = ap.parse_args(argv)
    if args.check:
        for path in stale():
            print(f"{path.relative_to(ROOT)}: устарела, обновите: {REGENERATE}")
        return 1 if stale() else 0
    REFERENCE.mkdir(parents=True, exist_ok=True)
    for name, make in PAGES.items():
        (REFERENCE / name).write_text(make(), encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

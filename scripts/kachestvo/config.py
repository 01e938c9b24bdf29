"""The `kachestvo` block of datapackage.json: the tool's settings for a project, with their schema and defaults.

A wrong value is a validation problem in Russian (never a traceback at build time); every reader of a
setting goes through `settings()`, which returns validated values with defaults filled in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kachestvo import limits

_LIMITS = limits.Limits()
_LIMIT_TEXT = {
    "file_mb": "предел размера файла данных, МБ",
    "rows": "предел числа строк в таблице",
    "columns": "предел числа столбцов в таблице",
    "cell_chars": "предел длины ячейки, символов",
    "xlsx_mb": "предел размера книги Excel после распаковки, МБ",
    "xlsx_cells": "предел числа ячеек листа Excel (по его объявленному размеру)",
    "descriptor_depth": "предел вложенности datapackage.json",
}

# Groups with fewer participants than this are not published: 5 follows the common statistical-disclosure rule
# (no cell under 5) and is small enough not to hide whole small rural schools' results by default.
DEFAULT_MIN_GROUP = 5
# A repository address: https only, no spaces, quotes or angle brackets (it becomes a link on every page).
HTTPS_URL = re.compile(r"^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~%/-]*)?$")


@dataclass(frozen=True)
class Option:
    name: str
    kind: type
    default: object
    minimum: int | None
    description: str


OPTIONS = {
    o.name: o
    for o in [
        Option(
            "min_group",
            int,
            DEFAULT_MIN_GROUP,
            1,
            "порог малых групп: результаты групп, где участников меньше этого числа, не публикуются",
        ),
        Option(
            "repository_url",
            str,
            None,
            None,
            "адрес репозитория проекта (https://…): страницы ссылаются на историю файлов данных в нём",
        ),
        Option(
            "repository_private",
            bool,
            False,
            None,
            "репозиторий с данными закрыт (private): скрытые на сайте значения в нём никто посторонний не видит",
        ),
        Option(
            "allow_raw_html",
            bool,
            False,
            None,
            "публиковать HTML из content/*.md как есть (без этого опасные теги и атрибуты удаляются)",
        ),
        Option(
            "allow_code",
            bool,
            False,
            None,
            "разрешить в mkdocs.yml хуки (hooks:) и теги !!python — код, который выполняется при сборке",
        ),
        *(
            Option(setting, int, getattr(_LIMITS, field), limits.MINIMUM, _LIMIT_TEXT[field])
            for field, setting in limits.SETTINGS.items()
        ),
    ]
}


def problems(descriptor: dict) -> list[tuple[str, str]]:
    """(setting, Russian message) for every wrong value of the block; empty when it is valid."""
    block = descriptor.get("kachestvo", {})
    if not isinstance(block, dict):
        return [("kachestvo", 'блок «kachestvo» должен быть объектом JSON вида {"min_group": 5}.')]
    out = []
    for key, value in block.items():
        option = OPTIONS.get(key)
        message = _unknown(key) if option is None else _wrong(option, value)
        if message:
            out.append((key, message))
    return out


def _unknown(key: str) -> str:
    known = ", ".join(f"«{k}»" for k in OPTIONS)
    return f"неизвестная настройка «{key}» в блоке «kachestvo». Допустимые: {known}."


def _wrong_int(o: Option, value) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return None
    return (
        f"настройка «{o.name}» ({o.description}) должна быть целым числом без кавычек, "
        f'например «"{o.name}": {o.default}», а не {_show(value)}.'
    )


def _wrong_bool(o: Option, value) -> str | None:
    if isinstance(value, bool):
        return None
    return f"настройка «{o.name}» ({o.description}) должна быть true или false, а не {_show(value)}."


def _wrong_url(o: Option, value) -> str | None:
    if isinstance(value, str) and HTTPS_URL.match(value):
        return None
    return (
        f"настройка «{o.name}» ({o.description}) должна быть адресом вида "
        f'«"{o.name}": "https://github.com/организация/репозиторий"», а не {_show(value)}.'
    )


_WRONG_KIND = {int: _wrong_int, bool: _wrong_bool, str: _wrong_url}  # an option's kind → what is wrong with a value


def _wrong(option: Option, value) -> str | None:
    """What is wrong with a value of a known setting: its kind, then its minimum; None when it is right."""
    message = _WRONG_KIND[option.kind](option, value)
    if message is None and option.minimum is not None and value < option.minimum:
        message = (
            f"настройка «{option.name}» ({option.description}) должна быть не меньше {option.minimum}, "
            f"а указано {value}. По умолчанию — {option.default}."
        )
    return message


def settings(descriptor: dict) -> dict:
    """Validated settings with defaults; call only on a descriptor without `problems`."""
    block = descriptor.get("kachestvo", {}) if isinstance(descriptor.get("kachestvo", {}), dict) else {}
    return {name: block.get(name, o.default) for name, o in OPTIONS.items()}


def _show(value) -> str:
    import json

    return f"«{json.dumps(value, ensure_ascii=False)}»"

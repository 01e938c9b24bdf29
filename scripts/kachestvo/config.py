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
        if option is None:
            known = ", ".join(f"«{k}»" for k in OPTIONS)
            out.append((key, f"неизвестная настройка «{key}» в блоке «kachestvo». Допустимые: {known}."))
        elif option.kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            out.append(
                (
                    key,
                    f"настройка «{key}» ({option.description}) должна быть целым числом без кавычек, "
                    f'например «"{key}": {option.default}», а не {_show(value)}.',
                )
            )
        elif option.kind is bool and not isinstance(value, bool):
            out.append((key, f"настройка «{key}» ({option.description}) должна быть true или false, а не {_show(value)}."))
        elif option.kind is str and not (isinstance(value, str) and HTTPS_URL.match(value)):
            out.append(
                (
                    key,
                    f"настройка «{key}» ({option.description}) должна быть адресом вида "
                    f'«"{key}": "https://github.com/организация/репозиторий"», а не {_show(value)}.',
                )
            )
        elif option.minimum is not None and value < option.minimum:
            out.append(
                (
                    key,
                    f"настройка «{key}» ({option.description}) должна быть не меньше {option.minimum}, "
                    f"а указано {value}. По умолчанию — {option.default}.",
                )
            )
    return out


def settings(descriptor: dict) -> dict:
    """Validated settings with defaults; call only on a descriptor without `problems`."""
    block = descriptor.get("kachestvo", {}) if isinstance(descriptor.get("kachestvo", {}), dict) else {}
    return {name: block.get(name, o.default) for name, o in OPTIONS.items()}


def _show(value) -> str:
    import json

    return f"«{json.dumps(value, ensure_ascii=False)}»"

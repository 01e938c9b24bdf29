"""The `kachestvo` block of datapackage.json (config.py): every wrong value gives its Russian message, word for word,
and a valid block gives none; the settings fill in the defaults."""

from __future__ import annotations

import pytest

from kachestvo import config

MIN_GROUP = "настройка «min_group» (порог малых групп: результаты групп, где участников меньше этого числа, не публикуются)"


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ({}, []),
        ({"min_group": 1, "allow_code": False, "repository_url": "https://github.com/org/repo", "max_rows": 1000}, []),
        ([1], [("kachestvo", 'блок «kachestvo» должен быть объектом JSON вида {"min_group": 5}.')]),
        (
            {"min_group": True},
            [("min_group", MIN_GROUP + ' должна быть целым числом без кавычек, например «"min_group": 5», а не «true».')],
        ),
        (
            {"min_group": "5"},
            [("min_group", MIN_GROUP + ' должна быть целым числом без кавычек, например «"min_group": 5», а не «"5"».')],
        ),
        ({"min_group": 0}, [("min_group", MIN_GROUP + " должна быть не меньше 1, а указано 0. По умолчанию — 5.")]),
        (
            {"allow_code": "да"},
            [
                (
                    "allow_code",
                    "настройка «allow_code» (разрешить в mkdocs.yml хуки (hooks:) и теги !!python — код, который "
                    'выполняется при сборке) должна быть true или false, а не «"да"».',
                )
            ],
        ),
        (
            {"repository_url": "http://a"},
            [
                (
                    "repository_url",
                    "настройка «repository_url» (адрес репозитория проекта (https://…): страницы ссылаются на историю "
                    'файлов данных в нём) должна быть адресом вида «"repository_url": '
                    '"https://github.com/организация/репозиторий"», а не «"http://a"».',
                )
            ],
        ),
    ],
)
def test_each_wrong_value_is_named_in_russian(block, expected):
    assert config.problems({"kachestvo": block}) == expected


def test_an_unknown_setting_lists_the_known_ones_and_every_problem_is_reported():
    found = config.problems({"kachestvo": {"private_data": True, "min_group": 0, "allow_raw_html": 1}})
    assert [key for key, _ in found] == ["private_data", "min_group", "allow_raw_html"]
    unknown = found[0][1]
    assert unknown.startswith("неизвестная настройка «private_data» в блоке «kachestvo». Допустимые: «min_group», ")
    assert all(f"«{name}»" in unknown for name in config.OPTIONS)


def test_every_limit_has_a_minimum_and_a_description():
    for name, option in config.OPTIONS.items():
        if option.minimum is None:
            continue
        [(key, message)] = config.problems({"kachestvo": {name: option.minimum - 1}})
        assert key == name and f"не меньше {option.minimum}, а указано {option.minimum - 1}" in message
        assert config.problems({"kachestvo": {name: option.minimum}}) == []


def test_settings_fill_in_defaults():
    got = config.settings({"kachestvo": {"min_group": 7}})
    assert got["min_group"] == 7 and got["repository_url"] is None and got["allow_code"] is False
    assert config.settings({})["min_group"] == config.DEFAULT_MIN_GROUP
    assert config.settings({"kachestvo": [1]}) == config.settings({})

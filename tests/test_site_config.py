"""What a project's mkdocs.yml may do (site_config.py): each refusal along an INHERIT chain, word for word, and what
passes. Building with such a configuration is tested in tests/test_trust_boundary.py."""

from __future__ import annotations

import pytest

from kachestvo import site_config

HOOKS = (
    "раздел «hooks:» подключает к сборке код на Python. Без явного разрешения сборка его не выполняет: уберите hooks "
    'или, если этот код проверен, добавьте «"allow_code": true» в блок «kachestvo» файла data/datapackage.json.'
)
ALLOWED = ", ".join(sorted(site_config.ALLOWED))


def _tag(name: str, line: int, tag: str) -> str:
    return (
        f"{name}, строка {line}: тег «!!python/{tag}» выполняет код на Python при чтении конфигурации. Допустимы только "
        f"{ALLOWED}; уберите тег или разрешите код настройкой «allow_code» в блоке «kachestvo»."
    )


FILES = {
    "self.yml": "INHERIT: self.yml\nsite_name: x\n",
    "loop_a.yml": "INHERIT: loop_b.yml\n",
    "loop_b.yml": "INHERIT: loop_a.yml\n",
    "bad.yml": "a: [1\n",
    "out.yml": "INHERIT: ../outside.yml\n",
    "missing.yml": "INHERIT: nothere.yml\n",
    "code.yml": "hooks:\n  - evil.py\nx: !!python/name:os.system\ny: !!python/name:pymdownx.slugs.slugify\n",
    "child.yml": "INHERIT: sub/parent.yml\nsite_name: x\n",
    "sub/parent.yml": "a: &n !!python/object/apply:os.system [ls]\nb: *n\n",
    "list.yml": "- 1\n- 2\n",
    "env.yml": "x: !ENV [HOME, 1]\ny: !relative $config_dir\n",
    **{f"c{i}.yml": f"INHERIT: c{i + 1}.yml\n" for i in range(12)},
    "c12.yml": "a: 1\n",
}


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    base = tmp_path_factory.mktemp("config")
    (base / "outside.yml").write_text("a: 1\n", encoding="utf-8")
    project = base / "project"
    for name, text in FILES.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    return project.resolve()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("self.yml", ["self.yml наследует (INHERIT) сам себя через self.yml. Уберите INHERIT."]),
        ("loop_a.yml", ["loop_a.yml наследует (INHERIT) сам себя через loop_a.yml → loop_b.yml. Уберите INHERIT."]),
        ("bad.yml", ["bad.yml не читается как YAML (while parsing a flow sequence). Исправьте отступы и кавычки."]),
        ("out.yml", ["out.yml наследует (INHERIT) файл вне проекта: «../outside.yml». Положите конфигурацию в проект."]),
        ("missing.yml", ["missing.yml наследует (INHERIT) «nothere.yml», но такого файла нет."]),
        ("code.yml", [f"code.yml: {HOOKS}", _tag("code.yml", 3, "name:os.system")]),
        ("child.yml", [_tag("sub/parent.yml", 1, "object/apply:os.system")]),  # an alias shares the node: said once
        ("c0.yml", ["цепочка INHERIT от c0.yml длиннее 10 файлов. Упростите конфигурацию."]),
        ("list.yml", []),
        ("env.yml", []),
        ("c3.yml", []),  # a chain of 10 files is allowed
    ],
)
def test_each_refusal_is_said_in_russian(root, name, expected):
    assert site_config.problems(root / name, root) == expected


def test_code_is_allowed_when_the_project_opts_in(root):
    assert site_config.problems(root / "code.yml", root, allow_code=True) == []
    assert site_config.problems(root / "child.yml", root, allow_code=True) == []
    # opting in to code does not open the project's boundary
    assert site_config.problems(root / "out.yml", root, allow_code=True) != []

"""`kachestvo upgrade` and `kachestvo init` refuse, before writing anything, what is not theirs to change: each
refusal word for word, and the folder left as it was."""

from __future__ import annotations

import pytest

from kachestvo import init as init_
from kachestvo.init import InitFailed, init
from kachestvo.paths import shown
from kachestvo.upgrade import UpgradeFailed, upgrade


def _tree(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def test_upgrade_refuses_a_folder_without_a_project(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UpgradeFailed) as exc:
        upgrade(tmp_path)
    where = shown(tmp_path / "data" / "datapackage.json")
    assert str(exc.value) == f"в {shown(tmp_path)} нет проекта kachestvo (нет файла {where})."
    assert _tree(tmp_path) == ["notes.txt"]


def test_upgrade_refuses_a_municipality_inside_a_region(tmp_path):
    (tmp_path / init_.REGION_MARK).parent.mkdir(parents=True)
    (tmp_path / init_.REGION_MARK).write_text("municipalities: []\n", encoding="utf-8")
    project = tmp_path / "municipalities" / "a"
    (project / "data").mkdir(parents=True)
    (project / "data" / "datapackage.json").write_text("{}", encoding="utf-8")
    before = _tree(tmp_path)
    with pytest.raises(UpgradeFailed) as exc:
        upgrade(project)
    assert str(exc.value) == f"проект лежит внутри репозитория региона {shown(tmp_path)}: выполните «kachestvo upgrade» в нём."
    assert _tree(tmp_path) == before


def test_init_refuses_a_taken_folder_and_a_plain_http_repository(tmp_path):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "x").write_text("x", encoding="utf-8")
    with pytest.raises(InitFailed) as exc:
        init(taken, git=False)
    assert str(exc.value) == f"папка {shown(taken)} уже существует и не пуста. Укажите новую или пустую папку."
    with pytest.raises(InitFailed) as exc:
        init(tmp_path / "new", repository="http://github.com/org/repo", git=False)
    expected = "адрес репозитория «http://github.com/org/repo» должен начинаться с https:// и не содержать пробелов."
    assert str(exc.value) == expected
    assert not (tmp_path / "new").exists() and _tree(taken) == ["x"]

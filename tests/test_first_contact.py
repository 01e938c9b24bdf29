"""First contact with the command: its version, where it looked for a project and what to run instead, paths
quoted and relative to where the user stands, Russian output under a C locale."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata

import pytest

from kachestvo.cli import NOT_A_PROJECT, main
from kachestvo.init import init


def _cli(args, cwd, **env):
    """The command in a child process (its own streams and locale), as a user runs it."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIOENCODING", "PYTHONUTF8"))}
    done = subprocess.run(
        [sys.executable, "-m", "kachestvo.cli", *args], cwd=cwd, env=base | env, capture_output=True, timeout=120
    )
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"kachestvo {metadata.version('kachestvo')}"


def test_in_an_empty_folder_the_message_says_where_it_looked_and_suggests_init(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for command in (["validate"], ["build"], ["audit"], ["diff", "--base", "main"], ["import", "x.xlsx", "--table", "results"]):
        with pytest.raises(SystemExit) as exc:
            main(command)
        assert exc.value.code == NOT_A_PROJECT
        err = capsys.readouterr().err
        assert "в папке «.» нет проекта kachestvo: не найден файл «data/datapackage.json»" in err, command
        assert "«kachestvo init ПАПКА" in err and "--project ПАПКА" in err


def test_inside_data_the_message_names_the_project_above(tmp_path, monkeypatch, capsys):
    init(tmp_path / "мой проект", git=False)
    monkeypatch.chdir(tmp_path / "мой проект" / "data")
    with pytest.raises(SystemExit):
        main(["validate"])
    err = capsys.readouterr().err
    assert "data/data/" not in err and "data/datapackage.json: нет файла" not in err
    assert "внутри проекта «..»" in err and "«kachestvo validate --project ..»" in err
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        main(["build", "--project", "мой проект/content"])
    assert '«kachestvo build --project "мой проект"»' in capsys.readouterr().err


def test_init_prints_quoted_paths_relative_to_the_user(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "новый район"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Проект создан: «новый район».")
    assert "«новый район/data/municipality.csv»" in out and '«kachestvo validate --project "новый район"»' in out
    assert str(tmp_path) not in out
    assert main(["init", "новый район"]) == 2
    assert "папка «новый район» уже существует и не пуста" in capsys.readouterr().err


@pytest.mark.e2e
def test_build_and_validate_name_paths_the_same_way_from_a_parent_folder(tmp_path, monkeypatch, capsys):
    init(tmp_path / "новый район", git=False)
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--project", "новый район"]) == 0
    assert "Сайт собран: «новый район/site»" in capsys.readouterr().out
    (tmp_path / "новый район" / "data" / "schools.csv").write_text("school_id\nx\n", encoding="utf-8")
    assert main(["validate", "--project", "новый район"]) == 1
    validated = capsys.readouterr().out
    assert main(["build", "--project", "новый район"]) == 1
    built = capsys.readouterr().err
    assert "новый район/data/schools.csv" in validated
    assert [line for line in validated.splitlines() if "schools.csv" in line][0] in built  # the same line, same path


def test_russian_output_and_argparse_errors_under_the_c_locale(tmp_path):
    c = {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    code, out, err = _cli(["validate"], tmp_path, **c)
    assert code == NOT_A_PROJECT and "нет проекта kachestvo" in err and "Traceback" not in err
    code, out, err = _cli(["validate", "--format", "таблица"], tmp_path, **c)
    assert code == 2 and "у параметра --format недопустимое значение «таблица»" in err and "\\u" not in err
    code, out, err = _cli(["--help"], tmp_path, **c)
    assert code == 0 and "команды" in out and "\\u" not in out
    code, out, err = _cli(["init", "проект"], tmp_path, **c)  # a Cyrillic folder name, read as bytes under C
    assert code == 0 and out.startswith("Проект создан: «проект».") and (tmp_path / "проект" / "data").is_dir()
    code, out, err = _cli(["validate", "--project", "проект"], tmp_path, **c)
    assert code == 0 and "Данные в порядке" in out


@pytest.mark.e2e
@pytest.mark.slow  # a whole build in a child process; the fast subset runs validate and init under the C locale
def test_build_under_the_c_locale(tmp_path):
    init(tmp_path / "проект", git=False)
    code, out, err = _cli(["build", "--project", "проект"], tmp_path, LC_ALL="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0")
    assert code == 0, err
    assert "Сайт собран: «проект/site»" in out and (tmp_path / "проект" / "site" / "index.html").is_file()

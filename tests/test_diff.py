"""`kachestvo diff`: published figures and pages that the working tree changes against a git revision."""

from __future__ import annotations

import subprocess

from conftest import base_tables, copy_project, write_project
from kachestvo.cli import main
from kachestvo.diff import Change, format_markdown


def _commit(root) -> None:
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    env = ["-c", "user.email=t@example.org", "-c", "user.name=Тест"]
    subprocess.run(["git", *env, "commit", "-qm", "данные"], cwd=root, check=True)


def _replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_changed_result_shows_school_year_and_both_values_as_on_the_site(tmp_path, capsys):
    project = copy_project("kotelnikovsky", tmp_path / "k")
    _commit(project.root)
    _replace(
        project.data / "results.csv",
        "Русский язык,2019,средняя оценка,оценка,3.58,",
        "Русский язык,2019,средняя оценка,оценка,3.7,",
    )
    assert main(["diff", "--base", "HEAD", "--project", str(project.root)]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "3,58" in line)
    assert "Красноярская СШ" in line and "2019" in line and "Русский язык" in line and "3,58 → 3,7" in line
    assert "1\u00a0изменение" in out


def test_suppressed_values_do_not_leak_and_pages_and_lists_are_reported(tmp_path, capsys):
    tables = base_tables()
    small = dict(tables["results"][-1], metric="число участников", unit="человек", value="3")
    tables["results"].append(small)
    project = write_project(tmp_path, tables)
    _commit(project.root)
    _replace(project.data / "results.csv", ",3.8,", ",4.1,")  # a hidden group's value: not published on either side
    with (project.data / "schools.csv").open("a", encoding="utf-8") as fh:
        fh.write("gamma,МБОУ «Гамма СОШ»,Гамма СОШ,,СОШ,,selo,,,\n")
    assert main(["diff", "--base", "HEAD", "--project", str(project.root)]) == 0
    out = capsys.readouterr().out
    assert "4,1" not in out and "3,8" not in out
    assert "добавлено: shkoly/gamma/" in out


def test_same_data_means_no_change_and_unknown_ref_is_an_error(tmp_path, capsys):
    project = write_project(tmp_path, base_tables())
    _commit(project.root)
    assert main(["diff", "--base", "HEAD", "--project", str(project.root)]) == 0
    assert "Сайт не изменится" in capsys.readouterr().out
    assert main(["diff", "--base", "нет-такой-ветки", "--project", str(project.root)]) == 2
    assert "не найдена" in capsys.readouterr().err
    assert main(["diff", "--base=--output=x", "--project", str(project.root)]) == 2
    assert "не может начинаться с «-»" in capsys.readouterr().err


def test_outside_git_is_an_error_in_russian(tmp_path, capsys):
    project = write_project(tmp_path, base_tables())
    assert main(["diff", "--base", "HEAD", "--project", str(project.root)]) == 2
    assert "git" in capsys.readouterr().err


def test_markdown_is_a_table_that_data_cannot_break():
    changes = [Change("Результаты", "Школа | <b>1</b>\nстрока", "3,58", "3,7"), Change("Страницы", "shkoly/x/", None, "есть")]
    md = format_markdown(changes, "origin/main")
    assert "| Школа \\| &lt;b&gt;1&lt;/b&gt; строка | 3,58 | 3,7 |" in md
    assert "- добавлено: `shkoly/x/`" in md


def test_invalid_base_is_compared_as_far_as_it_reads_and_said_so(tmp_path, capsys):
    tables = base_tables()
    tables["results"][0]["value"] = "3,5"  # a comma: a type error in the base version
    project = write_project(tmp_path, tables)
    _commit(project.root)
    _replace(project.data / "results.csv", ',"3,5",', ",3.5,")
    assert main(["diff", "--base", "HEAD", "--project", str(project.root), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "> Данные версии HEAD не проходят проверку (1\u00a0ошибка)" in out
    assert "| Альфа СОШ (alpha) · ОГЭ · 9 · Математика · 2019 · средняя оценка | нет значения | 3,5 |" in out

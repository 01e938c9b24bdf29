"""`kachestvo diff`: every table's changes in Russian words, renames as one line, hidden values never shown, safe output.

The metamorphic test (test_diff_metamorphic.py) checks that the diff is empty exactly when the generated site is
equal; these tests check what a reviewer reads for the cases staff reported."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import add_small_group, base_tables, copy_project, write_project
from kachestvo.cli import main
from kachestvo.compare import Change, Field
from kachestvo.diff import format_markdown, format_text


def _commit(root) -> None:
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    env = ["-c", "user.email=t@example.org", "-c", "user.name=Тест"]
    subprocess.run(["git", *env, "commit", "-qm", "данные"], cwd=root, check=True)


def _replace(path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count) if count else text.replace(old, new), encoding="utf-8")


def _diff(project, capsys, *extra) -> str:
    assert main(["diff", "--base", "HEAD", "--project", str(project.root), *extra]) == 0
    return capsys.readouterr().out


def _under(out: str, heading: str) -> list[str]:
    """The lines listed under the group heading that begins with `heading` (it goes on to name the page or sections)."""
    [block] = [b for b in out.split("\n\n") if b.startswith(heading)]
    first, *lines = block.splitlines()
    assert first.endswith(":")
    return lines


def test_changed_result_shows_school_year_and_both_values_as_on_the_site(tmp_path, capsys):
    project = copy_project("kotelnikovsky", tmp_path / "k")
    _commit(project.root)
    _replace(
        project.data / "results.csv",
        "Русский язык,2019,средняя оценка,оценка,3.58,",
        "Русский язык,2019,средняя оценка,оценка,3.7,",
    )
    out = _diff(project, capsys)
    [line] = _under(out, "Школа «Красноярская СШ» (krasnoyarskaya-sh)")
    assert "Русский язык · 2019 · средняя оценка" in line and "Значение: 3,58 → 3,7" in line
    assert "1\u00a0изменение" in out


def test_every_table_staff_reported_is_listed_with_field_titles_and_values(tmp_path, capsys):
    """A roadmap deadline, an activity period, a document's number and date, a school's full name: each listed."""
    project = copy_project("kotelnikovsky", tmp_path / "k")
    _commit(project.root)
    data = project.data
    _replace(data / "schools.csv", "МКОУ Нагольненская СШ", "МКОУ Нагольненская СОШ")
    _replace(data / "documents.csv", "protokol-2021-05-20,протокол,,2021-05-20", "protokol-2021-05-20,протокол,12,2021-05-21")
    _replace(data / "activities.csv", "2020 г 03.06.2021г.- 30.11.2021г.", "2020 г 03.06.2021г.- 30.12.2021г.")
    lines = (data / "roadmap.csv").read_text(encoding="utf-8").split("\n")
    lines[1] += "до 2022"  # the first item's «Сроки» (the last column) was empty
    (data / "roadmap.csv").write_text("\n".join(lines), encoding="utf-8")
    out = _diff(project, capsys)
    assert "Изменения на сайте относительно HEAD: 4\u00a0изменения." in out
    headings = [b.splitlines()[0] for b in out.split("\n\n")[1:]]
    assert "Дорожная карта (roadmap.csv), на сайте: «Программа» (programma/):" in headings
    assert "Школа «Красноярская СШ» (krasnoyarskaya-sh), страница shkoly/krasnoyarskaya-sh/:" in headings
    [doc] = _under(out, "Документы (documents.csv)")
    assert "protokol-2021-05-20" in doc and "Номер: пусто → «12»" in doc and "Дата: 20\u00a0мая 2021\u00a0г. → 21\u00a0мая" in doc
    [item] = _under(out, "Дорожная карта (roadmap.csv)")
    assert "plan-shnor-2021-2022-1-1" in item and "Сроки: пусто → «до 2022»" in item
    [activity] = _under(out, "Школа «Красноярская СШ» (krasnoyarskaya-sh)")
    assert "Мероприятия · krasnoyarskaya-sh-01" in activity and "30.11.2021г.» → «2020 г 03.06.2021г.- 30.12.2021г.»" in activity
    [school] = _under(out, "Школа «Нагольненская СШ» (nagolnenskaya-sh)")
    assert "Полное название: «МКОУ Нагольненская СШ» → «МКОУ Нагольненская СОШ»" in school


@pytest.mark.slow  # a diff of the Котельниковский example: two validations and generations
def test_a_fixed_short_name_is_one_change(tmp_path, capsys):
    project = copy_project("kotelnikovsky", tmp_path / "k")
    _commit(project.root)
    _replace(project.data / "schools.csv", ",Красноярская СШ,МКОУ", ",Красноярская СШ им. Героя,МКОУ")
    out = _diff(project, capsys)
    assert "1\u00a0изменение" in out
    [line] = _under(out, "Школа «Красноярская СШ им. Героя» (krasnoyarskaya-sh)")
    assert line == "  изменено: Школы · карточка школы — Краткое название: «Красноярская СШ» → «Красноярская СШ им. Героя»"


def test_a_school_id_renamed_everywhere_is_one_rename_naming_both_ids(tmp_path, capsys):
    project = copy_project("kotelnikovsky", tmp_path / "k")
    _commit(project.root)
    touched = 0
    for path in project.data.glob("*.csv"):  # the school's id in every table, not its activities' own ids
        text = path.read_text(encoding="utf-8")
        new = re.sub(r"\bnagolnenskaya-sh\b(?!-)", "nagolnenskaya", text)
        touched += new != text
        path.write_text(new, encoding="utf-8")
    assert touched >= 3
    out = _diff(project, capsys)
    assert "2\u00a0изменения" in out, out
    [line] = _under(out, "Школа «Нагольненская СШ» (nagolnenskaya)")
    assert "переименовано: Школы · идентификатор школы «nagolnenskaya-sh» → «nagolnenskaya»" in line
    assert "вместе со ссылками на него: 47\u00a0строк в других таблицах" in line
    pages = _under(out, "Страницы")
    assert pages[0] == "  новый адрес страницы: shkoly/nagolnenskaya-sh/ → shkoly/nagolnenskaya/"
    assert all(p.startswith("  изменится страница: ") for p in pages[1:])  # the pages that link to the school
    assert "удалено" not in out and "добавлено" not in out


@pytest.mark.slow  # a diff of the Котельниковский example: two validations and generations
def test_keys_renamed_alike_are_one_line(tmp_path, capsys):
    project = copy_project("kotelnikovsky", tmp_path / "k")
    _commit(project.root)
    _replace(project.data / "activities.csv", "nagolnenskaya-sh-", "nagolnenskaya-shkola-", count=0)
    out = _diff(project, capsys)
    assert "1\u00a0изменение" in out
    [line] = _under(out, "Школа «Нагольненская СШ» (nagolnenskaya-sh)")
    assert "24\u00a0идентификатора: «sh» заменено на «shkola»" in line
    assert "«nagolnenskaya-sh-01» → «nagolnenskaya-shkola-01»" in line


def test_added_removed_and_reordered_rows_and_a_rekeyed_row(tmp_path, capsys):
    tables = base_tables()
    tables["glossary"] = [dict(term="ОГЭ", meaning="основной государственный экзамен"), dict(term="ВПР", meaning="проверочные")]
    project = write_project(tmp_path, tables)
    _commit(project.root)
    data = project.data
    _replace(
        data / "glossary.csv",
        "ОГЭ,основной государственный экзамен,,,\nВПР,проверочные,,,\n",
        "ВПР,проверочные,,,\nОГЭ,основной государственный экзамен,,,\n",
    )
    _replace(data / "activities.csv", "alpha-01,", "alpha-02,")  # a rename of a key nothing refers to
    _replace(data / "results.csv", "Математика,2021,", "Математика,2022,")  # a row's key changed
    with (data / "schools.csv").open("a", encoding="utf-8") as fh:
        fh.write("gamma,МБОУ «Гамма СОШ»,Гамма СОШ,,СОШ,,selo,,,,\n")
    out = _diff(project, capsys)
    assert _under(out, "Термины и сокращения (glossary.csv)") == [
        "  изменён порядок: порядок строк изменился (так их покажет файл для скачивания)"
    ]
    assert "  переименовано: Мероприятия · идентификатор мероприятия «alpha-01» → «alpha-02» «Семинар»" in out
    line = "изменено: Результаты оценочных процедур · ОГЭ · 9 · Математика · 2021 · средняя оценка (ключ строки изменён)"
    assert f"{line} — Год: 2021 → 2022" in out
    assert _under(out, "Школа «Гамма СОШ» (gamma)")[0].startswith(
        "  добавлено: Школы · карточка школы — Полное название: «МБОУ «Гамма СОШ»»"
    )
    assert "добавлена страница: shkoly/gamma/" in out
    (data / "schools.csv").write_text(
        (data / "schools.csv").read_text(encoding="utf-8").replace("gamma,МБОУ «Гамма СОШ»,Гамма СОШ,,СОШ,,selo,,,,\n", ""),
        encoding="utf-8",
    )
    _replace(data / "glossary.csv", "ОГЭ,основной государственный экзамен,,,\n", "")
    out = _diff(project, capsys)
    assert "  удалено: ОГЭ" in _under(out, "Термины и сокращения (glossary.csv)")[0]


def test_suppressed_values_do_not_leak_and_show_as_hidden(tmp_path, capsys):
    tables = base_tables()
    add_small_group(tables)  # alpha 2019: 4,87 with 3 participants, hidden
    project = write_project(tmp_path, tables)
    _commit(project.root)
    _replace(project.data / "results.csv", ",4.87,", ",4.9,")  # a hidden value changed: not on the site either side
    assert "Сайт не изменится" in _diff(project, capsys)
    _replace(project.data / "results.csv", "число участников,человек,3,", "число участников,человек,30,")  # now published
    out = _diff(project, capsys)
    assert "4,87" not in out and "3\u00a0чел." not in out
    assert "средняя оценка — Значение: нет значения: скрыто → 4,9" in out
    assert "число участников — Значение: нет значения: скрыто → 30\u00a0чел." in out


def test_an_unreadable_participant_count_still_hides_the_values_it_guards(tmp_path, capsys):
    """The working copy is invalid (a count written «три»): the build would stop, and diff says so; the group's
    values stay «скрыто», since nothing shows the count is large enough."""
    tables = base_tables()
    add_small_group(tables)
    project = write_project(tmp_path, tables)
    _commit(project.root)
    _replace(project.data / "results.csv", "число участников,человек,3,", "число участников,человек,три,")
    _replace(project.data / "results.csv", ",4.87,", ',"4,9",')  # not a number either: still not shown
    out = _diff(project, capsys)
    assert "Данные рабочей копии не проходят проверку (2\u00a0ошибки): kachestvo build с ними остановится" in out
    assert "4,87" not in out and "4,9" not in out and "три" not in out
    # the other way round: the base is invalid, the working copy valid and the group small
    project = write_project(tmp_path / "b", tables)
    _replace(project.data / "results.csv", "число участников,человек,3,", "число участников,человек,три,")
    _commit(project.root)
    _replace(project.data / "results.csv", "число участников,человек,три,", "число участников,человек,3,")
    out = _diff(project, capsys)
    assert "Данные версии HEAD не проходят проверку" in out
    assert "4,87" not in out and "4,9" not in out


def test_settings_content_and_mkdocs_changes_are_listed(tmp_path, capsys):
    project = write_project(tmp_path, base_tables())
    _commit(project.root)
    descriptor = json.loads(project.datapackage.read_text(encoding="utf-8"))
    descriptor["kachestvo"] = {"min_group": 10}
    project.datapackage.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    (project.content / "documents" / "prikaz-1.txt").write_text("Приказ № 1 от 01.09.2021 (исправлено)\n", encoding="utf-8")
    (project.root / "mkdocs.yml").write_text(
        (project.root / "mkdocs.yml").read_text(encoding="utf-8") + "\n# c\n", encoding="utf-8"
    )
    out = _diff(project, capsys)
    assert _under(out, "Файлы сайта") == ["  изменён файл: content/documents/prikaz-1.txt", "  изменён файл: mkdocs.yml"]
    [setting] = _under(out, "Описание данных")
    assert setting.startswith("  изменено: настройка «min_group» (порог малых групп") and "Значение: нет → «10»" in setting


def test_same_data_means_no_change_and_unknown_ref_is_an_error(tmp_path, capsys):
    project = write_project(tmp_path, base_tables())
    _commit(project.root)
    assert "Сайт не изменится" in _diff(project, capsys)
    assert main(["diff", "--base", "нет-такой-ветки", "--project", str(project.root)]) == 2
    assert "не найдена" in capsys.readouterr().err
    assert main(["diff", "--base=--output=x", "--project", str(project.root)]) == 2
    assert "не может начинаться с «-»" in capsys.readouterr().err


def test_outside_git_is_an_error_in_russian(tmp_path, capsys):
    project = write_project(tmp_path, base_tables())
    assert main(["diff", "--base", "HEAD", "--project", str(project.root)]) == 2
    assert "git" in capsys.readouterr().err


def test_no_line_from_data_starts_a_workflow_command(tmp_path, capsys):
    project = write_project(tmp_path, base_tables())
    _commit(project.root)
    _replace(project.data / "activities.csv", ",Проведён", ',"Проведён\n::error::подделка\n::add-mask::x"')
    _replace(project.data / "schools.csv", "Альфа СОШ,", '"::warning::Альфа\nСОШ",')
    for fmt in ("text", "markdown"):
        out = _diff(project, capsys, "--format", fmt)
        assert "подделка" in out and "::warning::Альфа" in out
        assert not [line for line in out.splitlines() if line.lstrip().startswith("::")], out
    assert not [line for line in format_text([Change("changed", "::x", "::y")], "HEAD").splitlines() if line.startswith("::")]


def test_markdown_is_a_table_that_data_cannot_break():
    changes = [
        Change("changed", "Школа «x»", "Школа | <b>1</b>\nстрока", "Результаты", (Field("Значение", "3,58", "3,7"),)),
        Change("page-added", "Страницы", "shkoly/x/"),
    ]
    md = format_markdown(changes, "origin/main")
    assert "| изменено: Результаты · Школа \\| &lt;b&gt;1&lt;/b&gt; ↵ строка · Значение | 3,58 | 3,7 |" in md
    assert "- добавлена страница: `shkoly/x/`" in md


def test_invalid_base_is_compared_as_far_as_it_reads_and_said_so(tmp_path, capsys):
    tables = base_tables()
    tables["results"][0]["value"] = "3,5"  # a comma: a type error in the base version
    project = write_project(tmp_path, tables)
    _commit(project.root)
    _replace(project.data / "results.csv", ',"3,5",', ",3.5,")
    out = _diff(project, capsys, "--format", "markdown")
    assert "> Данные версии HEAD не проходят проверку (1\u00a0ошибка)" in out
    row = "| изменено: Результаты оценочных процедур · ОГЭ · 9 · Математика · 2019 · средняя оценка · Значение"
    assert f"{row} | «3,5» (не число) | 3,5 |" in out


def test_a_long_markdown_list_is_cut_within_the_job_summary_limit():
    changes = [Change("changed", "Школа «x»", f"строка {i}", "Результаты", (Field("Значение", "1", "2"),)) for i in range(1005)]
    md = format_markdown(changes, "origin/main")
    assert "строка 999 " in md and "строка 1000 " not in md
    assert "И ещё 5\u00a0изменений: полный список покажет «kachestvo diff --base origin/main»" in md
    assert len(md.encode("utf-8")) < 1024 * 1024


def test_an_invalid_working_copy_is_not_called_a_change_of_the_site(tmp_path, capsys):
    project = write_project(tmp_path, base_tables())
    _commit(project.root)
    _replace(project.data / "activities.csv", ",Семинар,", ",Семинар-практикум,")
    _replace(project.data / "results.csv", ",3.8,", ',"3,8",')  # a comma: the build would stop
    out = _diff(project, capsys)
    assert out.startswith("Данные рабочей копии не проходят проверку (1\u00a0ошибка): kachestvo build с ними остановится")
    assert "Отличия от версии HEAD, которые попадут на сайт, когда данные пройдут проверку: 2\u00a0изменения." in out
    assert "Изменения на сайте" not in out
    assert "Мероприятие / форма проведения: «Семинар» → «Семинар-практикум»" in out
    assert "Значение: 3,8 → «3,8» (не число)" in out
    assert "### Отличия данных от `HEAD`" in _diff(project, capsys, "--format", "markdown")


def _csv(rows: list[list[str]], quote_all: bool = False, terminator: str = "\n") -> str:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=terminator, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return buf.getvalue()


_cells = st.text(alphabet='аб ,"\n:x1.', max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["ОГЭ", "ВПР", "ЕГЭ", "ГИА", "НОКО"]), _cells, _cells), max_size=5, unique_by=lambda r: r[0]
    ),
    edits=st.lists(
        st.tuples(st.sampled_from(["cell", "add", "remove", "swap", "quote", "crlf"]), st.integers(0, 9), _cells), max_size=3
    ),
)
def test_compare_is_empty_exactly_when_the_published_bytes_are_equal(rows, edits):
    """The download is the protected CSV text itself: any difference of its bytes is listed, and no other."""
    from kachestvo.compare import compare

    header = ["term", "meaning", "explanation", "document_id", "note"]
    old_rows = [[t, m, e, "", ""] for t, m, e in rows]
    new_rows = [list(r) for r in old_rows]
    quote_all, terminator = False, "\n"
    for kind, i, value in edits:
        if kind == "cell" and new_rows:
            new_rows[i % len(new_rows)][1 + i % 4] = value
        elif kind == "add" and f"T{i}" not in [r[0] for r in new_rows]:
            new_rows.append([f"T{i}", value, "", "", ""])
        elif kind == "remove" and new_rows:
            new_rows.pop(i % len(new_rows))
        elif kind == "swap" and len(new_rows) > 1:
            new_rows[0], new_rows[-1] = new_rows[-1], new_rows[0]
        elif kind == "quote":
            quote_all = True
        elif kind == "crlf":
            terminator = "\r\n"
    old, new = _csv([header, *old_rows]), _csv([header, *new_rows], quote_all, terminator)
    listed = compare({"glossary": old}, {"glossary": new})
    assert (listed == []) == (old == new), (old, new, listed)
    assert not [c for c in listed if "\n" in c.label + c.group or any("\n" in f.old + f.new for f in c.fields)]


@pytest.mark.slow  # a diff of the Котельниковский example: two validations and generations
def test_a_school_replaced_by_another_is_not_called_a_rename(tmp_path, capsys):
    project = copy_project("kotelnikovsky", tmp_path / "k")
    _commit(project.root)
    new = "nagolnenskaya-sh,МКОУ Нагольненская СШ,Нагольненская СШ,МКОУ,СОШ,,,,http://nagolnschool34.ucoz.ru,"
    schools = (project.data / "schools.csv").read_text(encoding="utf-8")
    line = next(x for x in schools.splitlines() if x.startswith(new))
    schools = schools.replace(line, "novaya-sh,МБОУ «Новая школа»,Новая школа,МБОУ,ООШ,,,с. Новое,,")
    (project.data / "schools.csv").write_text(schools, encoding="utf-8")
    for name in ("results.csv", "list_membership.csv", "activities.csv"):
        path = project.data / name
        path.write_text(re.sub(r"\bnagolnenskaya-sh\b(?!-)", "novaya-sh", path.read_text(encoding="utf-8")), encoding="utf-8")
    out = _diff(project, capsys)
    assert "переименовано: Школы" not in out
    assert "  удалено: Школы · карточка школы" in _under(out, "Школа «Нагольненская СШ» (nagolnenskaya-sh)")
    assert _under(out, "Школа «Новая школа» (novaya-sh)")[0].startswith("  добавлено: Школы · карточка школы")


def test_every_page_a_changed_result_reaches_is_named_as_the_build_makes_them(tmp_path, capsys):
    """One result value edited: the diff names exactly the generated pages whose text differs between the two
    versions, as the build itself generates them (not only the school's own page)."""
    from kachestvo.build import generate_site
    from kachestvo.diff import url
    from kachestvo.validate import validate

    project = copy_project("kotelnikovsky", tmp_path / "k")
    _commit(project.root)
    before = generate_site(project, validate(project)[0])[0].pages
    _replace(project.data / "results.csv", ",оценка,3.33,,", ",оценка,3.5,,")
    after = generate_site(project, validate(project)[0])[0].pages
    differ = {url(p) for p in before if before[p] != after.get(p)}
    assert "shkoly/krasnoyarskaya-sh/" in differ and "rezultaty/" in differ
    named = {line.split(": ", 1)[1] for line in _under(_diff(project, capsys), "Страницы")}
    assert named == differ

"""`kachestvo diff`: what the working tree changes on the site against a git revision, figure by figure.

Both sides are compared as published: each is validated, protected (suppressed values stay hidden) and turned
into displayed facts, formatted as the site shows them; the generated page paths are compared too. The base
side is read with `git show REF:path` into a temporary project, so nothing in the working tree is touched.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kachestvo import figures, fmt
from kachestvo.dataset import Dataset
from kachestvo.paths import Project

# Group headings in output order; each change belongs to one.
GROUPS = figures.GROUPS + ("Страницы",)


class DiffFailed(Exception):
    """The comparison could not be made; the message says why, in Russian."""


@dataclass(frozen=True, order=True)
class Change:
    group: str
    what: str  # the figure, named as a person reads it: school · assessment · class · subject · year · metric
    old: str | None  # as displayed; None when the figure is absent on that side
    new: str | None


def diff(project: Project, ref: str, notes: list[str] | None = None) -> list[Change]:
    """Every displayed figure and page that differs between `ref` and the working tree.

    A side whose data has validation errors is still compared as far as it can be read (the base may predate a
    schema change of the tool); a sentence saying so is appended to `notes`.
    """
    notes = [] if notes is None else notes
    with tempfile.TemporaryDirectory(prefix="kachestvo-diff-") as tmp:
        base = checkout(project, ref, Path(tmp))
        old_facts, old_pages = published(base, f"версии {ref}", notes)
        new_facts, new_pages = published(project, "рабочей копии", notes)
    out = []
    for key in sorted(set(old_facts) | set(new_facts)):
        (group, what), old, new = key, old_facts.get(key), new_facts.get(key)
        if old != new:
            out.append(Change(group, what, old, new))
    for path in sorted(old_pages ^ new_pages):
        out.append(Change("Страницы", url(path), "есть" if path in old_pages else None, "есть" if path in new_pages else None))
    return sorted(out, key=lambda c: (GROUPS.index(c.group), c.what))


def checkout(project: Project, ref: str, dest: Path) -> Project:
    """The project's data/ and content/ as of `ref`, written under `dest` (git show, one file at a time)."""
    top = _git(project.root, "rev-parse", "--show-toplevel").strip()
    prefix = project.root.relative_to(Path(top).resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    if ref.startswith("-"):  # would be read by git as an option
        raise DiffFailed(f"версия «{ref}» не может начинаться с «-». Укажите ветку, тег или коммит, например HEAD.")
    try:
        _git(project.root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except DiffFailed:
        raise DiffFailed(f"версия «{ref}» не найдена в репозитории git. Укажите ветку, тег или коммит, например HEAD.") from None
    names = _git(project.root, "ls-tree", "-r", "-z", "--name-only", ref, "--", f"{prefix}data", f"{prefix}content")
    root = dest.resolve()
    for name in filter(None, names.split("\0")):
        target = _inside(root, name[len(prefix) :], ref)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_git_bytes(project.root, "show", f"{ref}:{name}"))
    if not (dest / "data" / "datapackage.json").is_file():
        raise DiffFailed(f"в версии «{ref}» нет {prefix}data/datapackage.json: сравнивать не с чем.")
    return Project.at(dest)


def _inside(root: Path, rel: str, ref: str) -> Path:
    """Where a path from the git tree is written: refused when it would leave the temporary project (a crafted tree
    may hold entries named «..»)."""
    parts = rel.split("/")
    target = root.joinpath(*parts)
    if any(p in ("", ".", "..") for p in parts) or "\\" in rel or not target.resolve().is_relative_to(root):
        raise DiffFailed(
            f"в версии «{ref}» есть путь «{rel}», ведущий за пределы проекта (составляющие «..»). "
            "Такую версию не сравнивают: её дерево git собрано вручную. Проверьте, откуда она взялась."
        )
    return target


def published(project: Project, side: str, notes: list[str]) -> tuple[dict[tuple[str, str], str], set[str]]:
    """(figure → displayed text, generated page paths) of a project, as its site would show them."""
    from kachestvo.pages import generate
    from kachestvo.protect import protect
    from kachestvo.validate import validate
    from kachestvo.validate.problems import errors

    ds, problems = validate(project)
    if ds is None:
        raise DiffFailed(f"данные {side} не читаются (kachestvo validate покажет почему): сравнение невозможно.")
    if errors(problems):
        count = fmt.plural(len(errors(problems)), "ошибка")
        notes.append(f"Данные {side} не проходят проверку ({count}): сравнение показывает то, что удалось прочитать.")
    safe = protect(ds)
    try:
        site, _ = generate(safe)
    except Exception as exc:  # invalid data may break a page builder: then say so instead of a traceback
        raise DiffFailed(f"страницы {side} не строятся из-за ошибок в данных ({exc}); исправьте их и повторите.") from exc
    return facts(safe), set(site.pages)


def facts(ds: Dataset) -> dict[tuple[str, str], str]:
    """Every published figure of a protected dataset: (group, what) → the text the site shows."""
    return {(f.group, f.what): f.shown for f in figures.published(ds)}


def url(path: str) -> str:
    """A generated page's address on the site: «shkoly/x.md» → «shkoly/x/»."""
    stem = path[:-3]
    return "/" if stem == "index" else (stem[: -len("index")] if stem.endswith("/index") else stem + "/")


def format_text(changes: list[Change], ref: str, notes: list[str] = ()) -> str:
    if not changes:
        return "\n".join([*notes, f"Сайт не изменится: опубликованные данные совпадают с версией {ref}."])
    lines = [*notes, f"Изменения на сайте относительно {ref}: {fmt.plural(len(changes), 'изменение')}."]
    group = None
    for c in changes:
        if c.group != group:
            group = c.group
            lines.append(f"\n{group}:")
        lines.append(f"  {_verb(c)} {c.what}" + ("" if c.group == "Страницы" else f": {_values(c)}"))
    return "\n".join(lines)


def format_markdown(changes: list[Change], ref: str, notes: list[str] = ()) -> str:
    warnings = [f"> {_cell(n)}\n" for n in notes]
    if not changes:
        return "\n".join(
            ["### Изменения на сайте\n", *warnings, f"Сайт не изменится: опубликованные данные совпадают с версией `{ref}`.\n"]
        )
    count = fmt.plural(len(changes), "изменение")
    out = [f"### Изменения на сайте относительно `{ref}`\n", *warnings, f"{count}."]
    for group in GROUPS:
        mine = [c for c in changes if c.group == group]
        if not mine:
            continue
        out.append(f"\n#### {group}\n")
        if group == "Страницы":
            out += [f"- {_verb(c)} `{_cell(c.what)}`" for c in mine]
            continue
        out += ["| Что | Было | Стало |", "|---|---|---|"]
        out += [f"| {_cell(c.what)} | {_cell(c.old or '—')} | {_cell(c.new or '—')} |" for c in mine]
    return "\n".join(out) + "\n"


def _verb(c: Change) -> str:
    return "добавлено:" if c.old is None else "удалено:" if c.new is None else "изменено:"


def _values(c: Change) -> str:
    return c.new if c.old is None else c.old if c.new is None else f"{c.old} → {c.new}"


def _cell(value: str) -> str:
    """A Markdown table cell from data: no pipes, no line breaks, no HTML."""
    value = value.replace("\r", " ").replace("\n", " ").replace("|", "\\|")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _git_bytes(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise DiffFailed("программа git не найдена: установите git.") from exc
    if done.returncode != 0:
        msg = done.stderr.decode("utf-8", "replace").strip()
        raise DiffFailed(f"git {' '.join(args[:1])} не выполнен: {msg or 'папка проекта не в репозитории git'}.")
    return done.stdout


def _git(cwd: Path, *args: str) -> str:
    return _git_bytes(cwd, *args).decode("utf-8")

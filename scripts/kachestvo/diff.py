"""`kachestvo diff`: what the working tree changes on the site against a git revision, in words a reviewer reads.

The site is made from four things: the protected dataset, whose CSV texts are also published byte for byte as
downloads; the descriptor (published as datapackage.json); content/; and mkdocs.yml. So the site changes exactly
when one of them changes, and diff compares each: the tables row by row by primary key (`compare.py`: rows added,
removed and changed with the changed fields' Russian titles and old → new values, a hidden value as «скрыто», a
key renamed with its references as one rename), the descriptor field by field, the files of content/ and mkdocs.yml
by their bytes, and the list of generated pages. Both sides are protected before anything is compared, so a
hidden value never reaches the output. The base side is read with `git show REF:path` into a temporary project,
so nothing in the working tree is touched.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from kachestvo import config, fmt, git
from kachestvo.compare import Change, Field, compare, one_line
from kachestvo.paths import Project

__all__ = ["Change", "DiffFailed", "Field", "Report", "format_markdown", "format_text", "report"]

DESCRIPTION = "Описание данных"
FILES = "Файлы сайта"
PAGES = "Страницы"


class DiffFailed(Exception):
    """The comparison could not be made; the message says why, in Russian."""


@dataclass
class Side:
    """What one version's site is made from."""

    texts: dict[str, str]  # table → protected CSV text, in the package's order
    descriptor: dict  # the published datapackage.json
    files: dict[str, bytes]  # content/… and mkdocs.yml
    pages: dict[str, str] | None  # generated page path → digest of its text (None when the pages could not be generated)
    sections: dict[str, list[str]] = field(default_factory=dict)  # table → the sections built from it, as named


@dataclass
class Report:
    changes: list[Change]
    notes: list[str]
    blocked: bool  # the working copy fails validation: the build stops, and the site does not change yet


def report(project: Project, ref: str) -> Report:
    """Every change of the site between `ref` and the working tree, grouped by school, table, page or file; the
    sentences to print before them; and whether the working copy would stop the build.

    A side whose data has validation errors is still compared as far as it can be read (its values protected all
    the same), and a note says so."""
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kachestvo-diff-") as tmp:
        base = checkout(project, ref, Path(tmp))
        old = side(base, f"версии {ref}", notes, working=False)
        count = len(notes)
        new = side(project, "рабочей копии", notes, working=True)
    old_failed, blocked = count > 0, len(notes) > count
    # a side that fails validation hides, besides its own small groups, what the other hides
    old, new = _hiding(old, new, old_failed), _hiding(new, old, blocked)
    return Report(changes(old, new), notes, blocked=blocked)


def _hiding(side: Side, other: Side, failed: bool) -> Side:
    from kachestvo.protect import hidden_as_in

    if not failed or "results" not in side.texts or "results" not in other.texts:
        return side
    return replace(side, texts={**side.texts, "results": hidden_as_in(side.texts["results"], other.texts["results"])})


def changes(old: Side, new: Side) -> list[Change]:
    """The changes between two sides: site files and the data's description first, then tables and schools, then pages."""
    rows = compare(old.texts, new.texts)
    out = _file_changes(old.files, new.files) + _descriptor_changes(old.descriptor, new.descriptor)
    out += [c for c in rows if c.group == DESCRIPTION]
    shown_on = {**old.sections, **new.sections}
    out += [_placed(c, old, new, shown_on) for c in rows if c.group != DESCRIPTION]
    if old.pages is not None and new.pages is not None:
        out += _page_changes(old.pages, new.pages, [c.keys for c in rows if c.kind == "renamed"])
    return out


def _placed(c: Change, old: Side, new: Side, shown_on: dict[str, list[str]]) -> Change:
    """A row's change under a heading that says where it shows: its school's page, or the sections showing its table."""
    page = f"shkoly/{c.school}.md"
    if c.school and any(page in (p or ()) for p in (old.pages, new.pages)):
        return replace(c, group=f"{c.group}, страница {url(page)}")
    if c.file and not c.table and shown_on.get(c.file):  # a table's own group: the sections showing it
        return replace(c, group=f"{c.group}, на сайте: {_listed(shown_on[c.file])}")
    return c


def _listed(names: list[str]) -> str:
    """Up to three sections by name; of more, the first two and how many others."""
    more = f" и ещё {fmt.plural(len(names) - 2, 'раздел')}" if len(names) > 3 else ""
    return f"{', '.join(names[:2] if more else names)}{more}"


def checkout(project: Project, ref: str, dest: Path) -> Project:
    """The project's data/, content/ and mkdocs.yml as of `ref`, written under `dest` (git show, one file at a time)."""
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
    names += "\0" + _git(project.root, "ls-tree", "-z", "--name-only", ref, "--", f"{prefix}mkdocs.yml")
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


def side(project: Project, name: str, notes: list[str], working: bool = False, loaded=None, site=None) -> Side:
    """A project read, validated and protected as its build would publish it. `loaded` is its `validate` result
    when already made, `site` its generated pages (`pages.generate` of the protected dataset)."""
    from kachestvo.output.downloads import descriptor
    from kachestvo.pages import generate
    from kachestvo.protect import protect, protect_unchecked
    from kachestvo.validate import validate
    from kachestvo.validate.problems import errors

    ds, problems = loaded or validate(project)
    if ds is None:
        raise DiffFailed(f"данные {name} не читаются (kachestvo validate покажет почему): сравнение невозможно.")
    failed = errors(problems)
    if failed:
        count = fmt.plural(len(failed), "ошибка")
        then = (
            "kachestvo build с ними остановится, и сайт не изменится, пока их не исправят; ниже — отличия данных, "
            "как их удалось прочитать."
            if working
            else "сравнение показывает то, что удалось прочитать."
        )
        notes.append(f"Данные {name} не проходят проверку ({count}): {then}")
    safe = protect_unchecked(ds) if failed else protect(ds)
    pages = None
    try:
        pages = _digests((site or generate(safe)[0]).pages)
    except Exception:  # invalid data may break a page builder: the rows are still compared
        if not failed:
            raise
        notes.append(f"Страницы {name} не строятся из-за ошибок в данных: список страниц не сравнивается.")
    return Side({t: safe.texts[t] for t in safe.listed}, descriptor(safe), _site_files(project), pages, _sections(safe))


def _sections(ds) -> dict[str, list[str]]:
    """Table → the sections whose pages are built from it, as a reviewer finds them: «Программа» (programma/)."""
    from kachestvo.pages import registry

    out: dict[str, list[str]] = {}
    for s in registry.published(ds):
        if s.inputs != registry.ALL:
            for table in s.inputs:
                out.setdefault(table, []).append(f"«{s.title}» ({url(s.path)})")
    return out


def _site_files(project: Project) -> dict[str, bytes]:
    out = {}
    if project.content.is_dir():
        for path in sorted(project.content.rglob("*")):
            if path.is_file():
                out["content/" + path.relative_to(project.content).as_posix()] = path.read_bytes()
    mkdocs = project.root / "mkdocs.yml"
    if mkdocs.is_file():
        out["mkdocs.yml"] = mkdocs.read_bytes()
    return out


def _file_changes(old: dict[str, bytes], new: dict[str, bytes]) -> list[Change]:
    out = []
    for path in sorted(set(old) | set(new)):
        if old.get(path) != new.get(path):
            kind = "file-added" if path not in old else "file-removed" if path not in new else "file-changed"
            out.append(Change(kind, FILES, one_line(path)))
    return out


def _descriptor_changes(old: dict, new: dict) -> list[Change]:
    """The published datapackage.json field by field: the tool's settings, the package's own fields, each table's entry."""
    out = _package_field_changes(old, new)
    res_a, res_b = _resources(old), _resources(new)
    out += _resource_changes(res_a, res_b)
    if not out and json.dumps(old, ensure_ascii=False) != json.dumps(new, ensure_ascii=False) and res_a.keys() == res_b.keys():
        out.append(Change("reformatted", DESCRIPTION, "datapackage.json (порядок или запись полей)"))
    return out


def _package_field_changes(old: dict, new: dict) -> list[Change]:
    """The package's own fields that changed, the `kachestvo` block setting by setting (the tables are apart)."""
    keys = [k for k in dict.fromkeys([*old, *new]) if k != "resources" and old.get(k) != new.get(k)]
    return [c for key in keys for c in _package_field_change(old, new, key)]


def _package_field_change(old: dict, new: dict, key: str) -> list[Change]:
    """One changed field of the package: its old and new value in JSON, or each changed setting of the tool's block."""
    a, b = old.get(key), new.get(key)
    if key == "kachestvo" and isinstance(a or {}, dict) and isinstance(b or {}, dict):
        return _setting_changes(a or {}, b or {})
    label = one_line(f"поле «{key}» в datapackage.json")
    return [Change("changed", DESCRIPTION, label, fields=(Field("Значение", _json(old, key), _json(new, key)),))]


def _resources(descriptor: dict) -> dict:
    return {r.get("name"): r for r in descriptor.get("resources", []) if isinstance(r, dict)}


def _resource_changes(res_a: dict, res_b: dict) -> list[Change]:
    """Each table's entry that changed; the tables' order when it changed."""
    out = []
    for name in [n for n in res_b if n in res_a and res_a[n] != res_b[n]]:
        out.append(Change("changed", DESCRIPTION, one_line(f"описание таблицы {name}.csv в datapackage.json")))
    if [n for n in res_a if n in res_b] != [n for n in res_b if n in res_a]:
        out.append(Change("reordered", DESCRIPTION, "порядок таблиц в datapackage.json (и в файле для скачивания)"))
    return out


def _setting_changes(a: dict, b: dict) -> list[Change]:
    """Each setting of the `kachestvo` block whose value changed, named with its description."""
    out = []
    for name in dict.fromkeys([*a, *b]):
        if a.get(name) != b.get(name):
            what = config.OPTIONS[name].description if name in config.OPTIONS else "неизвестная настройка"
            value = Field("Значение", _json(a, name), _json(b, name))
            out.append(Change("changed", DESCRIPTION, one_line(f"настройка «{name}» ({what})"), fields=(value,)))
    return out


def _json(holder: dict, key: str) -> str:
    return "нет" if key not in holder else f"«{one_line(json.dumps(holder[key], ensure_ascii=False))}»"


def _digests(pages: dict[str, str]) -> dict[str, str]:
    """Generated page path → a digest of its text."""
    return {path: hashlib.sha256(text.encode("utf-8")).hexdigest() for path, text in pages.items()}


def _page_changes(old: dict[str, str], new: dict[str, str], renames: list[tuple[str, ...]]) -> list[Change]:
    """Pages whose text changes, pages added and removed; a page whose address changed with a renamed key is one
    line naming both. What a page shows is compared as generated, so every page a change reaches is named."""
    gone, came = sorted(set(old) - set(new)), sorted(set(new) - set(old))
    out = [Change("page-renamed", PAGES, one_line(f"{url(a)} → {url(b)}")) for a, b in _moves(gone, came, renames)]
    out += [Change("page-changed", PAGES, one_line(url(p))) for p in sorted(set(old) & set(new)) if old[p] != new[p]]
    out += [Change("page-added", PAGES, one_line(url(p))) for p in came]
    out += [Change("page-removed", PAGES, one_line(url(p))) for p in gone]
    return out


def _moves(gone: list[str], came: list[str], renames: list[tuple[str, ...]]) -> list[tuple[str, str]]:
    """(old path, new path) of pages whose address changed with a renamed key; both are taken out of the lists."""
    out = []
    for before, after in renames:
        for path in list(gone):
            parts = [after if part == before else after + ".md" if part == before + ".md" else part for part in path.split("/")]
            moved = "/".join(parts)
            if moved != path and moved in came:
                out.append((path, moved))
                gone.remove(path)
                came.remove(moved)
    return out


def url(path: str) -> str:
    """A generated page's address on the site: «shkoly/x.md» → «shkoly/x/»."""
    stem = path[:-3]
    return "/" if stem == "index" else (stem[: -len("index")] if stem.endswith("/index") else stem + "/")


VERBS = {
    "added": "добавлено",
    "removed": "удалено",
    "changed": "изменено",
    "renamed": "переименовано",
    "reordered": "изменён порядок",
    "reformatted": "изменена запись",
    "table-added": "добавлена",
    "table-removed": "удалена",
    "page-changed": "изменится страница",
    "page-added": "добавлена страница",
    "page-removed": "удалена страница",
    "page-renamed": "новый адрес страницы",
    "file-added": "добавлен файл",
    "file-removed": "удалён файл",
    "file-changed": "изменён файл",
}


def _what(c: Change) -> str:
    return (f"{c.table} · " if c.table else "") + c.label + (f" ({c.note})" if c.note else "")


def _field_text(f: Field, kind: str) -> str:
    if kind in ("added", "removed"):
        return f"{f.title}: {f.new}"  # the row's filled cells (as they were, for a removed one)
    return f"{f.title}: {f.old} → {f.new}"


def _heading(changes: list[Change], ref: str, blocked: bool) -> str:
    # the changed pages are where the changes show, listed under «Страницы», not changes of their own
    count = fmt.plural(len([c for c in changes if c.kind != "page-changed"]) or len(changes), "изменение")
    if blocked:
        return f"Отличия от версии {ref}, которые попадут на сайт, когда данные пройдут проверку: {count}"
    return f"Изменения на сайте относительно {ref}: {count}"


def format_text(changes: list[Change], ref: str, notes: list[str] = (), blocked: bool = False) -> str:
    if not changes:
        return log_safe("\n".join([*notes, f"Сайт не изменится: опубликованные данные совпадают с версией {ref}."]))
    lines = [*notes, _heading(changes, ref, blocked) + "."]
    group = None
    for c in changes:
        if c.group != group:
            group = c.group
            lines.append(f"\n{group}:")
        fields = "; ".join(_field_text(f, c.kind) for f in c.fields if c.kind != "removed")
        lines.append(f"  {VERBS[c.kind]}: {_what(c)}" + (f" — {fields}" if fields else ""))
    return log_safe("\n".join(lines))


# A job summary holds at most 1 MiB: a long list is cut (a whole table reformatted lists every row)
MARKDOWN_CHANGES = 1000


def format_markdown(changes: list[Change], ref: str, notes: list[str] = (), blocked: bool = False) -> str:
    warnings = [f"> {_cell(n)}\n" for n in notes]
    if not changes:
        return "\n".join(
            ["### Изменения на сайте\n", *warnings, f"Сайт не изменится: опубликованные данные совпадают с версией `{ref}`.\n"]
        )
    title = "Отличия данных от" if blocked else "Изменения на сайте относительно"
    out = [f"### {title} `{ref}`\n", *warnings, _heading(changes, ref, blocked).split(": ")[-1] + "."]
    group = None
    for n, c in enumerate(changes):
        if n == MARKDOWN_CHANGES:
            rest = fmt.plural(len(changes) - n, "изменение")
            out.append(f"\nИ ещё {rest}: полный список покажет «kachestvo diff --base {ref}» на своём компьютере.")
            break
        if c.group != group:
            group = c.group
            out += _markdown_heading(group)
        out += _markdown_lines(c)
    return "\n".join(out) + "\n"


def _markdown_heading(group: str) -> list[str]:
    """A group's heading; a table's head below it, except for pages and files (a list)."""
    heading = [f"\n#### {_cell(group)}\n"]
    return heading if group in (PAGES, FILES) else [*heading, "| Что | Было | Стало |", "|---|---|---|"]


def _markdown_lines(c: Change) -> list[str]:
    """A change as a list item (a page or a file) or as table rows: what, was, becomes (one row per changed field)."""
    if c.group in (PAGES, FILES):
        return [f"- {VERBS[c.kind]}: `{_cell(c.label)}`"]
    what = _cell(f"{VERBS[c.kind]}: {_what(c)}")
    cells = "; ".join(_field_text(f, c.kind) for f in c.fields)
    if c.kind == "added":
        return [f"| {what} | — | {_cell(cells or 'есть')} |"]
    if c.kind == "removed":
        return [f"| {what} | {_cell(cells or 'было')} | — |"]
    if not c.fields:
        return [f"| {what} | | |"]
    return [f"| {what} · {_cell(f.title)} | {_cell(f.old)} | {_cell(f.new)} |" for f in c.fields]


def _cell(value: str) -> str:
    """A Markdown table cell from data: no pipes, no line breaks, no HTML, no code spans."""
    value = one_line(value).replace("|", "\\|").replace("`", "'")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def log_safe(text: str) -> str:
    """Text for a CI log: no line starts (after spaces) with «::», which GitHub Actions reads as a workflow command.
    Every line of diff's output begins with its own words; this is the last guard."""
    return "\n".join("\u00b7 " + line if line.lstrip().startswith("::") else line for line in text.split("\n"))


def _git_bytes(cwd: Path, *args: str) -> bytes:
    try:
        return git.run(cwd, *args)
    except git.GitFailed as exc:
        raise DiffFailed(str(exc)) from None


def _git(cwd: Path, *args: str) -> str:
    return _git_bytes(cwd, *args).decode("utf-8")

"""Two protected datasets compared table by table, row by row by primary key: what a reviewer reads in `kachestvo diff`.

Works on the protected CSV texts, the very bytes the site publishes as downloads (`output/downloads.py`): a value
hidden by `protect` is «скрыто» here too, and whenever those bytes differ at least one change is listed (a row
added, removed or changed, a key renamed, the order of rows or the file's formatting). A key renamed in its own
table together with every reference to it (a school_id changed everywhere) is one rename naming both keys: the
references are compared after the rename, so they add nothing unless something else changed in them.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from kachestvo import fmt, schemas
from kachestvo.dataset import written_decimals
from kachestvo.phrases import result as result_text

# A row is named by its key and, where the table has one, by this text (the first of these fields it has).
DESCRIPTIVE = ("short_name", "title", "name", "text", "activity", "topic", "criterion", "section", "partner_name", "body")
SEPARATORS = "-_./ "
LONG = 100  # longer texts are shown as an excerpt around the change
CONTEXT = 30
RESULT_VALUE = ("value", "value_missing", "unit")  # one displayed value of a result, as the site shows it


@dataclass(frozen=True)
class Field:
    title: str  # the column's Russian title
    old: str  # as a reviewer reads it (formatted numbers and dates, texts in «»)
    new: str


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, changed, renamed, reordered, reformatted, table-added, table-removed, or diff's own
    group: str  # the heading it is listed under: a school, a table, «Страницы», «Файлы сайта», «Описание данных»
    label: str  # the row (or page, file, setting) named as a person reads it
    table: str = ""  # the table's Russian title, for rows listed under a school
    fields: tuple[Field, ...] = ()  # changed fields; for an added row its filled fields
    note: str = ""
    keys: tuple[str, ...] = ()  # a rename's old and new key
    file: str = ""  # the table (name of its CSV) a row change comes from
    school: str = ""  # the school_id of the school the row belongs to (new side)


@dataclass
class _Table:
    header: list[str]
    rows: dict[tuple, dict[str, str]]  # key → cells
    order: list[tuple]


def compare(old: dict[str, str], new: dict[str, str]) -> list[Change]:
    """Changes between two protected datasets given as table → CSV text (in the order the package lists them)."""
    names_old = {t: _parse(t, text) for t, text in old.items()}
    names_new = {t: _parse(t, text) for t, text in new.items()}
    schools = _school_names(names_old.get("schools"), names_new.get("schools"))
    renames = _renames(names_old, names_new)
    moved = _moved_references(renames, names_old)
    out: list[Change] = []
    for table in [*new, *(t for t in old if t not in new)]:
        if table not in old or table not in new:
            out.append(_table_presence(table, names_new[table] if table in new else names_old[table], table in new))
        elif old[table] != new[table]:
            out += _table_changes(table, names_old[table], names_new[table], renames, moved, schools)
    return _ordered(out, schools)


def _table_presence(table: str, rows: _Table, added: bool) -> Change:
    """A table the package gained or lost, with its number of rows."""
    title = schemas.schema(table).get("title", table)
    label = f"таблица «{title}» ({table}.csv), {fmt.plural(len(rows.rows), 'строка')}"
    return Change("table-added" if added else "table-removed", "Описание данных", label)


# --- reading -------------------------------------------------------------------------------------------------------


def _parse(table: str, text: str) -> _Table:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    pk = schemas.schema(table).get("primaryKey", [])
    rows: dict[tuple, dict[str, str]] = {}
    order = []
    for record in reader:
        if not record:  # an empty line: skipped, as when the table is read for the site
            continue
        cells = dict(zip(header, record))
        for name in header[len(record) :]:
            cells[name] = ""
        if len(record) > len(header):
            cells["(значения без столбца)"] = ",".join(record[len(header) :])
        key = tuple(cells.get(k, "").strip() for k in pk) or (str(len(order)),)
        seen = key
        n = 1
        while seen in rows:  # a duplicate key (invalid data): still every row is compared
            n += 1
            seen = (*key, f"#{n}")
        rows[seen] = cells
        order.append(seen)
    return _Table(header, rows, order)


def _school_names(old: _Table | None, new: _Table | None) -> dict[str, str]:
    names = {}
    for t in (old, new):
        for (sid, *_), cells in t.rows.items() if t else []:
            names[sid] = cells.get("short_name", "").strip() or cells.get("full_name", "").strip() or sid
    return names


# --- renames -------------------------------------------------------------------------------------------------------


def _references() -> dict[str, list[tuple[str, str]]]:
    """Referenced table → [(table, field)] of every single-field foreign key that points at it."""
    out = defaultdict(list)
    for table in schemas.table_names():
        for fk in schemas.schema(table).get("foreignKeys", []):
            if len(fk["fields"]) == 1:
                out[fk["reference"]["resource"] or table].append((table, fk["fields"][0]))
    return out


def _foreign(table: str) -> dict[str, str]:
    """Field → the table it refers to."""
    out = {}
    for fk in schemas.schema(table).get("foreignKeys", []):
        if len(fk["fields"]) == 1:
            out[fk["fields"][0]] = fk["reference"]["resource"] or table
    return out


def _mapped(table: str, cells: dict[str, str], renames: dict[str, dict[str, str]]) -> dict[str, str]:
    """The old row's cells with references (and its own key) renamed as on the new side."""
    out = dict(cells)
    for field, target in _foreign(table).items():
        value = cells.get(field, "").strip()
        if value in renames.get(target, {}):
            out[field] = renames[target][value]
    pk = schemas.schema(table).get("primaryKey", [])
    if len(pk) == 1 and cells.get(pk[0], "").strip() in renames.get(table, {}):
        out[pk[0]] = renames[table][cells[pk[0]].strip()]
    return out


def _renames(old: dict[str, _Table], new: dict[str, _Table]) -> dict[str, dict[str, str]]:
    """Table → {old key → new key} for rows of a single-field key whose key alone changed: the same row (other
    cells equal, references compared after the renames found so far), or the one row that left and the one that
    came while the references to the old key all moved to the new one."""
    renames: dict[str, dict[str, str]] = {}
    refs = _references()
    for _ in range(3):  # a rename may make another one's rows equal (a cluster renamed, then its schools)
        found = [_renames_in(table, old, new, renames, refs) for table in new if table in old]
        if not any(found):
            break
    return {t: m for t, m in renames.items() if m}


def _renames_in(table: str, old: dict[str, _Table], new: dict[str, _Table], renames: dict, refs) -> bool:
    """Add the renamed keys of one table to `renames` (see `_renames`); whether any was found."""
    pk = schemas.schema(table).get("primaryKey", [])
    if len(pk) != 1:
        return False
    have = renames.setdefault(table, {})
    gone = [k for k in old[table].rows if k not in new[table].rows]
    came = [k for k in new[table].rows if k not in old[table].rows]
    gone, came = _unpaired(gone, came, have)
    if not gone or not came:
        return False
    found = _same_rows(table, gone, came, old, new, renames, pk)
    gone, came = _unpaired(gone, came, have)
    return _lone_rename(table, gone, came, old, new, renames, refs) or found


def _unpaired(gone: list[tuple], came: list[tuple], have: dict[str, str]) -> tuple[list[tuple], list[tuple]]:
    """The keys that left and came, but those a rename (old key → new key in `have`) already pairs."""
    paired = set(have.values())
    return [k for k in gone if k[0] not in have], [k for k in came if k[0] not in paired]


def _lone_rename(table: str, gone: list, came: list, old: dict, new: dict, renames: dict, refs) -> bool:
    """The one row that left and the one that came are a rename when mostly alike and every reference to the old key
    moved to the new one; added to `renames`."""
    if len(gone) != 1 or len(came) != 1:
        return False
    a, b = _mapped(table, old[table].rows[gone[0]], renames), new[table].rows[came[0]]
    pk = schemas.schema(table).get("primaryKey", [])
    if not (_alike(a, b, pk) and _references_moved(gone[0][0], came[0][0], table, refs, old, new)):
        return False
    renames[table][gone[0][0]] = came[0][0]
    return True


def _same_rows(table: str, gone: list, came: list, old: dict, new: dict, renames: dict, pk: list[str]) -> bool:
    """Pair each row that left with the one row that came with the same other cells (unique on both sides)."""
    have = renames[table]
    sig = _signature(pk)
    before = Counter(sig(_mapped(table, old[table].rows[k], renames)) for k in gone)
    after = {sig(new[table].rows[k]): k for k in came}
    counts_after = Counter(sig(new[table].rows[k]) for k in came)
    found = False
    for k in gone:
        s = sig(_mapped(table, old[table].rows[k], renames))
        if before[s] == 1 and counts_after[s] == 1:
            have[k[0]] = after[s][0]
            found = True
    return found


def _signature(pk: list[str]):
    """A row's cells apart from its key: equal signatures, the same row under another key."""
    return lambda cells: tuple(sorted((f, v) for f, v in cells.items() if f not in pk))


def _alike(before: dict[str, str], after: dict[str, str], pk: list[str]) -> bool:
    """Mostly the same row: at least as many filled cells kept as changed (else a row replaced, not renamed)."""
    names = [n for n in dict.fromkeys([*before, *after]) if n not in pk and (before.get(n) or after.get(n))]
    kept = sum(before.get(n) == after.get(n) for n in names)
    return kept >= len(names) - kept


def _references_moved(before: str, after: str, table: str, refs, old, new) -> bool:
    """Some row referred to `before` and now every reference points at `after` instead."""
    pointed = moved = False
    for t, field in refs.get(table, []):
        if t in old and t in new:
            olds = sum(c.get(field, "").strip() == before for c in old[t].rows.values())
            news = sum(c.get(field, "").strip() == after for c in new[t].rows.values())
            if any(c.get(field, "").strip() == before for c in new[t].rows.values()):
                return False
            pointed |= olds > 0
            moved |= news > 0
    return pointed and moved


# --- one table -----------------------------------------------------------------------------------------------------


def _moved_references(renames: dict[str, dict[str, str]], old: dict[str, _Table]) -> Counter:
    """(table, old key) → how many rows of the old side referred to that renamed key."""
    out = Counter()
    refs = _references()
    for table, mapping in renames.items():
        for t, field in refs.get(table, []):
            for cells in old[t].rows.values() if t in old else []:
                if cells.get(field, "").strip() in mapping:
                    out[(table, cells[field].strip())] += 1
    return out


def _table_changes(table: str, old: _Table, new: _Table, renames: dict, moved: Counter, schools: dict) -> list[Change]:
    return _TableDiff(table, old, new, renames, schools).changes(moved)


class _TableDiff:
    """The changes of one table: the old side's rows under their new keys (renames applied), then renamed rows, rows
    whose key alone changed, removed, added and changed rows; the order or the file's form when nothing else changed."""

    def __init__(self, table: str, old: _Table, new: _Table, renames: dict, schools: dict):
        schema = schemas.schema(table)
        self.table, self.new, self.renames, self.schools = table, new, renames, schools
        self.pk = schema.get("primaryKey", [])
        self.titles = {f["name"]: f.get("title", f["name"]) for f in schema["fields"]}
        self.types = {f["name"]: f["type"] for f in schema["fields"]}
        self.title = schema.get("title", table)
        self.out: list[Change] = []
        self.moved_refs = 0  # old rows whose references changed with a rename
        self.mapped: dict[tuple, dict[str, str]] = {}  # new key → the old row, references renamed
        self.order = []
        for key, cells in old.rows.items():
            m = _mapped(table, cells, renames)
            self.moved_refs += m != cells
            new_key = tuple(m.get(k, "").strip() for k in self.pk) + key[len(self.pk) :] if self.pk else key
            while new_key in self.mapped:  # renamed onto a key the old side had too (invalid data): both rows kept
                new_key = (*new_key, "#")
            self.mapped[new_key] = m
            self.order.append(new_key)

    def changes(self, moved: Counter) -> list[Change]:
        self._renamed(moved)
        gone = [k for k in self.mapped if k not in self.new.rows]
        came = [k for k in self.new.rows if k not in self.mapped]
        self._key_changed(gone, came)
        for k in gone:
            self.change("removed", self.mapped[k], _filled(self.table, self.mapped[k], self.titles, self.types, self.pk))
        for k in came:
            self.change("added", self.new.rows[k], _filled(self.table, self.new.rows[k], self.titles, self.types, self.pk))
        self._changed()
        if not self.out:
            self._form()
        return self.out

    def _changed(self) -> None:
        """Rows under the same key on both sides whose fields changed (renamed rows are listed already)."""
        renamed = {(after,) for after in self.renames.get(self.table, {}).values()}
        for k in self.new.rows:
            if k in self.mapped and k not in renamed:
                fields = _fields(self.table, self.mapped[k], self.new.rows[k], self.titles, self.types, skip=set())
                if fields:
                    self.change("changed", self.new.rows[k], fields)

    def change(self, kind, cells, fields=(), note="", label=None, keys=()):
        sid = cells.get("school_id", "").strip() if "school_id" in self.titles else ""
        group = _school_group(sid, self.schools) if sid else f"{self.title} ({self.table}.csv)"
        label = one_line(label or _label(self.table, cells, self.pk, bool(sid)))
        self.out.append(Change(kind, group, label, self.title if sid else "", tuple(fields), note, keys, self.table, sid))

    def _renamed(self, moved: Counter) -> None:
        """Renamed rows of this table: one change naming both keys (with any other field that changed); renames that
        differ alike (a prefix replaced in many keys, e.g. with a school's id) and change nothing else: one line."""
        table, pk, titles = self.table, self.pk, self.titles
        alike: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for before, after in self.renames.get(table, {}).items():
            cells = self.new.rows[(after,)]
            fields = _fields(table, self.mapped[(after,)], cells, titles, self.types, skip=set(pk))
            refs = moved[(table, before)]
            if not fields and not refs:
                alike[_middle(before, after)].append((before, after))
                continue
            note = f"вместе со ссылками на него: {fmt.plural(refs, 'строка')} в других таблицах" if refs else ""
            label = f"{titles[pk[0]].lower()} «{before}» → «{after}»" + ("" if table == "schools" else _descr(table, cells, pk))
            self.change("renamed", cells, fields, note, label, keys=(before, after))
        for (a, b), pairs in alike.items():
            cells = self.new.rows[(pairs[0][1],)]
            if len(pairs) == 1:
                label = f"{titles[pk[0]].lower()} «{pairs[0][0]}» → «{pairs[0][1]}»" + _descr(table, cells, pk)
            else:
                example = f"«{pairs[0][0]}» → «{pairs[0][1]}»"
                label = f"{fmt.plural(len(pairs), 'идентификатор')}: «{a}» заменено на «{b}» (например, {example})"
            for before, after in pairs:
                self.change("renamed", cells, (), "", label, keys=(before, after))
                if len(pairs) > 1:
                    break

    def _key_changed(self, gone: list, came: list) -> None:
        """A row whose key alone changed (a year, a class): a change of that key, when the pairing is certain (the
        pair leaves `gone` and `came`)."""
        sig = _signature(self.pk)
        counts_gone, counts_came = Counter(sig(self.mapped[k]) for k in gone), Counter(sig(self.new.rows[k]) for k in came)
        by_sig = {sig(self.new.rows[k]): k for k in came}
        for k in list(gone):
            s = sig(self.mapped[k])
            if counts_gone[s] == 1 and counts_came[s] == 1:
                other = by_sig[s]
                fields = _fields(self.table, self.mapped[k], self.new.rows[other], self.titles, self.types, skip=set())
                self.change("changed", self.mapped[k], fields, note="ключ строки изменён")
                gone.remove(k)
                came.remove(other)

    def _form(self) -> None:
        """No row changed: the rows' order, or the file's form (quotes, blank lines, line ends)."""
        where = f"{self.title} ({self.table}.csv)"
        if [k for k in self.order if k in self.new.rows] != [k for k in self.new.order if k in self.mapped]:
            label = "порядок строк изменился (так их покажет файл для скачивания)"
            self.out.append(Change("reordered", where, label, file=self.table))
        elif not self.moved_refs:
            label = "изменилось оформление файла (кавычки, пустые строки или переводы строк), значения те же"
            self.out.append(Change("reformatted", where, label, file=self.table))


def _middle(before: str, after: str) -> tuple[str, str]:
    """The part of two keys that differs, common beginning and end left out: «a-sh-01» → «a-school-01» gives
    («sh», «school»)."""
    start, end = _common_ends(before, after)
    while start and before[start - 1] not in SEPARATORS:  # whole words of the key, not a few letters
        start -= 1
    while end and before[len(before) - end] not in SEPARATORS:
        end -= 1
    return before[start : len(before) - end], after[start : len(after) - end]


def _common_ends(a: str, b: str) -> tuple[int, int]:
    """How many characters two texts share at their start, and then at their end (never overlapping the start)."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return start, end


def _school_group(sid: str, schools: dict[str, str]) -> str:
    return one_line(f"Школа «{schools.get(sid, sid)}» ({sid})")


def _label(table: str, cells: dict[str, str], pk: list[str], under_school: bool) -> str:
    parts = [cells.get(k, "").strip() for k in pk if not (under_school and k == "school_id")]
    if table == "schools" and under_school:
        return "карточка школы"
    return (" · ".join(p for p in parts if p) + _descr(table, cells, pk)).strip()


def _descr(table: str, cells: dict[str, str], pk: list[str]) -> str:
    field = next((f for f in DESCRIPTIVE if f in cells and f not in pk), None)
    text = one_line(cells.get(field, "").strip()) if field else ""
    return f" «{text[:60]}…»" if len(text) > 60 else f" «{text}»" if text else ""


def _filled(table, cells, titles, types, pk) -> list[Field]:
    """The filled cells of an added or removed row (its key is its label)."""
    out = []
    shown = _result_shown(cells) if table == "results" else None
    for name, value in cells.items():
        if name in pk or not value.strip() or (shown is not None and name in RESULT_VALUE):
            continue
        text = _show(types.get(name, "string"), value)
        out.append(Field(one_line(titles.get(name, name)), "", text))
    if shown is not None:
        out.insert(0, Field("Значение", "", shown))
    return out


def _fields(table, old, new, titles, types, skip) -> list[Field]:
    """Each changed field: its title, old and new as a reviewer reads them."""
    names = [n for n in dict.fromkeys([*old, *new]) if n not in skip and old.get(n, "") != new.get(n, "")]
    value = _value_field(table, old, new, names)
    if value is not None:
        names = [n for n in names if n not in RESULT_VALUE]
    return ([] if value is None else [value]) + [_field(name, old, new, titles, types) for name in names]


def _value_field(table: str, old: dict[str, str], new: dict[str, str], names: list[str]) -> Field | None:
    """A result's value as the site shows it (a hidden one is «скрыто» on its side), when one of the fields it is
    made of changed and the shown text with it."""
    if table != "results" or not any(n in RESULT_VALUE for n in names):
        return None
    a, b = _result_shown(old), _result_shown(new)
    return Field("Значение", a, b) if a != b else None


def _field(name: str, old: dict[str, str], new: dict[str, str], titles: dict, types: dict) -> Field:
    """One changed field: formatted old and new values, or the texts (around the change) where they read alike."""
    kind = types.get(name, "string")
    a, b = _show(kind, old.get(name, "")), _show(kind, new.get(name, ""))
    if a == b or kind == "string":
        a, b = _excerpts(old.get(name, ""), new.get(name, ""))
    return Field(one_line(titles.get(name, name)), a, b)


def _result_shown(cells: dict[str, str]) -> str:
    value, text = _number(cells.get("value", "")), cells.get("value", "")
    if value is None and text.strip():  # invalid data: what is written (a hidden one is blanked by protection)
        return f"{_quote(text)} (не число)"
    missing = cells.get("value_missing", "").strip() or None
    return result_text(value, cells.get("unit", "").strip(), missing, written_decimals(text))


def _number(text: str):
    try:
        return float(text.strip()) if text.strip() else None
    except ValueError:
        return None


def _show(kind: str, text: str) -> str:
    """A cell as a reviewer reads it: numbers with a decimal comma, dates in words, texts in «»; empty → «пусто»."""
    if kind == "integer" and _number(text) is not None and _number(text).is_integer():
        return str(int(_number(text)))  # a year, an order: as written, never «2 021»
    if kind == "number" and _number(text) is not None:
        return fmt.number(_number(text), 6)
    if kind == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        try:
            return fmt.date(text.strip())
        except ValueError:
            pass
    return _quote(text[:LONG] + ("…" if len(text) > LONG else ""))


def _quote(text: str) -> str:
    return f"«{one_line(text)}»" if text else "пусто"


def _excerpts(old: str, new: str) -> tuple[str, str]:
    """Both texts in «» (spaces kept visible inside), or for long ones the part around the change (… where cut)."""
    if len(old) <= LONG and len(new) <= LONG:
        return _quote(old), _quote(new)
    start, end = _common_ends(old, new)
    lo = max(0, start - CONTEXT)

    def cut(text):
        hi = min(len(text), len(text) - end + CONTEXT)
        return _quote(("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else ""))

    return cut(old), cut(new)


LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """Line breaks inside a value shown as «↵»: a value never starts a line of the output."""
    return LINE_BREAKS.sub(" ↵ ", text)


def _ordered(changes: list[Change], schools: dict[str, str]) -> list[Change]:
    """Tables in the package's order first, then schools by name; within a group, the order made."""
    groups = list(dict.fromkeys(c.group for c in changes if not c.group.startswith("Школа «")))
    school_groups = sorted({c.group for c in changes if c.group.startswith("Школа «")})
    rank = {g: i for i, g in enumerate(groups + school_groups)}
    return sorted(changes, key=lambda c: rank[c.group])

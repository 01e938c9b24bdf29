"""Business rules a Table Schema cannot express: one small function each, all run, every problem kept."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator

import pandas as pd

from . import indicator_values
from .load import LINE, Dataset
from .problems import Problem

CHECKS: list[Callable[[Dataset], Iterator[Problem]]] = []

UNIT_RANGES = {"доля": (0, 1), "процент": (0, 100), "оценка": (2, 5), "балл": (0, 100), "человек": (0, None)}
METRIC_UNITS = {"средний балл": {"балл"}, "средняя оценка": {"оценка"}, "число участников": {"человек"}}


def check(fn):
    CHECKS.append(fn)
    return fn


def _p(table: str, row, field: str | None, code: str, message: str, value=None) -> Problem:
    line = None if row is None or pd.isna(row[LINE]) else int(row[LINE])
    return Problem(f"data/{table}.csv", line, field, code, message, None if value is None else str(value))


def run(ds: Dataset) -> list[Problem]:
    return [p for fn in CHECKS for p in fn(ds)]


@check
def one_municipality(ds):
    n = len(ds["municipality"])
    if n != 1 and "municipality" in ds.tables:
        yield Problem("data/municipality.csv", None, None, "municipality-rows",
                      f"в таблице должна быть ровно одна строка (сейчас {n}).")


@check
def result_value_or_reason(ds):
    for _, r in ds["results"].iterrows():
        has_value, has_reason = pd.notna(r["value"]), pd.notna(r["value_missing"])
        if not has_value and not has_reason:
            yield _p("results", r, "value", "missing-reason",
                     "значение пусто, а причина не указана. Заполните value или укажите в value_missing, почему "
                     "значения нет (не проводилось, нет участников, скрыто, нет данных). Не пишите 0 вместо пропуска.")
        elif has_value and has_reason:
            yield _p("results", r, "value_missing", "value-and-reason",
                     f"указаны и значение {r['value']}, и причина его отсутствия «{r['value_missing']}». Оставьте одно.")


@check
def result_value_in_unit_range(ds):
    for _, r in ds["results"].iterrows():
        lo, hi = UNIT_RANGES.get(r["unit"], (None, None))
        v = r["value"]
        if pd.isna(v) or lo is None:
            continue
        if v < lo or (hi is not None and v > hi):
            span = f"от {lo} до {hi}" if hi is not None else f"не меньше {lo}"
            hint = " Если это процент, укажите unit «процент»." if r["unit"] == "доля" and v <= 100 else ""
            yield _p("results", r, "value", "out-of-range",
                     f"значение {v:g} вне допустимого для единицы «{r['unit']}» ({span}).{hint}", v)


@check
def result_unit_fits_metric(ds):
    for _, r in ds["results"].iterrows():
        metric, unit = r["metric"], r["unit"]
        allowed = METRIC_UNITS.get(metric, {"доля", "процент"} if str(metric).startswith("доля") else None)
        if allowed and pd.notna(unit) and unit not in allowed:
            yield _p("results", r, "unit", "unit-mismatch",
                     f"показатель «{metric}» измеряется в единицах: {', '.join(sorted(allowed))}, а указано «{unit}».",
                     unit)


@check
def activity_dates_ordered(ds):
    for _, r in ds["activities"].iterrows():
        if pd.notna(r["start_date"]) and pd.notna(r["end_date"]) and r["end_date"] < r["start_date"]:
            yield _p("activities", r, "end_date", "end-before-start",
                     f"дата окончания {r['end_date']:%Y-%m-%d} раньше даты начала {r['start_date']:%Y-%m-%d}.",
                     f"{r['end_date']:%Y-%m-%d}")


@check
def school_activity_names_school(ds):
    for _, r in ds["activities"].iterrows():
        if r["level"] == "школьный" and pd.isna(r["school_id"]):
            yield _p("activities", r, "school_id", "school-required",
                     "у школьного мероприятия не указана школа. Впишите school_id или выберите уровень «муниципальный».")


@check
def programme_years_ordered(ds):
    for _, r in ds["programmes"].iterrows():
        if pd.notna(r["start_year"]) and pd.notna(r["end_year"]) and r["end_year"] < r["start_year"]:
            yield _p("programmes", r, "end_year", "end-before-start",
                     f"последний год {r['end_year']} раньше первого {r['start_year']}.", r["end_year"])


@check
def branch_parent_is_school(ds):
    schools = ds["schools"]
    branches = set(schools.loc[schools["branch_of"].notna(), "school_id"])
    for _, r in schools[schools["branch_of"].notna()].iterrows():
        if r["branch_of"] == r["school_id"]:
            yield _p("schools", r, "branch_of", "branch-of-itself", "школа указана филиалом самой себя.", r["branch_of"])
        elif r["branch_of"] in branches:
            yield _p("schools", r, "branch_of", "branch-of-branch",
                     f"«{r['branch_of']}» сама является филиалом; укажите головную организацию.", r["branch_of"])


@check
def one_partner_group_per_school(ds):
    members = ds["partner_group_members"]
    seen: dict[str, str] = {}
    for _, r in members.iterrows():
        first = seen.setdefault(r["school_id"], r["group_id"])
        if first != r["group_id"]:
            yield _p("partner_group_members", r, "school_id", "school-in-two-groups",
                     f"школа «{r['school_id']}» уже входит в группу «{first}». Школа может быть только в одной группе.",
                     r["school_id"])


@check
def classification_value_or_reason(ds):
    for _, r in ds["classifications"].iterrows():
        for group, level, missing, title in (("quality_group", "quality_level", "quality_missing", "группа качества"),
                                             ("isbsh_group", "isbsh_level", "isbsh_missing", "группа по ИСБШ")):
            has_group, has_reason = pd.notna(r[group]), pd.notna(r[missing])
            if has_group == has_reason:
                what = "указаны и номер, и причина его отсутствия" if has_group else "не указаны ни номер, ни причина"
                yield _p("classifications", r, group, "group-or-reason",
                         f"{title}: {what}. Заполните ровно одно из «{group}» и «{missing}».")
            elif has_reason and pd.notna(r[level]):
                yield _p("classifications", r, level, "level-without-group",
                         f"{title}: уровень указан, а группы нет. Уберите уровень или укажите группу.", r[level])


@check
def exclusion_has_reason(ds):
    for _, r in ds["list_membership"].iterrows():
        if r["status"] == "исключена" and pd.isna(r["reason"]):
            yield _p("list_membership", r, "reason", "reason-required",
                     "школа исключена из списка, а основание не указано. Впишите обоснование исключения.")


@check
def partnership_names_partner(ds):
    for _, r in ds["partnerships"].iterrows():
        if pd.isna(r["partner_school_id"]) and pd.isna(r["partner_name"]):
            yield _p("partnerships", r, "partner_name", "partner-required",
                     "не указан партнёр: заполните partner_school_id (школа из списка) или partner_name.")


@check
def indicator_parent_is_sound(ds):
    ind = ds["indicators"].set_index("indicator_id", drop=False)
    for _, r in ind[ind["parent_id"].notna()].iterrows():
        if r["parent_id"] == r["indicator_id"]:
            yield _p("indicators", r, "parent_id", "parent-is-self", "показатель указан родителем самого себя.",
                     r["parent_id"])
        elif r["parent_id"] in ind.index and ind.loc[r["parent_id"], "task_id"] != r["task_id"]:
            yield _p("indicators", r, "parent_id", "parent-other-task",
                     "родительский показатель относится к другой задаче. Подпоказатель должен быть в той же задаче.",
                     r["parent_id"])


@check
def indicator_targets_every_year(ds):
    yield from indicator_values.coverage_problems(ds, _p)


@check
def indicator_values_fit_unit(ds):
    yield from indicator_values.value_problems(ds, _p)


@check
def document_file_and_checksum(ds):
    for _, r in ds["documents"].iterrows():
        if pd.isna(r["file"]):
            continue
        path = ds.project.content / r["file"]
        if ".." in str(r["file"]).split("/") or not path.is_file():
            yield _p("documents", r, "file", "file-not-found",
                     f"файл content/{r['file']} не найден. Положите документ в папку content/documents/ "
                     "или исправьте путь.", r["file"])
        elif pd.isna(r["sha256"]):
            yield _p("documents", r, "sha256", "checksum-required",
                     f"у документа с файлом нет контрольной суммы. Впишите: {_sha256(path)}.")
        elif _sha256(path) != r["sha256"]:
            yield _p("documents", r, "sha256", "checksum-mismatch",
                     f"контрольная сумма не совпадает с файлом: файл изменён или указан не тот. "
                     f"Сумма файла сейчас {_sha256(path)}; если замена файла законна, впишите её.", r["sha256"])


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


PERSON = re.compile(r"\b[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.|\b[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]{2,}")
CONSENT = "согласие"


@check
def no_personal_names(ds):
    """Teachers and officials by role: a «Фамилия И.О.» needs consent recorded in the row's note."""
    for name in ds.present:
        frame = ds[name]
        texts = [c for c in frame.columns if c not in (LINE, "note") and frame[c].dtype == object]
        for _, r in frame.iterrows():
            if isinstance(r.get("note"), str) and CONSENT in r["note"].lower():
                continue
            for col in texts:
                m = PERSON.search(r[col]) if isinstance(r[col], str) else None
                if m:
                    yield _p(name, r, col, "personal-data",
                             f"похоже на фамилию с инициалами: «{m.group(0)}». Указывайте должность, а не ФИО; "
                             f"если есть письменное согласие на публикацию, запишите в note «{CONSENT} на публикацию ФИО».",
                             m.group(0))

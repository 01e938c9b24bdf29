"""Schools, their lists, groups and partners."""

from __future__ import annotations

import pandas as pd

from kachestvo import vocabulary
from kachestvo.dataset import LINE
from kachestvo.validate.checks.rule import check, problem
from kachestvo.validate.problems import Problem


@check
def one_municipality(ds):
    """A municipal project has one row (none yet in a new project: the site then names no municipality);
    a region's project one «регион» row and its municipalities."""
    if "municipality" not in ds.tables:
        return
    m = ds["municipality"]
    regions = m[m["kind"] == "регион"]
    if regions.empty and len(m) > 1:
        yield Problem(
            "data/municipality.csv",
            None,
            None,
            "municipality-rows",
            f"в таблице должна быть одна строка — муниципалитет этого сайта (сейчас {len(m)}). Оставьте одну; "
            "для проекта региона отметьте строку самого региона значением «регион» в столбце «kind».",
        )
    elif len(regions) > 1:
        for _, r in regions.iloc[1:].iterrows():
            yield problem(
                "municipality", r, "kind", "region-rows", "строка «регион» может быть только одна: оставьте одну.", r["kind"]
            )
    elif len(regions) == 1 and len(m) == 1:
        yield Problem(
            "data/municipality.csv",
            None,
            None,
            "region-without-municipalities",
            "в проекте региона нет ни одного муниципалитета: добавьте строки муниципалитетов или уберите «регион».",
        )


@check
def school_municipality(ds):
    """In a region's project every school names its municipality, and never the region row itself."""
    m = ds["municipality"]
    region_ids = set(m.loc[m["kind"] == "регион", "municipality_id"])
    if not region_ids:
        return
    for _, r in ds["schools"].iterrows():
        if pd.isna(r["municipality_id"]):
            yield problem(
                "schools",
                r,
                "municipality_id",
                "school-municipality-required",
                "в проекте региона у школы должен быть указан муниципалитет: впишите идентификатор из municipality.csv.",
            )
        elif r["municipality_id"] in region_ids:
            yield problem(
                "schools",
                r,
                "municipality_id",
                "school-in-region-row",
                "указан сам регион, а не муниципалитет: впишите идентификатор муниципалитета школы.",
                r["municipality_id"],
            )


@check
def branch_parent_is_school(ds):
    schools = ds["schools"]
    branches = set(schools.loc[schools["branch_of"].notna(), "school_id"])
    for _, r in schools[schools["branch_of"].notna()].iterrows():
        if r["branch_of"] == r["school_id"]:
            yield problem(
                "schools",
                r,
                "branch_of",
                "branch-of-itself",
                "школа указана филиалом самой себя. Оставьте ячейку «Филиал организации» пустой или укажите головную школу.",
                r["branch_of"],
            )
        elif r["branch_of"] in branches:
            yield problem(
                "schools",
                r,
                "branch_of",
                "branch-of-branch",
                f"«{r['branch_of']}» сама является филиалом; укажите головную организацию.",
                r["branch_of"],
            )


@check
def one_partner_group_per_school(ds):
    members = ds["partner_group_members"]
    seen: dict[str, str] = {}
    for _, r in members.iterrows():
        first = seen.setdefault(r["school_id"], r["group_id"])
        if first != r["group_id"]:
            yield problem(
                "partner_group_members",
                r,
                "school_id",
                "school-in-two-groups",
                f"школа «{r['school_id']}» уже входит в группу «{first}». "
                "Школа может быть только в одной группе: удалите лишнюю строку.",
                r["school_id"],
            )


@check
def classification_value_or_reason(ds):
    for _, r in ds["classifications"].iterrows():
        for group, level, missing, title in (
            ("quality_group", "quality_level", "quality_missing", "группа качества"),
            ("isbsh_group", "isbsh_level", "isbsh_missing", "группа по ИСБШ"),
        ):
            has_group, has_reason = pd.notna(r[group]), pd.notna(r[missing])
            if has_group == has_reason:
                what = "указаны и номер, и причина его отсутствия" if has_group else "не указаны ни номер, ни причина"
                yield problem(
                    "classifications",
                    r,
                    group,
                    "group-or-reason",
                    f"{title}: {what}. Заполните ровно одно из «{group}» и «{missing}».",
                )
            elif has_reason and pd.notna(r[level]):
                yield problem(
                    "classifications",
                    r,
                    level,
                    "level-without-group",
                    f"{title}: уровень указан, а группы нет. Уберите уровень или укажите группу.",
                    r[level],
                )


@check
def exclusion_has_reason(ds):
    for _, r in ds["list_membership"].iterrows():
        if r["status"] == vocabulary.EXCLUDED and pd.isna(r["reason"]):
            yield problem(
                "list_membership",
                r,
                "reason",
                "reason-required",
                "школа исключена из списка, а основание не указано. Впишите обоснование исключения.",
            )


@check
def partnership_names_partner(ds):
    for _, r in ds["partnerships"].iterrows():
        if pd.isna(r["partner_school_id"]) and pd.isna(r["partner_name"]):
            yield problem(
                "partnerships",
                r,
                "partner_name",
                "partner-required",
                "не указан партнёр: заполните partner_school_id (школа из списка) или partner_name.",
            )


@check
def list_sizes_hold_together(ds):
    """A list's stated size: its shared schools name another list of the same year, fit in both, and the schools the
    data names on the list that year are no more than the size."""
    sizes = ds["list_sizes"]
    stated = {(r["list"], r["year"]): r["schools"] for _, r in sizes.iterrows()}
    on = ds["list_membership"][ds["list_membership"]["status"] == vocabulary.INCLUDED]
    named = on.groupby(["list", "year"])["school_id"].nunique().to_dict() if not on.empty else {}
    for _, r in sizes.iterrows():
        if pd.isna(r["schools"]):
            continue
        if named.get((r["list"], r["year"]), 0) > r["schools"]:
            yield problem(
                "list_sizes",
                r,
                "schools",
                "list-size",
                f"в списке «{r['list']}» за {r['year']} год указано {r['schools']}, а в list_membership.csv включено "
                f"{named[(r['list'], r['year'])]}. Проверьте численность по источнику.",
                r["schools"],
            )
        yield from _shared_schools(r, stated)


def _shared_schools(r, stated: dict[tuple, int]):
    """The schools a list shares with another: both columns or neither, another list of the same year, no more than
    either list holds."""
    shared, other = r["shared"], r["shared_with"]
    if pd.isna(shared) != pd.isna(other):
        yield problem(
            "list_sizes",
            r,
            "shared",
            "list-size",
            "заполните оба столбца «shared_with» и «shared» (с каким списком и сколько общих школ) или ни одного.",
        )
    elif pd.isna(other):
        return
    elif other == r["list"] or (other, r["year"]) not in stated:
        yield problem(
            "list_sizes",
            r,
            "shared_with",
            "list-size",
            f"общие школы указаны со списком «{other}», а его строки за {r['year']} год нет "
            "(или это тот же список). Добавьте строку этого списка или исправьте название.",
            other,
        )
    elif shared > min(r["schools"], stated[(other, r["year"])] or 0):
        yield problem(
            "list_sizes",
            r,
            "shared",
            "list-size",
            f"общих школ ({shared}) больше, чем школ в одном из списков. Проверьте численность по источнику.",
            shared,
        )


@check
def school_named_twice(ds):
    """Two rows with the same full name in one municipality are most likely one school entered twice (a changed
    identifier imported as a new row): its page would appear twice. A warning: the source may truly name two."""
    schools = ds["schools"]
    names = schools["full_name"].fillna("").str.lower().str.split().str.join(" ")
    municipality = schools["municipality_id"].where(schools["municipality_id"].map(lambda v: isinstance(v, str)), "")
    repeated = pd.DataFrame({"municipality": municipality, "name": names}).duplicated(keep=False) & (names != "")
    first: dict[tuple, pd.Series] = {}
    for i in repeated[repeated].index:  # whole columns first: only rows whose name comes again are looked at
        r, key = schools.loc[i], (municipality[i], names[i])
        earlier = first.setdefault(key, r)
        if earlier is r:
            continue
        yield problem(
            "schools",
            r,
            "full_name",
            "school-named-twice",
            f"школа «{r['full_name']}» уже записана в строке {earlier[LINE]} (идентификатор «{earlier['school_id']}»), "
            f"здесь — под идентификатором «{r['school_id']}». Если это одна школа, оставьте одну строку и исправьте "
            "идентификатор во всех таблицах; если разные — уточните название.",
            r["full_name"],
        )

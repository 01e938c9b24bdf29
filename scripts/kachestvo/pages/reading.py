"""Как читать эти данные: what each assessment is and its scale, what a missing value means, the rules of a school's
standing, of indicator direction, status and progress (thresholds from indicator_values), of comparison and of
provenance, why trends and not rankings, and how to check a figure against its document.
Assessments present in the data come first."""

from __future__ import annotations

from kachestvo import config, fmt, indicator_values, standing, vocabulary
from kachestvo.pages.context import Context
from kachestvo.pages.render import section_page
from kachestvo.pages.section import Section
from kachestvo.vocabulary import LOW_RESULT_LISTS

# Assessment → (what it is, how its results are expressed). The scales are those of the results schema's units.
ASSESSMENTS = {
    vocabulary.VPR: (
        "Всероссийские проверочные работы: контрольные работы по предметам в 4–8 и 11 классах, которые пишут "
        "в своей школе. Они показывают школе и учителю, что усвоено, а что нет; для аттестата не учитываются.",
        "отметки от 2 до 5 (средняя отметка) и доли учащихся с отметками «4 и 5» или «2» — от 0 до 100 %",
    ),
    vocabulary.OGE: (
        "Основной государственный экзамен в 9 классе: итоговая аттестация за основную школу.",
        "отметки от 2 до 5 (средняя оценка) и доли — от 0 до 100 %",
    ),
    vocabulary.EGE: (
        "Единый государственный экзамен в 11 классе: итоговая аттестация за среднюю школу и вступительное испытание в вузы.",
        "тестовые баллы от 0 до 100 (средний балл) и доли — от 0 до 100 %; по базовой математике — отметки от 2 до 5",
    ),
    vocabulary.GVE: (
        "Государственный выпускной экзамен: форма итоговой аттестации для отдельных категорий выпускников "
        "(например, с ограниченными возможностями здоровья).",
        "отметки от 2 до 5",
    ),
    vocabulary.KDR: (
        "Краевая (региональная) диагностическая работа: проверка, которую проводит регион.",
        "баллы или доли учащихся, достигших уровня, — как указано в строке данных",
    ),
}


def build(ctx: Context, site, env, section: Section) -> None:
    present = set(ctx.ds["results"]["assessment"].dropna()) if ctx.ds.has("results") else set()
    assessments = [
        dict(name=name, what=what, scale=scale, present=name in present)
        for name, (what, scale) in sorted(ASSESSMENTS.items(), key=lambda kv: kv[0] not in present)
    ]
    min_group = config.settings(ctx.ds.descriptor)["min_group"]
    used = set(ctx.ds["list_membership"]["list"].dropna()) if ctx.ds.has("list_membership") else set()  # name only these
    section_page(
        site,
        env,
        section,
        assessments=assessments,
        min_group=min_group,
        low_lists=", ".join(f"«{name}»" for name in LOW_RESULT_LISTS if name in used),
        low_groups=", ".join(f"«{name}»" for name in standing.LOW_RESULT_GROUPS),
        substantial=fmt.number(indicator_values.SUBSTANTIAL * 100, 0),
        still=fmt.number(indicator_values.STILL * 100, 0),
    )


SECTION = Section(
    "kak-chitat",
    "Как читать эти данные",
    "что значат оценочные процедуры, шкалы и пропуски; как проверить цифру по документу",
    ("results", "documents"),
    "reading.md.j2",
    build,
    always=True,
)

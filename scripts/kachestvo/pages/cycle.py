"""Управленческий цикл: each step a reviewer checks, mapped to the section that covers it."""

from __future__ import annotations

from kachestvo.pages import registry
from kachestvo.pages.context import Context
from kachestvo.pages.registry import ALL, Section
from kachestvo.pages.render import section_page

# step, what it means, the tables whose data covers it, the section (slug) that shows them
STEPS = [
    ("Цели", "цели и задачи программы", ("programmes", "passport", "tasks"), "programma"),
    ("Показатели", "показатели с плановыми значениями по годам", ("indicators", "indicator_values"), "programma"),
    ("Методы сбора информации", "критерии идентификации и мониторинга, анкеты", ("criteria", "questionnaires"), "resheniya"),
    ("Мониторинг", "результаты оценочных процедур по годам, группы школ", ("results", "classifications"), "rezultaty"),
    (
        "Анализ",
        "динамика результатов, идентификация по кластерам, производные показатели",
        ("results", "classifications"),
        "rezultaty",
    ),
    ("Адресные рекомендации", "рекомендации ШНОР и ШНСУ", ("recommendations",), "resheniya"),
    (
        "Меры",
        "мероприятия муниципалитета и школ, дорожная карта, партнёрство",
        ("activities", "roadmap", "partner_groups", "partnerships"),
        "meropriyatiya",
    ),
    ("Управленческие решения", "решения заседаний, приказы", ("decisions", "meetings"), "resheniya"),
    (
        "Анализ эффективности",
        "достижение показателей, исключение школ из списков с обоснованием",
        ("indicator_values", "list_membership"),
        "programma",
    ),
]


def build(ctx: Context, site, env, section: Section) -> None:
    published = {s.slug: s for s in registry.published(ctx.ds)}
    rows = []
    for step, meaning, tables, slug in STEPS:
        have = [t for t in tables if ctx.ds.has(t)]
        target = published.get(slug)
        rows.append(
            dict(
                step=step,
                meaning=meaning,
                covered=bool(have) and target is not None,
                title=target.title if target else "",
                url=f"{slug}/",
                tables=", ".join(f"{t}.csv" for t in have),
            )
        )
    section_page(site, env, section, rows=rows)


SECTION = Section(
    "cikl", "Управленческий цикл", "где на сайте каждый шаг управленческого цикла", ALL, "cycle.md.j2", build, always=True
)

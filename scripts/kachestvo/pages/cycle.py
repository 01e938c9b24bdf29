"""Управленческий цикл: each step a reviewer checks, mapped to the section that covers it."""

from __future__ import annotations

from markupsafe import Markup

from kachestvo import schemas
from kachestvo.pages import data as open_data
from kachestvo.pages.context import Context
from kachestvo.pages.render import root_of, section_page
from kachestvo.pages.section import ALL, Section
from kachestvo.pages.table import Column, Table

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
    published = {s.slug: s for s in ctx.sections}
    root = root_of(section.path)

    def where(r: dict) -> Markup:
        target = published.get(r["slug"])
        if target is None or not r["tables"]:
            return Markup('<span class="kq-missing">данных пока нет</span>')
        return Markup('<a href="{}{}/">{}</a>').format(root, r["slug"], target.title)

    def data(r: dict) -> Markup:
        """The tables by their Russian titles, each linked to its description and download on the open-data page."""
        names = [schemas.schema(t)["title"] for t in r["tables"]]
        slug = open_data.SECTION.slug
        if slug not in published:
            return Markup(", ").join(names)
        link = Markup('<a href="{}{}/#{}">{}</a>')
        return Markup(", ").join(link.format(root, slug, t, name) for t, name in zip(r["tables"], names))

    records = [
        dict(n=n, step=step, meaning=meaning, slug=slug, tables=[t for t in tables if ctx.ds.has(t)])
        for n, (step, meaning, tables, slug) in enumerate(STEPS, 1)
    ]
    steps = Table(
        [
            Column("Шаг", lambda r: Markup("<strong>{}. {}</strong>").format(r["n"], r["step"])),
            Column("Что это", lambda r: r["meaning"]),
            Column("Где смотреть", where),
            Column("Данные", data),
        ],
        records,
        caption="Шаги управленческого цикла и страницы сайта",
    )
    section_page(site, env, section, steps=steps)


SECTION = Section(
    "cikl", "Управленческий цикл", "где на сайте каждый шаг управленческого цикла", ALL, "cycle.md.j2", build, always=True
)

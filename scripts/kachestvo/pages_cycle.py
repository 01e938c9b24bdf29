"""Управленческий цикл: each step a reviewer checks, mapped to the pages that cover it."""
from __future__ import annotations

from .context import Context
from .render import page

# step, what it means, the tables whose data covers it, the page (nav path) that shows them
STEPS = [
    ("Цели", "цели и задачи программы", ("programmes", "passport", "tasks"), "programma/index.md"),
    ("Показатели", "показатели с плановыми значениями по годам", ("indicators", "indicator_values"), "programma/index.md"),
    ("Методы сбора информации", "критерии идентификации и мониторинга, анкеты",
     ("criteria", "questionnaires"), "resheniya/index.md"),
    ("Мониторинг", "результаты оценочных процедур по годам, группы школ",
     ("results", "classifications"), "rezultaty/index.md"),
    ("Анализ", "динамика результатов, идентификация по кластерам, производные показатели",
     ("results", "classifications"), "rezultaty/index.md"),
    ("Адресные рекомендации", "рекомендации ШНОР и ШНСУ", ("recommendations",), "resheniya/index.md"),
    ("Меры", "мероприятия муниципалитета и школ, дорожная карта, партнёрство",
     ("activities", "roadmap", "partner_groups", "partnerships"), "meropriyatiya/index.md"),
    ("Управленческие решения", "решения заседаний, приказы", ("decisions", "meetings"), "resheniya/index.md"),
    ("Анализ эффективности", "достижение показателей, исключение школ из списков с обоснованием",
     ("indicator_values", "list_membership"), "programma/index.md"),
]


def build(ctx: Context, site, env) -> None:
    published = set(site.pages)
    titles = {path: title for title, path in site.nav}
    rows = []
    for step, meaning, tables, path in STEPS:
        have = [t for t in tables if ctx.ds.has(t)]
        covered = bool(have) and path in published
        rows.append(dict(step=step, meaning=meaning, covered=covered, title=titles.get(path, ""),
                         url=path.removesuffix("index.md"), tables=", ".join(f"{t}.csv" for t in have)))
    page(site, env, "cikl/index.md", "cycle.md.j2", "набора опубликованных таблиц", rows=rows)
    site.nav.append(("Управленческий цикл", "cikl/index.md"))

"""From a validated, protected dataset to every generated page, asset and nav entry (no disk writes)."""
from __future__ import annotations

from . import (
    pages_activities,
    pages_cycle,
    pages_data,
    pages_decisions,
    pages_documents,
    pages_home,
    pages_programme,
    pages_results,
    pages_schools,
)
from .context import Context
from .load import Dataset
from .paths import TEMPLATES_DIR
from .render import Site, environment

BLURBS = {
    "programma/index.md": "паспорт, показатели с планом и фактом, дорожная карта",
    "shkoly/index.md": "все школы, их статус, группы и страницы школ",
    "rezultaty/index.md": "ВПР, ОГЭ, ЕГЭ, ГВЭ по годам, идентификация, производные показатели",
    "meropriyatiya/index.md": "что сделали муниципалитет и школы",
    "resheniya/index.md": "заседания, решения, адресные рекомендации, критерии мониторинга",
    "dokumenty/index.md": "приказы, протоколы и программы с контрольными суммами",
    "otkrytye-dannye/index.md": "все таблицы для скачивания и словарь полей",
    "cikl/index.md": "где на сайте каждый шаг управленческого цикла",
}
STATIC = ("kachestvo.css", "tables.js")


def generate(ds: Dataset, suppressed: dict[str, set[int]]) -> tuple[Site, Context]:
    site, env, ctx = Site(), environment(), Context(ds)
    for module in (pages_programme, pages_schools, pages_results, pages_activities, pages_decisions,
                   pages_documents):
        module.build(ctx, site, env)
    pages_data.build(ctx, site, env, suppressed)
    pages_cycle.build(ctx, site, env)
    sections = [("Главная", "index.md", "")] + [
        (title, path.removesuffix("index.md"), BLURBS.get(path, "")) for title, path in site.nav]
    pages_home.build(ctx, site, env, sections)
    site.nav.insert(0, ("Главная", "index.md"))
    for name in STATIC:
        site.assets[f"assets/{name}"] = (TEMPLATES_DIR / name).read_bytes()
    site.charts = ctx.charts
    return site, ctx

"""Russian that reads right on every example site: number agreement, no double dots, titles without repetition."""

from __future__ import annotations

import re

import pytest

from conftest import PROJECTS, each_example
from htmltext import Page
from kachestvo import fmt

pytestmark = pytest.mark.e2e
NAMES = each_example()
# «из 3 школ», «для 21 школ…»: a preposition that governs the genitive makes the plural genitive right
GENITIVE_PREPOSITIONS = {"из", "для", "до", "от", "у", "около", "более", "менее", "свыше", "среди", "без", "кроме", "после"}


def disagreements(text: str | list[str]) -> list[str]:
    """«3 школ», «1 документов», «22 общеобразовательных организаций»: a count ending in 1–4 (not 11–14) whose noun
    (after any adjectives) is a plural genitive."""
    out = []
    # text nodes joined by \x00: a number and its noun may sit in different elements («<strong>3</strong> школ»),
    # a governing word before the number only counts within the number's own node
    nodes = [text] if isinstance(text, str) else text
    joined = "\x00".join(" ".join(t.split()) for t in nodes)
    for m in re.finditer(r"(?:(?<=[\s\x00])|^)(?:([а-яё]+) )?(\d+)[ \u00a0\x00]+((?:[а-яё]+[ \x00]?){1,4})", joined, re.I):
        before, n = (m.group(1) or "").lower(), int(m.group(2))
        if m.start(2) > 0 and joined[m.start(2) - 1] in "–—-.,:/":
            continue  # ranges «2019–2021 годов», dates, decimals
        if n % 10 not in (1, 2, 3, 4) or 11 <= n % 100 <= 14 or before in GENITIVE_PREPOSITIONS:
            continue
        if before and _is("NOUN", before):
            continue  # the whole phrase in the genitive: «взаимодействия 22 общеобразовательных организаций»
        words = m.group(3).replace("\x00", " ").split()
        for i, word in enumerate(words):
            if word.isupper():
                break  # an abbreviation (НОШ, СОШ) does not inflect
            parses = [p for p in fmt._morph().parse(word.lower()) if p.tag.POS == "NOUN"]
            if parses:
                if all({"gent", "plur"} <= p.tag.grammemes for p in parses):
                    out.append(f"{n} " + " ".join(words[: i + 1]))
                break
            if not _is("ADJF", word):
                break
    return out


def _is(pos: str, word: str) -> bool:
    return any(p.tag.POS == pos for p in fmt._morph().parse(word.lower()))


def test_disagreement_finder_catches_the_issue_examples():
    bad = "3 школ с данными; 1 документов-источников; 22 общеобразовательных организаций"
    assert disagreements(bad) == ["3 школ", "1 документов", "22 общеобразовательных организаций"]
    good = "1 школа, 3 школы, 5 школ, 11 школ, 21 документ, из 3 школ, в 2019–2021 годов, 4 и 5, работа 22 организаций"
    assert disagreements(good) == []
    assert disagreements(["в муниципалитете", "3", "школ с данными"]) == ["3 школ"]


def _pages(site):
    for path in sorted(site.rglob("*.html")):
        yield path, Page(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", NAMES)
def test_numbers_agree_and_no_double_dots(built, name):
    site = built(name).site
    for path, page in _pages(site):
        assert disagreements(page.texts) == [], path.relative_to(site)
        assert "г.." not in page.text, path.relative_to(site)


@pytest.mark.parametrize("name", NAMES)
def test_the_methodology_page_keeps_a_number_and_its_unit_together(built, name):
    # every sentence of «Как читать эти данные» is the tool's own text: «50 %», «12 п. п.» never break at the unit
    text = Page((built(name).site / "kak-chitat" / "index.html").read_text(encoding="utf-8")).text
    assert "%" in text
    assert re.findall(r"\d[ \t\n]+(?:%|п\.)", text) == []


@pytest.mark.parametrize("name", NAMES)
def test_search_stems_russian(name):
    """Material's Russian defaults leave the stemmer out; every example's configuration puts it back."""
    import yaml

    text = (PROJECTS[name] / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.load(text, Loader=yaml.Loader)  # the file holds a !!python tag (toc slugify)
    search = next(p["search"] for p in config["plugins"] if isinstance(p, dict) and "search" in p)
    assert search["lang"] == "ru" and "stemmer" in search["pipeline"]


@pytest.mark.parametrize("name", NAMES)
def test_how_to_read_page_and_collapsed_notes(built, name):
    from kachestvo.dataset import load

    project = built(name)
    ds = load(project)
    page = Page((project.site / "kak-chitat" / "index.html").read_text(encoding="utf-8")).text
    for words in ("скрыто", "нет участников", "не проводилось", "контрольная сумма"):
        assert words in page, words
    for assessment in set(ds["results"]["assessment"]) if ds.has("results") else ():
        assert assessment in page
    data = (project.site / "otkrytye-dannye" / "index.html").read_text(encoding="utf-8")
    body = data[data.index("<article") :]
    assert body.index("data.xlsx") < body.index("Все данные сайта")  # the page starts with the downloads
    description = ds.descriptor.get("description")
    if description:
        from markupsafe import escape

        assert body.index("<summary>О данных</summary>") < body.index(str(escape(description)).split("<br>")[0][:40])
    for school_id in ds["schools"].dropna(subset=["note"])["school_id"]:
        html = (project.site / "shkoly" / school_id / "index.html").read_text(encoding="utf-8")
        assert "<summary>О данных</summary>" in html, school_id

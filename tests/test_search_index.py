"""The search index in parts: every word of every indexed section is reachable from its prefix file, and leads to a
section whose title or text holds it; the first download (the page list) carries no text."""

from __future__ import annotations

import functools
import json
import re

import pytest

from conftest import each_example
from kachestvo.output import search

SEPARATOR = r'[\s\-–—.,;:!?«»"()\[\]/№]+'


def _site(tmp_path, docs):
    path = tmp_path / "search" / "search_index.json"
    path.parent.mkdir(parents=True)
    config = {"lang": ["ru"], "separator": SEPARATOR, "pipeline": ["stemmer", "stopWordFilter"]}
    path.write_text(json.dumps({"config": config, "docs": docs}, ensure_ascii=False), encoding="utf-8")
    return path


@functools.lru_cache(maxsize=4096)
def _read(path, mtime_ns: int):
    """A JSON file of the split index, read once per version (a lookup of every word reads the same files often)."""
    return json.loads(path.read_text(encoding="utf-8"))


def _json(path):
    return _read(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=None)
def _title_words(title: str) -> set[str]:
    return search.words(title, re.compile(SEPARATOR))


def _lookup(site, word: str) -> list[tuple[str, str, str]]:
    """(page, section title, section text) of every section the prefix files list for a word."""
    index = _json(site / search.INDEX)
    name = search.shard_name(word)
    if name not in index["shards"]:
        return []
    shard = _json(site / search.TERMS / f"{name}.json")
    out = []
    for posting in search.postings(shard.get(word, [])):
        page, section = divmod(posting // 2, search.SECTIONS)
        sections = _json(site / search.PAGES / f"{page}.json")
        anchor, title, text = sections[section]
        assert (word in _title_words(title)) == bool(posting % 2), (word, title)
        out.append((index["docs"][page]["location"], title, text))
    return out


def test_every_word_of_every_section_is_found_in_its_section(tmp_path):
    cells = " ".join(f"ячейка{i}" for i in range(3000))
    docs = [
        {"location": "", "title": "Главная", "text": "<p>Коротко о районе.</p>"},
        {"location": "programma/", "title": "Программа", "text": ""},
        {"location": "programma/#карта", "title": "Дорожная карта", "text": "<td>Разработка нормативных документов</td>"},
        {"location": "rezultaty/", "title": "Результаты", "text": cells},
        {"location": "shkoly/alpha/", "title": "Альфа СОШ № 41", "text": ""},
        {"location": "shkoly/alpha/#о", "title": "О школе", "text": "<dl><dt>Уровень</dt><dd>СОШ</dd></dl> Ёлочка &amp; «ель»"},
        {"location": "shkoly/spisok/1/", "title": "Школы (часть 1)", "text": "Альфа СОШ № 41"},
    ]
    _site(tmp_path, docs)
    search.split(tmp_path)
    index = json.loads((tmp_path / search.INDEX).read_text(encoding="utf-8"))
    # the first download: pages by address and title, no text; the parts of the list of schools are left out
    assert [d["location"] for d in index["docs"]] == ["", "programma/", "rezultaty/", "shkoly/alpha/"]
    assert all(d["text"] == "" for d in index["docs"]) and index["config"]["separator"] == SEPARATOR
    assert len((tmp_path / search.INDEX).read_bytes()) < 600
    # the last of 3,000 cells is found as surely as the first (nothing is capped)
    assert [p for p, *_ in _lookup(tmp_path, "ячейка2999")] == ["rezultaty/"]
    (page, title, text) = _lookup(tmp_path, "нормативных")[0]
    assert (page, title, text) == ("programma/", "Дорожная карта", "Разработка нормативных документов")
    assert [(p, t) for p, t, _ in _lookup(tmp_path, "карта")] == [("programma/", "Дорожная карта")]  # in a title
    # glued cells are split apart, «ё» is folded, entities are text, numbers are words
    assert [t for _, t, _ in _lookup(tmp_path, "сош")] == ["Альфа СОШ № 41", "О школе"]
    assert _lookup(tmp_path, "елочка")[0][2] == "Уровень СОШ Ёлочка & «ель»"
    assert [p for p, *_ in _lookup(tmp_path, "41")] == ["shkoly/alpha/"]
    assert _lookup(tmp_path, "часть") == []


def test_same_index_gives_the_same_files(tmp_path):
    docs = [{"location": f"p{i}/", "title": f"Страница {i}", "text": f"слово{i % 7} общее"} for i in range(50)]
    outputs = []
    for run in ("a", "b"):
        _site(tmp_path / run, docs)
        search.split(tmp_path / run)
        outputs.append({p.relative_to(tmp_path / run): p.read_bytes() for p in (tmp_path / run).rglob("*.json")})
    assert outputs[0] == outputs[1] and len(outputs[0]) > 3


@pytest.mark.slow
def test_entries_handed_over_in_the_build_make_the_files_splitting_materials_index_makes(built, tmp_path, monkeypatch):
    """The build hands the search plugin's entries to `search.write` instead of letting Material write its whole
    index file and reading it back: the search files are byte for byte those of splitting that file."""
    from kachestvo.output import publish
    from kachestvo.paths import GENERATED

    config = built("ilansky").root / GENERATED  # the configuration the build gave MkDocs; each build below is elsewhere
    publish.mkdocs_build(config, None, tmp_path / "direct")
    monkeypatch.setattr(publish, "_search_in_parts", lambda cfg: None)
    publish.mkdocs_build(config, None, tmp_path / "material")
    assert json.loads((tmp_path / "material" / search.INDEX).read_text(encoding="utf-8"))["docs"][0]["text"]  # Material's
    search.split(tmp_path / "material")

    def files(site):
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "search").rglob("*") if p.is_file()}

    direct, material = files(tmp_path / "direct"), files(tmp_path / "material")
    assert len(direct) > 100 and direct == material


@pytest.mark.parametrize("name", each_example(["kotelnikovsky", "ilansky"]))
def test_built_example_finds_every_roadmap_item_indicator_and_decision(built, name):
    """Every word of every roadmap item, indicator, activity and decision text of an example leads to a section of a
    built page that holds it (Котельниковский in the fast subset; Иланский, which also has indicators, in the full)."""
    import csv

    project = built(name)
    site = project.site
    separator = re.compile(json.loads((site / search.INDEX).read_text(encoding="utf-8"))["config"]["separator"])
    texts = []
    for table, column in (("roadmap", "activity"), ("indicators", "text"), ("activities", "title"), ("decisions", "text")):
        if not (project.data / f"{table}.csv").is_file():
            continue
        with open(project.data / f"{table}.csv", encoding="utf-8", newline="") as fh:
            texts += [row[column] for row in csv.DictReader(fh) if row[column]]
    assert len(texts) > 40
    section_words = functools.lru_cache(maxsize=None)(lambda title, text: search.words(f"{title} {text}", separator))
    missing = []
    for text in texts:
        for word in sorted(search.words(search.plain(text), separator)):
            found = _lookup(site, word)
            if not found or not all(word in section_words(t, x) for _, t, x in found):
                missing.append((word, text[:60]))
    assert missing == []


def test_built_example_lists_every_school_page(built):
    project = built("kotelnikovsky")
    docs = json.loads((project.site / search.INDEX).read_text(encoding="utf-8"))["docs"]
    school_pages = {p.parent.name for p in (project.site / "shkoly").glob("*/index.html")}
    indexed = {d["location"].split("/")[1] for d in docs if d["location"].startswith("shkoly/") and d["location"].count("/") == 2}
    assert school_pages and indexed == school_pages


def test_first_download_counts_the_page_list_and_the_scripts(built):
    site = built("kotelnikovsky").site
    size = search.first_download(site)
    assert size > (site / search.INDEX).stat().st_size + (site / "assets" / "search-worker.js").stat().st_size
    assert size < 1_000_000


@pytest.mark.parametrize("name", each_example(["kotelnikovsky", "ilansky"]))
def test_an_activity_is_found_in_its_group_on_the_activities_page(built, name):
    """Each group of the activities page (the municipality's, each school's) is a section of its own: a result for an
    activity opens the page at its group, not at the top (the groups' headings had no ids)."""
    import csv

    site = built(name).site
    html = (site / "meropriyatiya" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'<h2 class="kq-h2" id="([^"]+)"', html)
    assert ids and len(ids) == len(set(ids)) and len(ids) == html.count('<h2 class="kq-h2"')
    docs = _json(site / search.INDEX)["docs"]
    page = next(n for n, d in enumerate(docs) if d["location"] == "meropriyatiya/")
    sections = {anchor: text for anchor, _, text in _json(site / search.PAGES / f"{page}.json")}
    with open(built(name).data / "activities.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    for row in rows:
        anchor = row["school_id"] or "munitsipalnye"
        assert anchor in ids, anchor
        assert " ".join(search.plain(row["title"]).split()) in " ".join(sections[anchor].split()), (anchor, row["title"][:60])

"""The search index stays bounded: school pages by title and headline, long texts capped."""

from __future__ import annotations

import json

from kachestvo.output import search


def _site(tmp_path, docs):
    path = tmp_path / "search" / "search_index.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"config": {"lang": ["ru"]}, "docs": docs}, ensure_ascii=False), encoding="utf-8")
    return path


def test_school_pages_keep_title_and_headline_only(tmp_path):
    cells = " ".join(f"ячейка{i}" for i in range(2000))
    path = _site(
        tmp_path,
        [
            {"location": "", "title": "Главная", "text": "Коротко"},
            {"location": "rezultaty/", "title": "Результаты", "text": cells},
            {"location": "shkoly/alpha/", "title": "Альфа СОШ", "text": "Школа в селе. " + cells},
            {"location": "shkoly/alpha/#результаты", "title": "Результаты", "text": cells},
        ],
    )
    search.trim(tmp_path)
    docs = json.loads(path.read_text(encoding="utf-8"))["docs"]
    assert [d["location"] for d in docs] == ["", "rezultaty/", "shkoly/alpha/"]
    assert docs[0]["text"] == "Коротко"
    assert docs[2]["title"] == "Альфа СОШ" and docs[2]["text"].startswith("Школа в селе.")
    assert len(docs[2]["text"]) <= search.HEADLINE and len(docs[1]["text"]) <= search.SECTION
    assert not docs[1]["text"].endswith("ячейк")  # cut at a word boundary


def test_built_example_index_has_every_school_by_name(built):
    project = built("kotelnikovsky")
    docs = json.loads((project.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    school_pages = {p.parent.name for p in (project.site / "shkoly").glob("*/index.html")}
    indexed = {d["location"].split("/")[1] for d in docs if d["location"].startswith("shkoly/") and d["location"].count("/") == 2}
    assert school_pages and indexed == school_pages

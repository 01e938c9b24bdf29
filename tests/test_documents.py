"""Source documents: original and transcription with checksums, a page per document with what cites it."""

from __future__ import annotations

import hashlib
import re

from conftest import base_tables, write_project
from kachestvo.build import generate_site
from kachestvo.validate import validate

TRANSCRIPTION = "Приказ № 1\n<script>alert(1)</script> {{ x }} | a\tb\n"
ORIGINAL = b"%PDF-1.4 original"
SHA_TEXT = hashlib.sha256(TRANSCRIPTION.encode("utf-8")).hexdigest()
SHA_ORIGINAL = hashlib.sha256(ORIGINAL).hexdigest()


def _project(tmp_path, **document):
    tables = base_tables()
    tables["documents"][0].update(document)
    project = write_project(tmp_path, tables)
    (project.content / "documents" / "prikaz-1.pdf").write_bytes(ORIGINAL)
    (project.content / "documents" / "prikaz-1-text.txt").write_text(TRANSCRIPTION, encoding="utf-8")
    return project


def test_original_and_transcription_each_with_checksum_and_a_page_citing_figures(tmp_path):
    project = _project(
        tmp_path,
        file="documents/prikaz-1.pdf",
        sha256=SHA_ORIGINAL,
        transcription="documents/prikaz-1-text.txt",
        transcription_sha256=SHA_TEXT,
    )
    ds, problems = validate(project)
    assert problems == [], problems
    site, _ = generate_site(project, ds)
    doc = site.pages["dokumenty/prikaz-1.md"]
    assert '<a href="../../documents/prikaz-1.pdf" download>оригинал</a>' in doc
    assert '<a href="../../documents/prikaz-1-text.txt" download>расшифровка (.txt)</a>' in doc
    assert SHA_ORIGINAL in doc and SHA_TEXT in doc
    # The transcription is text on the page: escaped, tabs kept (Markdown would expand a raw tab).
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ x }} | a&#9;b" in doc and "<script>" not in doc
    # Every figure citing the document, as the site shows it, and the pages citing it.
    # cells carry their column's header as data-label (phone layout) and a space between them (search index)
    cells = re.sub(r"</td>\s+<td", "</td><td", re.sub(r"<td [^>]*>", "<td>", doc))
    assert "<td>Альфа СОШ (alpha) · ОГЭ · 9 · Математика · 2019 · средняя оценка</td><td>3,5</td>" in cells
    assert '<a href="../../shkoly/alpha/">Альфа СОШ</a>' in doc and '<a href="../../">Главная</a>' in doc
    # Links to the document from figures lead to its page.
    assert 'href="../../dokumenty/prikaz-1/"' in site.pages["shkoly/alpha.md"]
    # The register names the file of each checksum, and each named checksum is that file's (computed here).
    register = site.pages["dokumenty/index.md"]
    named = dict(re.findall(r'(оригинал|расшифровка \(\.txt\)): <code class="kq-hash">([0-9a-f]{64})</code>', register))
    files = {"оригинал": ORIGINAL, "расшифровка (.txt)": TRANSCRIPTION.encode("utf-8")}
    assert named == {kind: hashlib.sha256(body).hexdigest() for kind, body in files.items()}, named


def test_transcription_checksum_is_checked(tmp_path):
    project = _project(tmp_path, transcription="documents/prikaz-1-text.txt", transcription_sha256="a" * 64)
    _, problems = validate(project)
    [p] = [p for p in problems if p.field == "transcription_sha256"]
    assert p.code == "checksum-mismatch" and SHA_TEXT in p.message
    project = _project(tmp_path / "b", transcription="documents/net.txt", transcription_sha256="a" * 64)
    _, problems = validate(project)
    assert [p.code for p in problems if p.field == "transcription"] == ["file-not-found"]


def test_a_document_cited_by_many_figures_lists_them_in_a_csv_not_on_its_page(tmp_path, monkeypatch):
    import csv
    import io

    from kachestvo.pages import registry, table

    project = _project(tmp_path)
    ds, _ = validate(project)
    cited = len(registry.citing(ds)["prikaz-1"]["figures"])
    assert cited > 1
    assert "Цифры, источник которых" in generate_site(project, ds)[0].pages["dokumenty/prikaz-1.md"]
    monkeypatch.setattr(table, "ROWS_ON_PAGE", cited - 1)
    site, _ = generate_site(project, ds)
    doc = site.pages["dokumenty/prikaz-1.md"]
    assert "<caption>Цифры, источник которых" not in doc and f"{cited}\u00a0цифры — слишком много" in doc
    assert '<a href="../../dokumenty/prikaz-1-cifry.csv" download>prikaz-1-cifry.csv</a>' in doc
    rows = list(csv.reader(io.StringIO(site.assets["dokumenty/prikaz-1-cifry.csv"].decode("utf-8"))))
    assert rows[0] == ["Раздел", "Что", "На сайте"] and len(rows) - 1 == cited
    assert ["Результаты", "Альфа СОШ (alpha) · ОГЭ · 9 · Математика · 2019 · средняя оценка", "3,5"] in rows


def test_a_document_cited_by_many_school_pages_lists_them_in_a_csv(monkeypatch):
    import csv
    import io

    from conftest import PROJECTS
    from kachestvo.pages import registry, table
    from kachestvo.paths import Project

    project = Project.at(PROJECTS["ilansky"])
    ds, _ = validate(project)
    doc_id = "prikaz-63-od-2021-03-09"
    cited = registry.citing(ds)[doc_id]["pages"]
    schools = [p for p in cited if p.startswith("shkoly/") and p != "shkoly/index.md"]
    assert len(schools) > 2 and len(cited) > len(schools)
    monkeypatch.setattr(table, "ROWS_ON_PAGE", 2)
    site, _ = generate_site(project, ds)
    page = site.pages[f"dokumenty/{doc_id}.md"]
    assert f"Школы, на страницах которых есть ссылка на документ: {len(schools)}\u00a0школ" in page
    assert f'<a href="../../dokumenty/{doc_id}-stranitsy.csv" download>' in page
    assert 'href="../../shkoly/ilanskaya-sosh-1/"' not in page  # no school links; sections still linked
    assert 'href="../../rezultaty/">Результаты</a>' in page
    rows = list(csv.reader(io.StringIO(site.assets[f"dokumenty/{doc_id}-stranitsy.csv"].decode("utf-8"))))
    assert rows[0] == ["Школа", "Страница (путь от корня сайта)"] and len(rows) - 1 == len(schools)
    assert ["Иланская СОШ № 1", "shkoly/ilanskaya-sosh-1/"] in rows


def test_a_document_that_only_approved_the_programme_names_the_programme_page_as_citing_it(tmp_path):
    """approved_by is a citation like document_id: the approving document's page lists the programme page, and the
    programme page links it as «Утверждена»."""
    tables = base_tables()
    tables["documents"].append(dict(tables["documents"][0], document_id="postanovlenie-2", number="2"))
    tables["programmes"][0]["approved_by"] = "postanovlenie-2"
    project = write_project(tmp_path, tables)
    ds, problems = validate(project)
    assert not [p for p in problems if p.severity == "error"], problems
    site, _ = generate_site(project, ds)
    assert 'Утверждена: <a class="kq-doc" href="../dokumenty/postanovlenie-2/">' in site.pages["programma/index.md"]
    doc = site.pages["dokumenty/postanovlenie-2.md"]
    assert '<a href="../../programma/">' in doc, doc

"""Generated pages of examples/kotelnikovsky equal the stored per-page snapshots of their visible structure
(tests/golden/kotelnikovsky/*.txt; python tests/golden.py rewrites them), and the snapshot format keeps what a
reader sees: a change of a heading, a cell, a link target or a chart's text changes the snapshot."""

from __future__ import annotations

import difflib

import golden

PAGE = """---
title: "Школа «Альфа» & co"
description: "Описание"
---
<!-- Сгенерировано kachestvo из data/schools.csv. Не правьте вручную. -->

## Результаты

Первый абзац с <abbr title="основной государственный экзамен">ОГЭ</abbr> и [ссылкой](../a/),
продолжение абзаца.

- пункт один
- пункт <a href="https://example.org/">два</a>

<div class="kq-table-wrap"><table class="kq-table">
<caption>Оценки</caption> <thead><tr><th scope="col">Год</th> <th scope="col">Оценка</th> </tr></thead>
<tbody>
<tr><td data-label="Год">2021</td> <td data-label="Оценка"><span class="kq-missing">нет участников</span></td> </tr>
<tr><td data-label="Год">2022</td> <td data-label="Оценка">3,5</td> </tr>
</tbody></table></div>

<figure><img src="../charts/0123456789abcdef0123.svg" alt="График: оценки"><figcaption>Подпись</figcaption></figure>
<script>var hidden = 1;</script>
"""

EXPECTED = """title: Школа «Альфа» & co
description: Описание

comment: Сгенерировано kachestvo из data/schools.csv. Не правьте вручную.
## Результаты
Первый абзац с ОГЭ и [ссылкой → ../a/], продолжение абзаца.
- пункт один
- пункт [два → https://example.org/]
table: Оценки
  Год | Оценка
  2021 | нет участников
  2022 | 3,5
[image: График: оценки → ../charts/HASH.svg]
caption: Подпись
"""


def test_snapshot_shows_headings_paragraphs_tables_links_and_charts():
    assert golden.structure(PAGE) == EXPECTED


def test_a_change_a_reader_sees_changes_the_snapshot():
    changes = [("2022", "2023"), ("../a/", "../b/"), ("## Результаты", "### Результаты"), ('alt="График', 'alt="Диаграмма')]
    for old, new in changes:
        assert old in PAGE
        assert golden.structure(PAGE.replace(old, new, 1)) != EXPECTED, old


def test_generated_pages_match_golden_snapshot():
    new, old = golden.generated(), golden.stored()
    assert sorted(new) == sorted(old), "набор страниц изменился; если так задумано: python tests/golden.py"
    for rel in sorted(new):
        if new[rel] != old[rel]:
            path = golden.snapshot_path(rel).relative_to(golden.HERE.parent)
            diff = "\n".join(difflib.unified_diff(old[rel].splitlines(), new[rel].splitlines(), str(path), rel, lineterm="", n=2))
            raise AssertionError(f"{rel} отличается от снимка {path} (если так задумано: python tests/golden.py):\n{diff[:4000]}")

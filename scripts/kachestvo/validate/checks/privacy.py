"""Privacy: a value the site hides (small group) but a published source document shows in its text is a warning.

The value is looked for by its row: on a line of the text (a transcribed table row) that names the school too, so
another school's «0,7» elsewhere in the document is not taken for it."""

from __future__ import annotations

import re
from dataclasses import replace

from kachestvo import config, fmt, protect, vocabulary
from kachestvo.dataset import LINE
from kachestvo.validate import files
from kachestvo.validate.checks.rule import check, problem
from kachestvo.validate.problems import Problem

COUNT = vocabulary.PARTICIPANTS


@check
def suppressed_value_in_document(ds):
    """The site hides the group, yet the transcription published under documents/ would show the figure."""
    if config.problems(ds.descriptor) or ds["results"].empty:
        return
    threshold = config.settings(ds.descriptor)["min_group"]
    _, hidden = protect.suppress(ds["results"], threshold, ds["schools"])
    if not hidden:
        return
    texts = _document_texts(ds)
    names = {r["school_id"]: _name_words(r) for _, r in ds["schools"].iterrows()}
    results = ds["results"]
    for _, r in results[results[LINE].isin(hidden) & results["value"].notna()].iterrows():
        pattern = _figure(r["value"], r["metric"])
        words = names.get(r["school_id"]) if isinstance(r["school_id"], str) else None
        shown = _shown_in(texts, pattern, words) if pattern is not None and words else None
        if shown:
            yield _warning(r, *shown, threshold)


def _shown_in(texts: dict[str, tuple[str, str]], pattern: re.Pattern, words: list[str]) -> tuple[str, str] | None:
    """(document_id, file) of the first transcription with a line naming the school beside the figure, or None."""
    for document_id, (rel, text) in texts.items():
        if any(pattern.search(line) and _names(line, words) for line in text.splitlines()):
            return document_id, rel
    return None


# Words of a school's name that say what it is, not which one it is.
GENERIC = frozenset(
    "мбоу мкоу маоу моу гбоу оу сош оош нош сш шк школа средняя основная начальная общеобразовательная "
    "филиал муниципальное бюджетное казенное казённое автономное учреждение им имени лицей гимназия".split()
)


def _name_words(school) -> list[str]:
    """Stems of the words that tell the school apart (its short or full name, generic words dropped): the first
    letters of each, so a declined form («Красноярской») still matches."""
    words = set()
    for column in ("short_name", "full_name"):
        value = school.get(column)
        if isinstance(value, str):
            for word in re.findall(r"[\w-]+", value.lower()):
                if word not in GENERIC and len(word) >= 3 and not word.isdigit():
                    words.add(word[: max(3, len(word) - 2)])
                elif word.isdigit():
                    words.add(f"№{word}")
    return sorted(words)


def _names(line: str, stems: list[str]) -> bool:
    """The line names the school: a word of it starts with one of the school's stems (or «№ N» for its number)."""
    low = line.lower().replace("№ ", "№")
    tokens = re.findall(r"№?[\w-]+", low)
    return any(t.startswith(stem) for stem in stems for t in tokens)


def _figure(value: float, metric: str) -> re.Pattern | None:
    """The value as a document would write it (point or comma), not part of a longer number; None when it is too
    short to tell apart from any other number in a text (a count, a one-digit mark)."""
    shown = f"{value:g}"
    if metric == COUNT or len(re.sub(r"\D", "", shown)) < 2:
        return None
    body = re.escape(shown).replace(r"\.", "[.,]")
    return re.compile(rf"(?<![\d.,]){body}(?![\d]|[.,]\d)")


def _document_texts(ds) -> dict[str, tuple[str, str]]:
    """document_id → (path, text) for every document file inside the project that reads as UTF-8 text."""
    out = {}
    for _, d in ds["documents"].iterrows():
        for column in ("transcription", "file"):
            if not isinstance(d[column], str):
                continue
            path = ds.project.content / d[column]
            if not files.inside(ds.project, path):
                continue
            try:
                out[d["document_id"]] = (f"content/{d[column]}", path.read_text(encoding="utf-8-sig"))
                break
            except UnicodeDecodeError:
                continue  # a PDF or scan: its text cannot be searched here
    return out


def _warning(r, document_id: str, rel: str, threshold: int):
    found = problem(
        "results",
        r,
        "value",
        "suppressed-in-document",
        f"значение {fmt.value(r['value'], r['unit'])} скрыто на сайте (в группе меньше {threshold} участников), но есть в тексте "
        f"документа «{document_id}» ({rel}), который публикуется. Если документ нельзя не публиковать целиком, "
        "замените это число в расшифровке на «скрыто» и обновите контрольную сумму.",
        r["value"],
    )
    return replace(found, severity="warning")


@check
def hidden_values_in_a_public_repository(ds):
    """The site links every page to its data's history in `repository_url`; if that repository is public, the
    values the site hides lie there in plain text. Access cannot be checked without the network: the project
    says so with `repository_private`."""
    if config.problems(ds.descriptor) or ds["results"].empty:
        return
    settings = config.settings(ds.descriptor)
    if not settings["repository_url"] or settings["repository_private"]:
        return
    _, hidden = protect.suppress(ds["results"], settings["min_group"], ds["schools"])
    if not hidden:
        return
    yield Problem(
        "data/datapackage.json",
        None,
        "repository_url",
        "public-raw-data",
        f"на сайте скрыто значений: {len(hidden)} (группы меньше {settings['min_group']} участников и те, из которых "
        f"их можно вычислить), но в data/results.csv они записаны открыто, а страницы сайта ссылаются на репозиторий "
        f"{settings['repository_url']}. Если он открыт, эти значения может прочитать любой. kachestvo не проверяет "
        "доступ к репозиторию по сети и судит по настройкам: если репозиторий закрыт, укажите "
        '«"repository_private": true» в блоке «kachestvo»; если открыт — храните сырые данные в закрытом '
        "репозитории, а публикуйте только собранный сайт (см. страницу документации «Безопасность»).",
        settings["repository_url"],
    )

"""Transcriptions as clean text: no markup, unrecognised OCR marked as such, readable from any static host.

A transcription is published byte for byte as recorded (its sha256 covers every byte of the file, the UTF-8 byte
order mark included). The mark (EF BB BF) is what makes a browser read the file as UTF-8 when a server sends
`text/plain` without a charset, as many municipal servers do; tools read the file with it stripped.
A fragment that OCR did not recognise is kept for the auditor but marked «[не распознано: …]»; pages show the mark,
never the fragment as prose.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from kachestvo.csvfile import BOM

UNRECOGNISED = re.compile(r"\[не распознано: ([^\]\n]*)\]")
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+")
_NUMBER_SIGN = re.compile(r"\bN\s*\d")  # «N 273-ФЗ»: a Latin N for «№»
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def read(data: bytes) -> str:
    """The text of a transcription file (its byte order mark dropped)."""
    return data.removeprefix(BOM).decode("utf-8")


def has_bom(data: bytes) -> bool:
    return data.startswith(BOM)


def markup(text: str) -> list[tuple[int, str]]:
    """(line, tag) of every HTML tag left in the text."""
    return [(n, m.group(0)) for n, line in enumerate(text.splitlines(), 1) for m in TAG.finditer(line)]


def strip_markup(text: str) -> str:
    """The text with its HTML tags removed: the words kept, a tag becomes a space; on those lines only, runs of
    spaces and spaces beside tabs or at the ends are dropped (the lines themselves stay as they were)."""
    return "\n".join(_strip_line(line) if TAG.search(line) else line for line in text.split("\n"))


def _strip_line(line: str) -> str:
    out = re.sub(r" {2,}", " ", TAG.sub(" ", line))
    return re.sub(r" *\t *", "\t", out).strip(" ")


def _garbage_cell(cell: str) -> bool:
    """A cell of recognised text that reads as OCR noise: mostly Latin letters in a Russian text (URLs and the
    Latin N of «N 273-ФЗ» aside)."""
    plain = _NUMBER_SIGN.sub("", _URL.sub("", UNRECOGNISED.sub("", cell)))
    latin, cyrillic = len(_LATIN.findall(plain)), len(_CYRILLIC.findall(plain))
    return latin >= 2 and latin > cyrillic


def _garbage_line(line: str) -> bool:
    """A line with no Russian word but Latin letters, or nothing but separators: a scanned rule or stamp."""
    plain = _NUMBER_SIGN.sub("", _URL.sub("", UNRECOGNISED.sub("", line)))
    if _CYRILLIC.search(plain):
        return False
    return len(_LATIN.findall(plain)) >= 2 or plain.count(",") >= 3 and not re.search(r"\w", plain)


def unrecognised(text: str) -> list[tuple[int, str]]:
    """(line, fragment) of OCR noise not yet marked «[не распознано: …]»."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        line = UNRECOGNISED.sub("", line)  # marked already
        if _garbage_line(line):
            out.append((n, line.strip()))
        else:
            out.extend((n, cell.strip()) for cell in line.split("\t") if _garbage_cell(cell))
    return out


def mark_unrecognised(text: str) -> str:
    """The text with each noisy line or cell wrapped in «[не распознано: …]» (its characters kept)."""

    def mark(fragment: str) -> str:
        inner = fragment.strip().replace("]", ")").replace("\t", " ")  # one fragment, one cell
        return fragment[: len(fragment) - len(fragment.lstrip())] + f"[не распознано: {inner}]" if inner else fragment

    lines = []
    for line in text.split("\n"):
        if _garbage_line(line) and line.strip():
            lines.append(mark(line))
        else:
            lines.append("\t".join(mark(c) if _garbage_cell(c) else c for c in line.split("\t")))
    return "\n".join(lines)


def for_page(text: str) -> Markup:
    """Escaped text for a <pre> on the document's page: tabs as character references (Markdown would expand them),
    each unrecognised fragment shown as a marked gap, not as words."""
    out, last = [], 0
    for m in UNRECOGNISED.finditer(text):
        out.append(_pre(text[last : m.start()]))
        out.append(Markup('<span class="kq-unrecognised" title="Текст в источнике не распознан">[не распознано]</span>'))
        last = m.end()
    out.append(_pre(text[last:]))
    return Markup("").join(out)


def _pre(text: str) -> Markup:
    return Markup(str(escape(text)).replace("\t", "&#9;"))  # nosec B704 (escaped here; only tabs become entities)

"""How wide a line of chart text is: advance widths of DejaVu Sans, in 1/2048 em.

Charts name a system font stack and request no font file, so no font is known when the SVG is drawn. DejaVu Sans is
the wide fallback the charts were laid out with before (vl-convert measures text with it when the stack's fonts are not
installed); measuring with it leaves room for any common sans-serif. The table covers ASCII, Cyrillic and the
typography of Russian text; any other character counts as the widest glyph here, so text is never measured short.
`tests/test_chart_drawing.py` checks the table against the font file where the font is installed.
"""

from __future__ import annotations

UNITS_PER_EM = 2048
# advance width → the characters with that width
_WIDTHS = {
    563: "'",
    569: "ijlіїј",
    604: "IJІЇЈ",
    651: " ,.\xa0‘’·",
    690: "/:;\\|",
    721: "f",
    739: "-‑",
    799: "()[]",
    803: "t",
    821: "!",
    842: "r",
    942: '"',
    1024: "*_`–°",
    1061: "“”„",
    1067: "sѕ",
    1075: "z",
    1076: "гѓ",
    1087: "?",
    1089: "з",
    1124: "эє",
    1126: "cс",
    1141: "L",
    1178: "F",
    1186: "k",
    1193: "т",
    1207: "вь",
    1210: "ч",
    1212: "vxyухў",
    1232: "я",
    1235: "PР",
    1237: "кќ",
    1248: "ЎУ",
    1249: "ЃГ",
    1251: "TYТ",
    1253: "oо«»",
    1255: "aа",
    1260: "eеѐё",
    1263: "б",
    1280: "ђ",
    1294: "EЀЁЕ",
    1298: "hnu",
    1300: "SbdgpqЅр",
    1303: "$0123456789{}",
    1309: "л",
    1313: "З",
    1331: "ийѝ",
    1335: "ћ",
    1339: "нпџ",
    1343: "K",
    1394: "ц",
    1401: "AVА",
    1403: "XZХ",
    1404: "Ч",
    1405: "BБВЬ",
    1416: "д",
    1423: "RЯ",
    1430: "CЄСЭ",
    1447: "ъ",
    1454: "ЌК",
    1499: "U",
    1532: "NЍИЙ",
    1540: "HЏЛНП",
    1545: "м",
    1577: "D",
    1587: "G",
    1590: "Ц",
    1597: "&",
    1600: "Д",
    1610: "ЂЋ",
    1612: "OQО",
    1617: "ы",
    1675: "w",
    1705: "Ъ",
    1716: "#+<=>^~−×",
    1724: "ю",
    1751: "ф",
    1763: "Ф",
    1767: "MМ",
    1807: "Ы",
    1840: "њ",
    1845: "ж",
    1848: "љ",
    1874: "ш",
    1929: "щ",
    1946: "%",
    1995: "m",
    2025: "W",
    2048: "@—…",
    2130: "№",
    2140: "Њ",
    2190: "Ш",
    2206: "Ж",
    2211: "Ю",
    2240: "ЉЩ",
}
ADVANCE = {char: width for width, chars in _WIDTHS.items() for char in chars}
WIDEST = max(ADVANCE.values())
# the font's ascent and descent (hhea), for the height a line of text takes
ASCENT, DESCENT = 1901, 483


def width(text: str, size: float) -> float:
    """Width in px of `text` set at `size` px."""
    return sum(ADVANCE.get(char, WIDEST) for char in text) * size / UNITS_PER_EM

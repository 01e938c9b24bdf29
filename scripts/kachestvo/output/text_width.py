"""How wide a line of chart text is: advance widths of Liberation Sans (metric-compatible with Arial), in 1/2048 em.

Charts name a system font stack (…, Arial, sans-serif) and request no font file, so no font is known when the SVG is
drawn. Vega, which drew the charts before, measured their text with the stack's Arial, found as Liberation Sans: the
same widths here keep the layout it had (which labels fit, how far the y-axis title stands off). The table covers
ASCII, Cyrillic and the typography of Russian text; any other character counts as the widest glyph here, so text is
never measured short. `tests/test_chart_drawing.py` checks the table against the font file where it is installed.
"""

from __future__ import annotations

UNITS_PER_EM = 2048
# advance width → the characters with that width
_WIDTHS = {
    391: "'",
    455: "ijlіј‘’",
    532: "|",
    569: " !,./:;I[\\]ftІЇї\xa0·",
    682: "()-`r‑“”„",
    684: "{}",
    727: '"',
    747: "гѓ",
    797: "*",
    819: "°",
    896: "кќ",
    938: "т",
    939: "з",
    961: "^",
    1024: "JcksvxyzЈсухѕў",
    1045: "эє",
    1067: "чь",
    1088: "в",
    1109: "ЃГпя",
    1131: "нџ",
    1139: "#$0123456789?L_abdeghnopquаеорѐёђћ«»–",
    1144: "ийѝ",
    1173: "бц",
    1193: "ЌК",
    1195: "дл",
    1196: "+<=>~−×",
    1237: "З",
    1251: "FTZТ",
    1280: "ъ",
    1301: "ЎУ",
    1344: "БЛЬ",
    1365: "Ч",
    1366: "&ABEKPSVXYЀЅАВЕРХ",
    1367: "Ё",
    1370: "ж",
    1387: "Д",
    1408: "м",
    1472: "ЄЏИЙПЭы",
    1479: "CDHNRUwЍНСЯ",
    1515: "Ц",
    1536: "ю",
    1557: "Ф",
    1593: "GOQО",
    1621: "Ъ",
    1643: "ш",
    1664: "њ",
    1685: "фщ",
    1706: "MmМ",
    1749: "Ћ",
    1771: "Ђ",
    1813: "Ы",
    1821: "%",
    1856: "љ",
    1877: "Ш",
    1891: "Ж",
    1920: "Щ",
    1933: "W",
    2048: "—…",
    2069: "ЊЮ",
    2079: "@",
    2165: "Љ",
    2197: "№",
}
ADVANCE = {char: width for width, chars in _WIDTHS.items() for char in chars}
WIDEST = max(ADVANCE.values())
# the font's ascent and descent (hhea), for the height a line of text takes
ASCENT, DESCENT = 1854, 434


def width(text: str, size: float) -> float:
    """Width in px of `text` set at `size` px."""
    return sum(ADVANCE.get(char, WIDEST) for char in text) * size / UNITS_PER_EM

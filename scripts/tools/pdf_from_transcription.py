"""Make a PDF from a plain-text transcription (how examples/kotelnikovsky's protokol PDF was made).

The PDF is a stand-in that shows the path an original takes (file + sha256 → audit → page); it is marked as
made from the transcription in the example's documents.csv. Deterministic: same text → same bytes.
Developer tool, not part of the package: `pip install "fpdf2>=2.8,<3"`, then
`python scripts/tools/pdf_from_transcription.py IN.txt OUT.pdf`.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def make(text: str, out: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(2021, 5, 20, tzinfo=dt.UTC))
    pdf.set_creator("kachestvo scripts/tools/pdf_from_transcription.py")
    pdf.set_title("Изготовлено из расшифровки (не скан оригинала)")
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=9)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.multi_cell(0, 4.5, "[Изготовлено из расшифровки для примера; это не скан оригинала.]\n\n" + text.replace("\t", "    "))
    out.write_bytes(bytes(pdf.output()))


if __name__ == "__main__":
    make(Path(sys.argv[1]).read_text(encoding="utf-8-sig"), Path(sys.argv[2]))

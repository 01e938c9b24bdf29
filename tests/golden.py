"""Golden snapshots of the generated Markdown of examples/kotelnikovsky: compared by tests, rewritten only on request.

Regenerate after an intended change of the pages:  python tests/golden.py
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "scripts"))

GOLDEN = HERE / "golden" / "kotelnikovsky"


def generated() -> dict[str, str]:
    from kachestvo.build import pages
    from kachestvo.paths import Project

    site, _ = pages(Project.at(HERE.parent / "examples" / "kotelnikovsky"))
    return {rel: normalise(text) for rel, text in site.pages.items()}


def normalise(text: str) -> str:
    """Chart file names hash the compiled Vega spec, which changes with vl-convert: not part of the snapshot."""
    return re.sub(r"charts/[0-9a-f]{20}\.svg", "charts/HASH.svg", text)


def stored() -> dict[str, str]:
    return {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in sorted(GOLDEN.rglob("*.md"))}


def write() -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for rel, text in generated().items():
        path = GOLDEN / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write()
    print(f"Снимки обновлены: {GOLDEN}")

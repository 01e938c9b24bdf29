"""Generated Markdown of examples/kotelnikovsky equals the stored snapshot (python tests/golden.py updates it)."""

from __future__ import annotations

import difflib

import golden


def test_generated_pages_match_golden_snapshot():
    new, old = golden.generated(), golden.stored()
    assert sorted(new) == sorted(old), "набор страниц изменился; если так задумано: python tests/golden.py"
    for rel in sorted(new):
        if new[rel] != old[rel]:
            diff = "\n".join(
                difflib.unified_diff(
                    old[rel].splitlines(), new[rel].splitlines(), f"golden/{rel}", f"new/{rel}", lineterm="", n=2
                )
            )
            raise AssertionError(f"{rel} отличается от снимка (если так задумано: python tests/golden.py):\n{diff[:4000]}")

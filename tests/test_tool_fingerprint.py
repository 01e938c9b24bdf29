"""The build cache's tool fingerprint covers every library the package imports and every source edit."""

from __future__ import annotations

import ast
import sys
from importlib.metadata import packages_distributions

from kachestvo.output import cache
from kachestvo.paths import PACKAGE_DIR

# Imported only to run MkDocs on the generated files (publish, serve), which the cache does not store.
NOT_IN_GENERATED_OUTPUT = {"mkdocs", "yaml"}  # yaml: reading mkdocs.yml for the site record


def _imported_distributions() -> set[str]:
    modules = set()
    for path in PACKAGE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    third_party = {m for m in modules if m not in sys.stdlib_module_names and m != "kachestvo"}
    dists = packages_distributions()
    return {d.lower() for m in third_party - NOT_IN_GENERATED_OUTPUT for d in dists.get(m, [m])}


def test_every_imported_library_is_in_the_fingerprint():
    missing = _imported_distributions() - {name.lower() for name in cache.LIBRARIES}
    assert not missing, f"add to cache.LIBRARIES: {sorted(missing)}"


def test_dictionaries_count_too():
    assert "pymorphy3-dicts-ru" in cache.LIBRARIES  # data, not imported by name: its version changes word forms


def test_fingerprint_follows_a_source_edit(tmp_path, monkeypatch):
    package = tmp_path / "kachestvo"
    (package / "templates").mkdir(parents=True)
    template = package / "templates" / "page.md.j2"
    template.write_text("one", encoding="utf-8")
    monkeypatch.setattr(cache, "PACKAGE_DIR", package)
    first = cache.tool_fingerprint()
    assert cache.tool_fingerprint() == first
    template.write_text("two", encoding="utf-8")
    assert cache.tool_fingerprint() != first

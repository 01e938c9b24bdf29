"""The site in place: which inputs it was published from, and whether it is still exactly that site.

After a successful publish the build records the site's key (`key`: the build's inputs key, the footer's build line,
the files mkdocs.yml names, the installed libraries and Python) and each file's size and modification time in site/
(and of the generated configuration). A build whose key is the same, over a site/ that still holds exactly the
recorded files, has nothing to do: MkDocs is not run. A site edited, added to or deleted by hand, an interrupted
publish or any changed input publishes again.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from kachestvo.paths import GENERATED, Project

FORMAT = 1


def key(project: Project, inputs_key: str, footer: str) -> str:
    """What the published site depends on beyond the generated files (`inputs_key`): the footer's build line (it
    names the commit), the files MkDocs reads besides the staged pages, and every installed library's version."""
    h = hashlib.sha256(f"kachestvo-site-{FORMAT}\n{inputs_key}\n{footer}\n{sys.version}\n".encode())
    for line in library_versions():
        h.update(line.encode() + b"\n")
    for path in mkdocs_inputs(project):
        h.update(f"{project.relative(path)}\n".encode("utf-8"))
        h.update(path.read_bytes() if path.is_file() and not path.is_symlink() else b"<missing>")
    return h.hexdigest()


def library_versions() -> list[str]:
    """Every installed distribution as its metadata folder's name (which holds the version), from each folder on the
    import path: MkDocs, its theme, plugins and Markdown extensions included, without importing any of them."""
    names = set()
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        names.update(f"{entry}:{n}" for n in listing if n.endswith((".dist-info", ".egg-info")))
    return sorted(names)


def mkdocs_inputs(project: Project) -> list[Path]:
    """Files MkDocs reads beside the staged pages and mkdocs.yml (which is in the inputs key): the configuration
    it inherits, its hooks, the theme's custom folder and what `watch` names, as mkdocs.yml lists them."""
    config = _config(project.mkdocs_yml)
    named = [config.get("INHERIT"), config.get("theme", {}).get("custom_dir") if isinstance(config.get("theme"), dict) else None]
    for listed in (config.get("hooks"), config.get("watch")):
        named += listed if isinstance(listed, list) else []
    out: list[Path] = []
    for name in named:
        if not isinstance(name, str):
            continue
        path = project.mkdocs_yml.parent / name
        if path.is_dir() and not path.is_symlink():
            out += sorted(p for p in path.rglob("*") if p.is_file())
        else:
            out.append(path)
    return out


def _config(path: Path) -> dict:
    """mkdocs.yml as plain data: its tags (`!ENV`, `!!python/name:…`) read as nothing, never executed."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)  # nosec B506 (a SafeLoader: tags read as None)
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _record_path(project: Project) -> Path:
    return project.cache / "site.json"


def _snapshot(project: Project) -> dict[str, list[int]] | None:
    """Every file of site/ (and the generated configuration) by path: [size, modification time]."""
    if not project.site.is_dir() or project.site.is_symlink():
        return None
    out = {}
    for root, _, names in os.walk(project.site):
        for name in names:
            full = os.path.join(root, name)
            st = os.lstat(full)
            out["site/" + Path(os.path.relpath(full, project.site)).as_posix()] = [st.st_size, st.st_mtime_ns]
    generated = project.root / GENERATED
    if generated.is_file():
        st = generated.stat()
        out[GENERATED] = [st.st_size, st.st_mtime_ns]
    return out


def in_place(project: Project, site_key: str) -> dict | None:
    """The settings recorded with the site if site/ is exactly what a publish with `site_key` left, else None."""
    try:
        record = json.loads(_record_path(project).read_text(encoding="utf-8"))
        if record.get("key") != site_key:
            return None
        files, settings = record["files"], record["settings"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return settings if files == _snapshot(project) else None


def forget(project: Project) -> None:
    """Before a publish: until it succeeds, site/ is not known to be anything."""
    _record_path(project).unlink(missing_ok=True)


def remember(project: Project, site_key: str, settings: dict) -> None:
    """After a successful publish: the key and every file as it is now."""
    path = _record_path(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"key": site_key, "settings": settings, "files": _snapshot(project)}), encoding="utf-8")
    tmp.replace(path)

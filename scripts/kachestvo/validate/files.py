"""Files the build would read or publish (data/, content/, documents.csv's `file`) are regular files inside the
project, with names free of hidden characters: a symbolic link or a path leading outside stops validation
before anything is read through it."""

from __future__ import annotations

import os
from pathlib import Path

from kachestvo.paths import Project
from kachestvo.validate import text
from kachestvo.validate.problems import Problem


def check(project: Project) -> list[Problem]:
    out = []
    for top in (project.data, project.content, project.mkdocs_yml):
        for path in _walk(top):
            rel = path.relative_to(project.root).as_posix()
            out += text.name_problems(rel, path.name)
            if path.is_symlink():
                out.append(
                    Problem(
                        rel,
                        None,
                        None,
                        "symlink",
                        f"{rel} — символическая ссылка (на {os.readlink(path)}). Сборка не читает и не публикует файлы "
                        "по ссылкам: они могут вести за пределы проекта. Положите в проект сам файл вместо ссылки.",
                    )
                )
    return out


def _walk(top: Path):
    """Every entry under `top`, symlinked directories reported but not entered."""
    if top.is_symlink() or top.is_file():
        yield top
        return
    if not top.is_dir():
        return
    for root, dirs, files in os.walk(top, followlinks=False):
        for name in sorted(dirs + files):
            yield Path(root) / name


def inside(project: Project, path: Path) -> bool:
    """The path, every link resolved, is a regular file within the project and no part of it is a link."""
    try:
        real = path.resolve(strict=True)
        real.relative_to(project.root)
    except (OSError, ValueError):
        return False
    return real == path.absolute() and real.is_file()

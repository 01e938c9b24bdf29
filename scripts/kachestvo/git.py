"""The one way the tool runs git: `run` for what must succeed (a Russian GitFailed otherwise), `output` for what may
be absent (git not installed, the folder not in a repository: None)."""

from __future__ import annotations

import subprocess  # nosec B404
from pathlib import Path


class GitFailed(Exception):
    """git is missing or a command failed; the message (Russian) says which and why."""


def run(cwd: Path, *args: str, timeout: float | None = None) -> bytes:
    """A git command's standard output (bytes)."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=timeout)  # nosec B603 B607
    except FileNotFoundError as exc:
        raise GitFailed("программа git не найдена: установите git.") from exc
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitFailed(f"git {args[0]} не выполнен: {exc}.") from exc
    if done.returncode != 0:
        msg = done.stderr.decode("utf-8", "replace").strip()
        raise GitFailed(f"git {args[0]} не выполнен: {msg or 'папка проекта не в репозитории git'}.")
    return done.stdout


def output(cwd: Path, *args: str, timeout: float | None = None) -> str | None:
    """A git command's output as text without surrounding whitespace, or None when it cannot run or fails."""
    try:
        return run(cwd, *args, timeout=timeout).decode("utf-8", "replace").strip()
    except GitFailed:
        return None

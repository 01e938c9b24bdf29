"""The one way the tool runs git: `run` for what must succeed (a Russian GitFailed otherwise), `output` for what may
be absent (git not installed, the folder not in a repository: None), `Blobs` for many file versions read through one
git process."""

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


NULL_BLOB = "0" * 40  # the blob id git names for a file absent on one side of a change


class Blobs:
    """Blob texts by id from one `git cat-file --batch` process, started on first use and ended with the `with` block:
    every version of a file in one process, not one git per version."""

    def __init__(self, cwd: Path):
        self.cwd, self.process = cwd, None

    def __enter__(self) -> Blobs:
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait()

    def text(self, blob: str) -> str:
        """The blob's text (bytes that are not UTF-8 replaced); «» for NULL_BLOB and for an id that is no blob."""
        if blob == NULL_BLOB:
            return ""
        if self.process is None:
            self.process = subprocess.Popen(  # nosec B603 B607
                ["git", "cat-file", "--batch"], cwd=self.cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
        self.process.stdin.write(blob.encode("ascii") + b"\n")
        self.process.stdin.flush()
        head = self.process.stdout.readline().split()  # «<id> <type> <size>», or «<id> missing» with nothing after
        if len(head) != 3:
            return ""
        data = self.process.stdout.read(int(head[2]) + 1)[:-1]  # read whatever the object is: the next answer follows
        return data.decode("utf-8", errors="replace") if head[1] == b"blob" else ""

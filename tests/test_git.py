"""`git`: the one way the tool runs git — a command that must succeed, one that may be absent, many blobs in one process."""

from __future__ import annotations

import subprocess

import pytest

from kachestvo import git


def _repo(root):
    env = ["-c", "user.email=t@example.org", "-c", "user.name=Тест"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    (root / "a.csv").write_bytes("школа\nальфа\n".encode())
    (root / "b.bin").write_bytes(b"\xff\xfe\x00bad")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", *env, "commit", "-qm", "x"], cwd=root, check=True)


def test_blobs_read_every_version_through_one_process(tmp_path):
    _repo(tmp_path)
    blob_a = git.output(tmp_path, "rev-parse", "HEAD:a.csv")
    blob_b = git.output(tmp_path, "rev-parse", "HEAD:b.bin")
    commit = git.output(tmp_path, "rev-parse", "HEAD")
    with git.Blobs(tmp_path) as blobs:
        assert blobs.text(blob_a) == "школа\nальфа\n"
        assert blobs.text(git.NULL_BLOB) == ""  # a file absent on one side of a change
        assert blobs.text(commit) == ""  # not a blob: nothing, and the stream stays in step
        assert blobs.text("1" * 40) == ""  # no such object
        assert blobs.text(blob_b) == "\ufffd\ufffd\x00bad"  # bytes that are not UTF-8 are replaced
        assert blobs.text(blob_a) == "школа\nальфа\n"
        process = blobs.process
    assert process.poll() == 0  # the process ends with the block


def test_a_command_that_must_succeed_says_why_in_russian(tmp_path):
    assert git.output(tmp_path, "rev-parse", "HEAD") is None
    with pytest.raises(git.GitFailed, match="^git rev-parse не выполнен: "):
        git.run(tmp_path, "rev-parse", "HEAD")

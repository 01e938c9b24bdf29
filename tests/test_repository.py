"""The repository's promises: workflows run the README's commands, the README lists exactly two set-up commands."""

from __future__ import annotations

import re

import yaml

from conftest import ROOT


def _workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def _commands(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for job in workflow["jobs"].values() for step in job.get("steps", []))


def test_pull_requests_validate_with_annotations_and_run_tests():
    wf = _workflow("pull-request.yml")
    assert "pull_request" in wf[True]  # YAML 1.1 reads the key «on» as True
    commands = _commands(wf)
    assert "kachestvo validate" in commands and "--format github" in commands
    assert "bash .ci/run" in commands


def test_main_builds_tests_and_deploys():
    wf = _workflow("publish.yml")
    assert wf[True]["push"]["branches"] == ["main"]
    commands = _commands(wf)
    assert "bash .ci/run" in commands and "kachestvo build" in commands
    uses = [s.get("uses", "") for job in wf["jobs"].values() for s in job.get("steps", [])]
    assert any(u.startswith("actions/deploy-pages") for u in uses)


def test_readme_gives_two_setup_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Быстрый старт.*?```bash\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["pip install -e '.[test]' && kachestvo build", "bash .ci/run"]
    assert "python3 -m pytest" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_generated_outputs_are_ignored():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert {"/build/", "/site/", "/.kachestvo-cache/"} <= set(ignored)

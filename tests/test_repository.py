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


def _steps(workflow: dict):
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


WORKFLOWS = ("pull-request.yml", "publish.yml")


def test_actions_are_pinned_to_full_commits_and_checkout_keeps_no_credentials():
    for name in WORKFLOWS:
        for step in _steps(_workflow(name)):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), f"{name}: {step['uses']} не закреплён"
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
                assert step["with"]["fetch-depth"] == 0  # history on pages and kachestvo diff need all commits


def test_least_privilege_permissions_per_job_and_concurrency():
    for name in WORKFLOWS:
        wf = _workflow(name)
        assert wf["permissions"] == {}, f"{name}: права по умолчанию должны быть пустыми"
        assert "group" in wf["concurrency"]
        for job_name, job in wf["jobs"].items():
            assert "permissions" in job, f"{name}: у задачи {job_name} не указаны права"
            assert "write" not in job["permissions"].values() or name == "publish.yml" and job_name == "deploy"
    assert _workflow("pull-request.yml")["concurrency"]["cancel-in-progress"] is True
    assert _workflow("publish.yml")["concurrency"]["cancel-in-progress"] is False
    deploy = _workflow("publish.yml")["jobs"]["deploy"]["permissions"]
    assert deploy == {"pages": "write", "id-token": "write"}


def test_pip_and_chart_caches():
    for name in WORKFLOWS:
        steps = _steps(_workflow(name))
        setup = [s for s in steps if s.get("uses", "").startswith("actions/setup-python@")]
        assert setup and all(s["with"]["cache"] == "pip" for s in setup)
        caches = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
        assert any(s["with"]["path"] == ".kachestvo-cache" for s in caches), f"{name}: нет кэша графиков"


def test_pull_request_summary_shows_the_site_diff_without_template_injection():
    wf = _workflow("pull-request.yml")
    step = next(s for s in _steps(wf) if "kachestvo diff" in s.get("run", ""))
    assert "--format markdown" in step["run"] and '>> "$GITHUB_STEP_SUMMARY"' in step["run"]
    assert "${{" not in step["run"]  # the base commit comes through the environment, never pasted into the script
    assert step["env"]["BASE"] == "${{ github.event.pull_request.base.sha }}"


def test_workflows_pass_zizmor_offline():
    import shutil
    import subprocess

    zizmor = shutil.which("zizmor")
    if zizmor is None:
        import pytest

        pytest.skip("zizmor не установлен: pip install -e '.[test]'")
    done = subprocess.run([zizmor, "--offline", str(ROOT / ".github" / "workflows")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_pull_requests_require_a_source_for_every_figure():
    assert "kachestvo audit" in _commands(_workflow("pull-request.yml"))


def test_admin_guide_says_how_to_switch_pages_to_github_actions():
    guide = (ROOT / "docs" / "src" / "admins.md").read_text(encoding="utf-8")
    assert "«GitHub Actions»" in guide and "Settings → Pages" in guide

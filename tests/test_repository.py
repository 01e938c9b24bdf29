"""The repository's promises about its own CI: which workflow runs which command, in which job and order, with
which permissions. Workflows are parsed with yaml and each step's shell script is split into commands (shlex), so
a check compares commands and their arguments, never substrings of a script. The checks are functions over the
parsed workflow, and the last tests show that each of them rejects a workflow changed to break its promise."""

from __future__ import annotations

import copy
import re
import shlex

import pytest
import yaml

from conftest import ROOT
from kachestvo.paths import CACHE

WORKFLOWS = ("pull-request.yml", "publish.yml")
OPERATORS = {"&&", "||", ";", "|", "&"}


def _workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def commands(script: str) -> list[list[str]]:
    """A step's shell script as commands (argument lists); a redirection stays in its command («>>», target)."""
    out: list[list[str]] = []
    for line in script.splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        current: list[str] = []
        for token in lexer:
            if token in OPERATORS:
                out += [current] if current else []
                current = []
            else:
                current.append(token)
        out += [current] if current else []
    return out


def _steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def _index(job: dict, predicate) -> int:
    """Position of the first step that satisfies `predicate`; fails with the job's step names if none does."""
    for i, step in enumerate(_steps(job)):
        if predicate(step):
            return i
    raise AssertionError(f"нет нужного шага среди {[s.get('name') or s.get('uses') for s in _steps(job)]}")


def _runs(argv: list[str]):
    """A step predicate: its script has a command that starts with `argv`."""
    return lambda step: any(c[: len(argv)] == argv for c in commands(step.get("run", "")))


def _uses(action: str):
    return lambda step: step.get("uses", "").split("@")[0] == action


def _command(step: dict, argv: list[str]) -> list[str]:
    return next(c for c in commands(step["run"]) if c[: len(argv)] == argv)


INSTALL = [
    ["python", "-m", "pip", "install", "--require-hashes", "-r", ".ci/requirements.txt"],
    ["python", "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-e", "."],
]


def check_pull_request(wf: dict) -> None:
    assert list(wf[True]) == ["pull_request"]  # YAML 1.1 reads the key «on» as True
    validate, test = wf["jobs"]["validate"], wf["jobs"]["test"]
    checkout = _index(validate, _uses("actions/checkout"))
    install = _index(validate, lambda s: commands(s.get("run", "")) == INSTALL)
    step = _steps(validate)[_index(validate, _runs(["kachestvo", "validate"]))]
    # every project of the repository (the live site and each example), problems as GitHub annotations
    assert _command(step, ["kachestvo", "validate"]) == ["kachestvo", "validate", "--project", "$project", "--format", "github"]
    assert ["for", "project", "in", ".", "examples/*/"] in [c[:5] for c in commands(step["run"])]
    run_validate = _steps(validate).index(step)
    audit = _index(validate, lambda s: commands(s.get("run", "")) == [["kachestvo", "audit"]])
    diff = _index(validate, _runs(["kachestvo", "diff"]))
    diff_step = _steps(validate)[diff]
    assert checkout < install < run_validate < audit < diff
    # the diff is shown even when validation failed, in the job summary, the base commit through the environment
    assert diff_step["if"] == "${{ !cancelled() }}"
    assert commands(diff_step["run"]) == [
        ["kachestvo", "diff", "--base", "$BASE", "--format", "markdown", ">>", "$GITHUB_STEP_SUMMARY"]
    ]
    assert "${{" not in diff_step["run"]
    assert diff_step["env"] == {"BASE": "${{ github.event.pull_request.base.sha }}"}
    last = _steps(test)[-1]
    assert commands(last["run"]) == [["CI=true", "bash", ".ci/run"]]
    assert _index(test, _uses("actions/checkout")) < len(_steps(test)) - 1


def check_publish(wf: dict) -> None:
    assert wf[True]["push"] == {"branches": ["main"]}
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    tests = _index(build, lambda s: commands(s.get("run", "")) == [["CI=true", "bash", ".ci/run"]])
    site = _index(build, lambda s: commands(s.get("run", "")) == [["kachestvo", "build"]])
    upload = _index(build, _uses("actions/upload-pages-artifact"))
    assert tests < site < upload  # tests first: a failing test publishes nothing
    assert _steps(build)[upload]["with"] == {"path": "site"}
    assert deploy["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in _steps(deploy)] == ["actions/deploy-pages"]


def test_pull_requests_validate_with_annotations_audit_show_the_diff_and_run_tests():
    check_pull_request(_workflow("pull-request.yml"))


def test_main_tests_then_builds_then_deploys():
    check_publish(_workflow("publish.yml"))


def test_ci_runs_the_whole_suite_in_parallel():
    """The pytest line of .ci/run selects no subset (no -m, -k or path) and spreads the tests over workers."""
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    pytest_lines = [shlex.split(line) for line in lines if line.startswith("python3 -m pytest")]
    assert len(pytest_lines) == 1
    args = pytest_lines[0][3:]
    assert args[-1] == "$@"  # a developer may add arguments: bash .ci/run -x tests/test_docs.py
    assert "-n" in args and args[args.index("-n") + 1] in ("2", "auto")
    assert not {"-m", "-k"} & set(args) and not any(a.startswith("tests") for a in args)


def _ignored(paths: list[str]) -> set[str]:
    """Which of the paths git ignores (`git check-ignore`, by the rules alone: tracked or not)."""
    import subprocess

    done = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"], cwd=ROOT, input="\n".join(paths), capture_output=True, text=True
    )
    assert done.returncode in (0, 1), done.stderr  # 1: none ignored
    return set(done.stdout.splitlines())


def test_generated_outputs_are_ignored_and_inputs_are_not():
    """What a build writes (build/, site/, the cache, the generated MkDocs configuration) is never committed, for the
    repository's own site and for every example; what staff and maintainers write is never ignored."""
    from kachestvo.output.publish import GENERATED

    outputs, inputs = [], []
    for prefix in ["", *(f"examples/{p.name}/" for p in sorted((ROOT / "examples").iterdir()) if p.is_dir())]:
        outputs += [f"{prefix}build/index.md", f"{prefix}site/index.html", f"{prefix}{CACHE}/key", f"{prefix}{GENERATED}"]
        inputs += [f"{prefix}data/schools.csv", f"{prefix}content/index.md", f"{prefix}mkdocs.yml"]
    assert len(outputs) > 4
    assert _ignored(outputs) == set(outputs)
    assert _ignored(inputs) == set()


def test_actions_are_pinned_to_full_commits_and_checkout_keeps_no_credentials():
    for name in WORKFLOWS:
        for job in _workflow(name)["jobs"].values():
            for step in _steps(job):
                if "uses" in step:
                    assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), f"{name}: {step['uses']} не закреплён"
                if _uses("actions/checkout")(step):
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
            assert isinstance(job["timeout-minutes"], int), f"{name}: у задачи {job_name} нет тайм-аута"
    assert _workflow("pull-request.yml")["concurrency"]["cancel-in-progress"] is True
    assert _workflow("publish.yml")["concurrency"]["cancel-in-progress"] is False
    deploy = _workflow("publish.yml")["jobs"]["deploy"]["permissions"]
    assert deploy == {"pages": "write", "id-token": "write"}


def test_pip_and_chart_caches():
    for name in WORKFLOWS:
        steps = [s for job in _workflow(name)["jobs"].values() for s in _steps(job)]
        setup = [s for s in steps if _uses("actions/setup-python")(s)]
        assert setup and all(s["with"]["cache"] == "pip" for s in setup)
        caches = [s for s in steps if _uses("actions/cache")(s)]
        assert any(s["with"]["path"] == CACHE for s in caches), f"{name}: нет кэша графиков"


def test_workflows_pass_zizmor_offline():
    import shutil
    import subprocess

    zizmor = shutil.which("zizmor")
    if zizmor is None:
        pytest.skip("zizmor не установлен: pip install -e '.[test]'")
    done = subprocess.run([zizmor, "--offline", str(ROOT / ".github" / "workflows")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_admin_guide_says_how_to_switch_pages_to_github_actions():
    guide = (ROOT / "docs" / "src" / "admins.md").read_text(encoding="utf-8")
    assert "«GitHub Actions»" in guide and "Settings → Pages" in guide


# --- the checks can fail -------------------------------------------------------------------------------------------


def test_commands_split_scripts_like_a_shell():
    script = 'shopt -s nullglob # comment\nkachestvo diff --base "$BASE" >> "$GITHUB_STEP_SUMMARY" || status=1\n'
    assert commands(script) == [
        ["shopt", "-s", "nullglob"],
        ["kachestvo", "diff", "--base", "$BASE", ">>", "$GITHUB_STEP_SUMMARY"],
        ["status=1"],
    ]


def _drop_format(wf):
    step = next(s for s in wf["jobs"]["validate"]["steps"] if "kachestvo validate" in s.get("run", ""))
    step["run"] = step["run"].replace(" --format github", "")


def _audit_before_validate(wf):
    steps = wf["jobs"]["validate"]["steps"]
    audit = next(s for s in steps if s.get("run", "").strip() == "kachestvo audit")
    steps.remove(audit)
    steps.insert(2, audit)


def _audit_commented_out(wf):
    step = next(s for s in wf["jobs"]["validate"]["steps"] if s.get("run", "").strip() == "kachestvo audit")
    step["run"] = "# kachestvo audit\necho skipped"


def _diff_skipped_on_failure(wf):
    next(s for s in wf["jobs"]["validate"]["steps"] if "kachestvo diff" in s.get("run", "")).pop("if")


def _tests_without_ci(wf):
    wf["jobs"]["test"]["steps"][-1]["run"] = "bash .ci/run -m 'not slow'"


def _build_before_tests(wf):
    steps = wf["jobs"]["build"]["steps"]
    tests = next(s for s in steps if "bash .ci/run" in s.get("run", ""))
    steps.remove(tests)
    steps.append(tests)


def _deploy_not_after_build(wf):
    wf["jobs"]["deploy"].pop("needs")


@pytest.mark.parametrize(
    "name, check, breaks",
    [
        ("pull-request.yml", check_pull_request, _drop_format),
        ("pull-request.yml", check_pull_request, _audit_before_validate),
        ("pull-request.yml", check_pull_request, _audit_commented_out),
        ("pull-request.yml", check_pull_request, _diff_skipped_on_failure),
        ("pull-request.yml", check_pull_request, _tests_without_ci),
        ("publish.yml", check_publish, _build_before_tests),
        ("publish.yml", check_publish, _deploy_not_after_build),
    ],
)
def test_each_check_rejects_a_broken_workflow(name, check, breaks):
    wf = copy.deepcopy(_workflow(name))
    breaks(wf)
    with pytest.raises((AssertionError, KeyError)):
        check(wf)

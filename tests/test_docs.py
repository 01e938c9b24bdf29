"""The documentation: a README a newcomer reads (≤ 8 KB, the commands CI runs, every example), the docs site built
strict with no warning and no external request, references equal to the code, every command in a guide, and
no guide naming a command or option that does not exist."""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shlex
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECTS, ROOT
from kachestvo.cli import parser
from kachestvo.validate.catalogue import CATALOGUE

README = ROOT / "README.md"
DOCS = ROOT / "docs"
SRC = DOCS / "src"
CI_RUN = ROOT / ".ci" / "run"


def _generator():
    spec = importlib.util.spec_from_file_location("docs_reference", ROOT / "scripts" / "docs_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _guides() -> dict[Path, str]:
    """Hand-written pages (everything but the generated references)."""
    return {p: p.read_text(encoding="utf-8") for p in sorted(SRC.rglob("*.md")) if "reference" not in p.parts}


def _readme() -> str:
    return README.read_text(encoding="utf-8")


def _readme_commands() -> list[str]:
    block = re.search(r"## Быстрый старт.*?```bash\n(.*?)```", _readme(), re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


# --- README -------------------------------------------------------------------------------------------------


def test_readme_is_at_most_8_kb():
    size = len(README.read_bytes())
    assert size <= 8192, f"README.md — {size} байт, больше 8 КБ: перенесите подробности в docs/"


def test_readme_links_and_images_exist():
    targets = re.findall(r"\]\(([^)\s]+)\)", _readme()) + re.findall(r'<img src="([^"]+)"', _readme())
    local = [t for t in targets if not re.match(r"[a-z]+:", t)]
    assert local, "README.md должен ссылаться на документацию в docs/"
    missing = [t for t in local if not (ROOT / t.split("#")[0]).exists()]
    assert missing == [], f"README.md ссылается на несуществующие файлы: {missing}"
    assert any(t.startswith("docs/src/") and t.endswith(".md") for t in local)


def test_readme_screenshot_is_a_small_phone_width_png():
    src = re.search(r'<img src="([^"]+\.png)"', _readme()).group(1)
    data = (ROOT / src).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 390 and height >= 600, (width, height)
    assert len(data) <= 200_000, f"{src}: {len(data)} байт"


def test_readme_and_docs_list_every_example():
    examples_page = (SRC / "examples.md").read_text(encoding="utf-8")
    for name in PROJECTS:
        assert f"`examples/{name}`" in _readme(), f"README.md не называет пример examples/{name}"
        assert f"`examples/{name}`" in examples_page, f"docs/src/examples.md не называет пример examples/{name}"


def test_readme_setup_commands_are_what_ci_runs():
    build, tests = _readme_commands()
    assert tests == "bash .ci/run"
    *installs, run = build.split(" && ")
    assert run == "kachestvo build"
    ci = [shlex.split(line) for line in CI_RUN.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    ci_installs = [
        [a for a in c[4:] if a not in ("-q", "--no-build-isolation")] for c in ci if c[:4] == ["python3", "-m", "pip", "install"]
    ]
    # the README's installs are .ci/run's, in the same order (.ci/run adds only «python3 -m», «-q», «--no-build-isolation»)
    readme_installs = [shlex.split(i)[2:] for i in installs]
    assert all(shlex.split(i)[:2] == ["pip", "install"] for i in installs)
    assert readme_installs == ci_installs, (readme_installs, ci_installs)
    assert ["kachestvo", "build"] in ci
    assert any(c[:3] == ["python3", "-m", "pytest"] for c in ci)


def test_ci_builds_the_docs_strict():
    ci = CI_RUN.read_text(encoding="utf-8")
    assert re.search(r"^(NO_MKDOCS_2_WARNING=1 )?mkdocs build --strict -f docs/mkdocs\.yml$", ci, re.M)


# --- generated references -----------------------------------------------------------------------------------


def test_generated_references_match_the_code():
    gen = _generator()
    stale = [str(p.relative_to(ROOT)) for p in gen.stale()]
    assert stale == [], f"устарели {stale}: обновите командой «{gen.REGENERATE}»"


def test_generator_check_mode_reports_a_stale_page(tmp_path, monkeypatch):
    gen = _generator()
    monkeypatch.setattr(gen, "REFERENCE", tmp_path)
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    assert gen.main(["--check"]) == 1  # nothing written yet: every page is stale
    assert gen.main([]) == 0 and gen.main(["--check"]) == 0
    (tmp_path / "cli.md").write_text(gen.cli_page().replace("kachestvo serve", "kachestvo ser"), encoding="utf-8")
    assert [p.name for p in gen.stale()] == ["cli.md"]


def _section(text: str, command: str) -> str:
    parts = re.split(r"^## ", text, flags=re.M)
    return next(p for p in parts if p.startswith(f"`kachestvo {command}`"))


def test_cli_reference_has_every_command_and_every_option():
    text = (SRC / "reference" / "cli.md").read_text(encoding="utf-8")
    for name, sub in _subparsers().items():
        section = _section(text, name)
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            label = action.option_strings[-1] if action.option_strings else action.metavar
            assert f"`{label}" in section, f"справочник: у «kachestvo {name}» не описан {label}"
            for choice in action.choices or ():
                assert f"`{choice}`" in section, f"справочник: у {label} не названо значение {choice}"


def test_every_command_and_option_has_help():
    sub_action = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    helps = {c.dest: c.help for c in sub_action._choices_actions}
    for name, sub in _subparsers().items():
        assert (sub.description or helps.get(name) or "").strip(), f"у «kachestvo {name}» нет описания для справки"
        for action in sub._actions:
            label = action.option_strings or action.dest
            assert (action.help or "").strip(), f"у «kachestvo {name}» параметр {label} без справки"


def test_problem_catalogue_page_lists_every_code_with_what_to_do():
    text = (SRC / "reference" / "problems.md").read_text(encoding="utf-8")
    for code, kind in CATALOGUE.items():
        row = next((line for line in text.splitlines() if line.startswith(f"| `{code}` |")), None)
        assert row, f"в справочнике нет кода {code}"
        assert kind.title in row and kind.todo in row
        assert ("предупреждение" in row) == (kind.severity == "warning")
        assert ("проверка дальше не идёт" in row) == kind.fatal


# --- guides -------------------------------------------------------------------------------------------------


def test_every_command_is_described_in_a_guide():
    guides = "\n".join(_guides().values())
    missing = [name for name in _subparsers() if f"kachestvo {name}" not in guides]
    assert missing == [], f"команды не описаны ни в одном руководстве docs/src/: {', '.join(missing)}"


COMMAND = re.compile(r"(?<![\w/.=\"-])kachestvo ([a-z][\w-]*)([^`\n#|;&>]*)")


def _code(text: str) -> list[str]:
    """Inline code spans and the lines of fenced blocks."""
    blocks = re.findall(r"^ *```[^\n]*\n(.*?)^ *```", text, re.S | re.M)
    inline = re.findall(r"`([^`\n]+)`", re.sub(r"^ *```[^\n]*\n.*?^ *```", "", text, flags=re.S | re.M))
    return [line for block in blocks for line in block.replace("\\\n", " ").splitlines()] + inline


def _mentions(text: str) -> list[tuple[str, list[str]]]:
    out = []
    for code in _code(text):
        for m in COMMAND.finditer(code):
            options = [t.split("=")[0] for t in m.group(2).split() if t.startswith("--")]
            out.append((m.group(1), options))
    return out


def test_mentions_checker_sees_commands_and_options():
    text = "Run `kachestvo import x.xlsx --table results --sheet Л` then\n```bash\nkachestvo diff --base HEAD  # note --x\n"
    text += "kachestvo init p --id x \\\n  --name y\n```\n"
    assert sorted(_mentions(text)) == [("diff", ["--base"]), ("import", ["--table", "--sheet"]), ("init", ["--id", "--name"])]


def test_guides_and_readme_name_only_real_commands_and_options():
    commands = _subparsers()
    top = {s for a in parser()._actions for s in a.option_strings}
    wrong = []
    for path, text in [(README, _readme()), *_guides().items()]:
        for command, options in _mentions(text):
            if command not in commands:
                wrong.append(f"{path.name}: нет команды «kachestvo {command}»")
                continue
            known = top | {s for a in commands[command]._actions for s in a.option_strings}
            wrong += [f"{path.name}: у «kachestvo {command}» нет параметра {o}" for o in options if o not in known]
    assert wrong == []


def test_admin_guide_names_the_checks_to_require():
    import yaml

    guide = (SRC / "admins.md").read_text(encoding="utf-8")
    for workflow in (
        ROOT / "scripts" / "kachestvo" / "skeleton" / "workflows" / "pull-request.yml",
        ROOT / ".github" / "workflows" / "pull-request.yml",
    ):
        jobs = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
        missing = [job for job in jobs if f"`{job}`" not in guide]
        assert missing == [], f"admins.md не называет проверки {missing} из {workflow.relative_to(ROOT)}"


# --- the docs site ------------------------------------------------------------------------------------------


EXTERNAL = r'<(?:script|img|iframe)\b[^>]*\bsrc="(?:https?:)?//[^"]*"|<link\b[^>]*\bhref="(?:https?:)?//[^"]*"'


def test_docs_build_strict_with_no_warning_and_no_external_request(tmp_path):
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(DOCS / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        env=env,
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    assert not re.search(r"^(WARNING|ERROR)\b", log, re.M), log
    pages = sorted(site.rglob("*.html"))
    guides = [p for p in _guides() if p.name != "index.md"] + sorted((SRC / "reference").glob("*.md"))
    for page in guides:
        rel = page.relative_to(SRC).with_suffix("")
        assert (site / rel / "index.html").is_file(), f"страница {rel} не собрана"
    for page in pages:
        html = page.read_text(encoding="utf-8")
        external = re.findall(EXTERNAL, html)
        assert external == [], f"{page.relative_to(site)}: внешние ресурсы {external}"
        assert "fonts.googleapis" not in html and "googletagmanager" not in html
    assert '<html lang="ru"' in (site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "page, added",
    [
        ("examples.md", "[нет такой страницы](nowhere.md)"),
        ("examples.md", "[нет якоря](staff.md#nowhere)"),
        ("examples.md", '<script src="https://cdn.example.org/x.js"></script>'),
        ("orphan.md", "# Страница вне меню"),
    ],
)
def test_docs_build_fails_on_a_broken_link_an_external_script_or_a_page_outside_the_menu(tmp_path, page, added):
    """The strict build is an oracle: each of these in a guide fails it, naming the page."""
    import shutil

    copy = tmp_path / "docs"
    shutil.copytree(DOCS, copy, ignore=shutil.ignore_patterns("site"))
    path = copy / "src" / page
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(text + f"\n{added}\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(copy / "mkdocs.yml"), "-d", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode != 0 and page in done.stderr, done.stderr

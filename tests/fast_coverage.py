"""The fast subset covers every module: run it under coverage and list each module of scripts/kachestvo with the share
of its statements the fast tests execute; fail if a module is below the floor (or never imported).

    python tests/fast_coverage.py            # the fast subset on 2 workers, then the table
    python tests/fast_coverage.py -x         # extra arguments go to pytest

The coverage data goes to a temporary folder, never into the repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "scripts" / "kachestvo"
FLOOR = 50  # per cent of a module's statements run by the fast subset


def measure(data: Path, extra: list[str]) -> int:
    env = dict(os.environ, COVERAGE_FILE=str(data))
    args = [sys.executable, "-m", "pytest", "-q", "-m", "not slow", "-n", "2", "--cov=kachestvo", "--cov-report=", *extra]
    return subprocess.run(args, cwd=ROOT, env=env).returncode


def shares(data: Path) -> dict[str, float]:
    """Module path (relative to the package) → per cent of its statements executed."""
    import coverage

    cov = coverage.Coverage(data_file=str(data))
    cov.load()
    measured = {Path(f).resolve(): f for f in cov.get_data().measured_files()}
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if path.resolve() not in measured:
            out[rel] = 0.0
            continue
        _, statements, _, missing, _ = cov.analysis2(measured[path.resolve()])
        out[rel] = 100.0 if not statements else 100.0 * (len(statements) - len(missing)) / len(statements)
    return out


def main(extra: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="kq-coverage-") as tmp:
        data = Path(tmp) / ".coverage"
        code = measure(data, extra)
        table = shares(data)
    below = {rel: share for rel, share in table.items() if share < FLOOR}
    for rel, share in table.items():
        print(f"{share:5.0f} %  {rel}{'  < ' + str(FLOOR) + ' %' if rel in below else ''}")
    print(f"{len(table)} modules; lowest {min(table.values()):.0f} %; floor {FLOOR} %; below: {len(below)}")
    return code or (1 if below else 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

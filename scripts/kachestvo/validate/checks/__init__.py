"""Business rules a Table Schema cannot express: one small function each, all run, every problem kept.

Each check takes the leniently typed Dataset and yields Problems; `run` collects them all. The rule modules below
register their checks with `rule.check` when imported; this list is the only place that names them.
"""

from __future__ import annotations

from kachestvo.dataset import Dataset
from kachestvo.validate.checks import activities, as_of, documents, personal, privacy, programme, reserved, results, schools
from kachestvo.validate.checks.rule import CHECKS
from kachestvo.validate.problems import Problem

RULE_MODULES = (activities, as_of, documents, personal, privacy, programme, reserved, results, schools)


def run(ds: Dataset) -> list[Problem]:
    return [p for fn in CHECKS for p in fn(ds)]

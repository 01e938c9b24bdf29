"""The vocabulary module agrees with the schema enums: one list of each domain word, no drift."""

from __future__ import annotations

from kachestvo import schemas, vocabulary


def _enum(table: str, field: str) -> tuple:
    return tuple(schemas.field(table, field)["constraints"]["enum"])


def test_vocabulary_matches_schema_enums():
    assert vocabulary.ASSESSMENTS == _enum("results", "assessment")
    assert tuple(vocabulary.RESULT_UNITS) == _enum("results", "unit")
    assert vocabulary.METRICS == _enum("results", "metric")
    assert vocabulary.MISSING_REASONS == _enum("results", "value_missing")
    assert (
        vocabulary.LISTS == _enum("list_membership", "list") == _enum("list_sizes", "list") == _enum("list_sizes", "shared_with")
    )
    assert vocabulary.DIRECTIONS == _enum("indicators", "direction")
    assert vocabulary.LIST_STATUSES == _enum("list_membership", "status")
    assert tuple(vocabulary.INDICATOR_UNITS) == _enum("indicators", "unit")
    assert tuple(vocabulary.INDICATOR_HINTS) == _enum("indicators", "unit")
    assert vocabulary.ACTUAL_MISSING == _enum("indicator_values", "actual_missing")


def test_derived_sets_are_subsets():
    assert set(vocabulary.LOW_RESULT_LISTS) <= set(vocabulary.LISTS)
    assert vocabulary.LOWER_IS_BETTER <= set(vocabulary.METRICS)
    assert set(vocabulary.METRIC_UNITS) <= set(vocabulary.METRICS)
    assert {u for units in vocabulary.METRIC_UNITS.values() for u in units} <= set(vocabulary.RESULT_UNITS)
    assert vocabulary.PARTICIPANTS in vocabulary.METRICS and vocabulary.SUPPRESSED in vocabulary.MISSING_REASONS
    assert set(vocabulary.ACTUAL_MISSING) <= set(vocabulary.INDICATOR_STATUSES)

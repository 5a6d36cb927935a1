from datetime import date
from decimal import Decimal

import pytest

from election_kg.pipeline import values


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("136", 136),
        ("0", 0),
        ("12,000", 12000),
        ("12 000", 12000),
        ("1,234,567", 1234567),
        (" 7 ", 7),
    ],
)
def test_counts(raw, expected):
    assert values.parse_count(raw) == expected


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("-4", "must not be negative"),
        ("seven", "whole number"),
        ("1.5", "whole number"),
        ("12,00", "whole number"),
    ],
)
def test_bad_counts(raw, problem):
    with pytest.raises(ValueError, match=problem):
        values.parse_count(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("22.95", Decimal("22.95")),
        ("22,95", Decimal("22.95")),
        ("100", Decimal("100")),
        ("0.89%", Decimal("0.89")),
        ("1,234.5", Decimal("1234.5")),
    ],
)
def test_decimals(raw, expected):
    assert (
        values.parse_percentage(raw) == expected
        if expected <= 100
        else values.parse_decimal(raw) == expected
    )


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("100.01", "between 0 and 100"),
        ("-1", "between 0 and 100"),
        ("abc", "number"),
        ("1,2,3", "several commas"),
    ],
)
def test_bad_percentages(raw, problem):
    with pytest.raises(ValueError, match=problem):
        values.parse_percentage(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("17 May 2007", date(2007, 5, 17)),
        ("May 17, 2007", date(2007, 5, 17)),
        ("2007-05-17", date(2007, 5, 17)),
    ],
)
def test_dates(raw, expected):
    assert values.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["", "n/a", "N/A", "–", "—", "-"])
def test_absent_markers(raw):
    assert values.is_absent(raw)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Workers' Party (Algeria)", "Workers' Party"),
        ("Movement of Society for Peace", "Movement of Society for Peace"),
        ("Progressive Republican Party (Algeria)", "Progressive Republican Party"),
        ("(Algeria)", "(Algeria)"),
    ],
)
def test_disambiguation_suffix_is_dropped_from_labels(title, label):
    assert values.strip_disambiguation(title) == label

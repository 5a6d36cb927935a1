"""The dumps write decimals and integers in their XSD 1.1 canonical form, so every store answers alike:
Oxigraph and Virtuoso answer with the canonical form whatever they were given, Fuseki with what it was
given ("2.00" would come back from Fuseki, "2" from the others)."""

from __future__ import annotations

import re

import pytest

from election_kg.pipeline.dumps import canonical_number, canonical_numbers

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    ("lexical", "datatype", "canonical"),
    [
        ("2.00", "decimal", "2"),
        ("10.50", "decimal", "10.5"),
        ("-10.50", "decimal", "-10.5"),
        ("35.67", "decimal", "35.67"),
        ("-0.0", "decimal", "0"),
        (".50", "decimal", "0.5"),
        ("5.", "decimal", "5"),
        ("0.000001", "decimal", "0.000001"),
        ("+007", "integer", "7"),
        ("-0", "integer", "0"),
        ("389", "integer", "389"),
        # not numbers of that type: left as they are (the SHACL gate reports them)
        ("1E3", "decimal", "1E3"),
        ("1.5", "integer", "1.5"),
        (" 5", "integer", " 5"),
        ("many", "decimal", "many"),
    ],
)
def test_canonical_number(lexical, datatype, canonical):
    assert canonical_number(lexical, datatype) == canonical


def test_only_typed_numbers_change_never_text_that_looks_like_one():
    text = (
        f'<http://e/s> <http://e/p> "2.00"^^<{XSD}decimal> .\n'
        f'<http://e/s> <http://e/q> "007"^^<{XSD}integer> <http://e/g> .\n'
        f'<http://e/s> <http://e/r> "2.00"^^<{XSD}double> .\n'
        f'<http://e/s> <http://e/t> "says \\"2.00\\"^^<{XSD}decimal>"@en .\n'
    )
    assert canonical_numbers(text).splitlines() == [
        f'<http://e/s> <http://e/p> "2"^^<{XSD}decimal> .',
        f'<http://e/s> <http://e/q> "7"^^<{XSD}integer> <http://e/g> .',
        f'<http://e/s> <http://e/r> "2.00"^^<{XSD}double> .',
        f'<http://e/s> <http://e/t> "says \\"2.00\\"^^<{XSD}decimal>"@en .',
    ]


def test_the_published_dumps_hold_canonical_numbers_only(built):
    for name in ("election-kg.nt", "election-kg.nq"):
        text = (built.dist / name).read_text(encoding="utf-8")
        found = re.findall(r'"([^"]*)"\^\^<' + re.escape(XSD) + r"(decimal|integer)>", text)
        assert found, name
        assert [(v, t) for v, t in found if canonical_number(v, t) != v] == [], name
        assert f'"10.5"^^<{XSD}decimal>' in text  # the turnout change's magnitude, read as 10.50

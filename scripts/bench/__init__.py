"""Benchmarks, the soak test and synthetic data: developer tools, run from a checkout, never shipped.

Run each as a module from the project folder, e.g. `python -m election_kg.bench.build`.
"""

from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
"""The project checkout these tools measure (its ontology/, shapes/ and data/)."""

QUERIES = Path(__file__).resolve().parent / "queries"
"""The benchmark query mix (.rq)."""

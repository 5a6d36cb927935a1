"""Linking our entities to Wikidata and Party Facts: candidates for review, exports, loads into stores.

Nothing here adds a link: links are published only from data/links/, each with its evidence.
"""

from pathlib import Path

QUERIES = Path(__file__).resolve().parent / "queries"
"""The linker's SPARQL queries (.rq), shipped with the package."""

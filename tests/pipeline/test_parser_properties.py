"""Property-based: for any text, the article reader gives records or a clear SourceError, never a crash."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph

from election_kg.pipeline.article import parse_article
from election_kg.pipeline.errors import SourceError
from election_kg.pipeline.graph import add_election
from election_kg.pipeline.infobox import read_election
from election_kg.pipeline.provenance import SourceWriter
from tests.support.project import ROOT

SEED = (ROOT / "data" / "sources" / "2007_Algerian_parliamentary_election.txt").read_text(
    encoding="utf-8"
)
LINES = SEED.splitlines()


def _read(text: str) -> None:
    try:
        article = parse_article(text, Path("fuzz.txt"))
        add_election(SourceWriter(Graph(), article), read_election(article))
    except SourceError as err:
        assert err.problem and str(err).startswith("fuzz.txt")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text(text):
    _read(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *LINES,
                "",
                "Infobox",
                "- Seats1: -3",
                "- Percentage1: 101",
                "- : x",
                "-",
                "= =",
                "==X==",
                "- Party1: ()",
                "- Leader2: ...",
                "- Country: ?!",
            ]
        ),
        max_size=60,
    )
)
def test_any_shuffle_of_article_lines(lines):
    _read("\n".join(lines))


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=len(SEED)), st.text(max_size=5))
def test_any_single_edit_of_the_seed(position, insert):
    _read(SEED[:position] + insert + SEED[position + 1 :])

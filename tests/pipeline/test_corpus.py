"""Every infobox row of every article in data/sources/, checked by SPARQL against the text itself.

Expectations come from a tiny parser here (a regex over `- Key: Value` lines), never from the
pipeline's reader, and never from a list written for one file: the checks hold for any article of
the same layouts. Each fact must also say its infobox line.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from election_kg.common import iris
from election_kg.pipeline.assemble import BuildSettings, assemble
from tests.support.project import ROOT, copy_project, run_cli
from tests.support.sparql import PREFIXES, rows

SEED = ROOT / "data" / "sources" / "2007_Algerian_parliamentary_election.txt"
SOURCES = sorted((ROOT / "data" / "sources").glob("*.txt"))
LINE = re.compile(r"^- (?P<key>[^:]+?):\s?(?P<value>.*)$")
ROW = re.compile(r"^(?P<field>[A-Za-z ]+?)(?P<n>\d+)$")
INDEPENDENT = re.compile(r"^independents?\b|^independent politician$", re.IGNORECASE)


def infobox(path: Path) -> tuple[str, list[tuple[int, str, str]]]:
    """The title and the (line number, key, value) of each infobox line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    title = lines[0].strip("= ").strip()
    found, inside = [], False
    for number, text in enumerate(lines, start=1):
        if text.strip() == "Infobox":
            inside = True
        elif inside and not text.strip():
            break
        elif inside and (m := LINE.match(text)):
            found.append((number, m["key"].strip(), m["value"].strip().rstrip("|").strip()))
    return title, found


@pytest.fixture(scope="module")
def corpus() -> Graph:
    """Seed and corpus, read once by the real pipeline (without the SHACL gate: rules are
    tested elsewhere; here every row is)."""
    return assemble(BuildSettings(root=ROOT, validate=False)).union


def ask(graph: Graph, query: str, **bindings: object) -> bool:
    return bool(graph.query(PREFIXES + query, initBindings=bindings or None).askAnswer)


def cases() -> list[tuple[str, int, str, str]]:
    return [(p.name, n, k, v) for p in SOURCES for n, k, v in infobox(p)[1]]


def _election(name: str) -> URIRef:
    return iris.election(infobox(ROOT / "data" / "sources" / name)[0])


def test_the_corpus_is_in_the_project():
    assert len(SOURCES) >= 16


@pytest.mark.parametrize(("name", "line", "key", "value"), cases())
def test_every_infobox_line_is_the_source_of_a_fact(corpus, name, line, key, value):
    """Nothing is lost: each line is the provenance of at least one fact of its article (or, for
    'Leader7: –', of the mention that says there is no leader)."""
    assert ask(
        corpus,
        """ASK { { ?st rdf:subject ?s ; prov:wasDerivedFrom ?ex } UNION { ?s ek:mentionedIn ?ex }
                 ?ex ek:lineNumber ?line ; ek:excerptOf ?src ; ek:infoboxKey ?key .
                 ?src ek:sha256 ?sha . FILTER(STRENDS(STR(?src), ?stem)) }""",
        line=Literal(line),
        key=Literal(key),
        stem=Literal(iris.slug(Path(name).stem)),
    ), f"{name}:{line} {key!r} is the source of no fact"


def _number(value: str) -> Decimal | None:
    text = value.strip().rstrip("%").replace(",", "")
    return Decimal(text) if re.fullmatch(r"\d+(\.\d+)?", text) else None


ROW_FIGURES = {"Seats": "seatsWon", "Percentage": "voteShare", "Popular Vote": "votes"}


@pytest.mark.parametrize(
    ("name", "line", "key", "value"),
    [c for c in cases() if (m := ROW.match(c[2])) and m["field"] in ROW_FIGURES],
)
def test_every_row_figure_is_on_its_result_with_its_line(corpus, name, line, key, value):
    m = ROW.match(key)
    assert m is not None
    expected = _number(value)
    if expected is None:  # an absent marker ('–', 'n/a'): absent, never zero
        assert not ask(
            corpus,
            f"ASK {{ ?r ek:election ?e ; ek:listPosition ?n ; ek:{ROW_FIGURES[m['field']]} ?v }}",
            e=_election(name),
            n=Literal(int(m["n"])),
        )
        return
    found = rows(
        corpus,
        f"""SELECT ?v WHERE {{
              ?r ek:election ?e ; ek:listPosition ?n ; ek:{ROW_FIGURES[m["field"]]} ?v .
              ?st rdf:subject ?r ; rdf:predicate ek:{ROW_FIGURES[m["field"]]} ;
                  prov:wasDerivedFrom/ek:lineNumber ?line }}""",
        e=_election(name),
        n=Literal(int(m["n"])),
        line=Literal(line),
    )
    assert [Decimal(str(r["v"])) for r in found] == [expected]


NAMES = {"Party", "Nominee", "Candidate", "Alliance", "Running Mate"}


@pytest.mark.parametrize(
    ("name", "line", "key", "value"),
    [c for c in cases() if (m := ROW.match(c[2])) and m["field"] in NAMES and c[3] not in "–-"],
)
def test_every_row_name_is_a_node_of_its_result_or_kept_raw(corpus, name, line, key, value):
    """The row's party, nominee, alliance and running mate are nodes of its result, labelled
    without disambiguation; the independents are never a party (their line is kept raw)."""
    n = int(ROW.match(key)["n"])  # type: ignore[index]
    label = re.sub(r"\s*\([^()]*\)$", "", value)
    if INDEPENDENT.match(value):
        assert not ask(
            corpus, "ASK { ?p a ek:PoliticalParty ; rdfs:label ?l }", l=Literal(label, lang="en")
        )
        return
    assert ask(
        corpus,
        """ASK { ?r ek:election ?e ; ek:listPosition ?n ;
                    (ek:contestant|ek:party|ek:candidate|ek:alliance|ek:runningMate|ek:contestant/^org:memberOf) ?x .
                 ?x rdfs:label ?l ; ek:mentionedIn/ek:lineNumber ?line }""",
        e=_election(name),
        n=Literal(n),
        l=Literal(label, lang="en"),
        line=Literal(line),
    ), f"{name}:{line} {key}: {value!r}"


def test_independents_are_never_a_party(corpus):
    labels = [
        r["l"] for r in rows(corpus, "SELECT ?l WHERE { ?p a ek:PoliticalParty ; rdfs:label ?l }")
    ]
    assert labels and not [label for label in labels if INDEPENDENT.match(str(label))]


def test_an_alliance_row_credits_the_alliance_not_the_party(corpus):
    """Where a legislative row names an alliance, the alliance is the contestant, the party its member."""
    for r in rows(
        corpus,
        """SELECT ?r ?party WHERE { ?r ek:contestant ?a . ?a a ek:Alliance .
             ?e a ek:LegislativeElection . ?r ek:election ?e . ?party org:memberOf ?a }""",
    ):
        assert not ask(
            corpus,
            "ASK { ?x ek:contestant ?party ; ek:election ?e . ?r ek:election ?e }",
            party=r["party"],
            r=r["r"],
        )


def test_unknown_keys_are_kept_with_raw_text(tmp_path):
    article = tmp_path / "2010_Testland_general_election.txt"
    text = (
        ROOT / "tests" / "fixtures" / "articles" / "2002_Testland_general_election.txt"
    ).read_text()
    text = text.replace("2002", "2010").replace(
        "- Seats2: 4", "- Seats2: 4\n- Flux Capacitor: 1.21 GW\n- Frobnicate2: yes"
    )
    article.write_text(text, encoding="utf-8")
    root = copy_project(tmp_path / "p", [SEED, article])
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert "2 unknown infobox key(s)" in result.stderr
    graph = assemble(BuildSettings(root=root, validate=False)).union
    for key, raw in (("Flux Capacitor", "1.21 GW"), ("Frobnicate2", "yes")):
        assert ask(
            graph,
            """ASK { ?owner ek:infoboxField ?f . ?f ek:infoboxKey ?k ; ek:rawValue ?raw ;
                     prov:wasDerivedFrom/ek:exactText ?line . FILTER(CONTAINS(?line, ?raw)) }""",
            k=Literal(key),
            raw=Literal(raw),
        )


def test_namesake_parties_of_two_countries_are_two_nodes(tmp_path):
    articles = ROOT / "tests" / "fixtures" / "articles"
    sources = [
        SEED,
        articles / "2002_Testland_general_election.txt",
        articles / "2003_Namesake_general_election.txt",
    ]
    root = copy_project(tmp_path / "p", sources)
    graph = assemble(BuildSettings(root=root, validate=False)).union
    found = rows(
        graph,
        """SELECT ?p ?c WHERE { ?r ek:contestant ?p ; ek:election/ek:country ?c .
             ?p rdfs:label "Testland Green Party"@en } ORDER BY ?p""",
    )
    assert len({r["p"] for r in found}) == 2
    assert len({r["c"] for r in found}) == 2

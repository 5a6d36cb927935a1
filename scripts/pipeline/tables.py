"""Tidy tables of every release: `results.csv` and `elections.csv`, described by `datapackage.json`.

For people who open election results in a spreadsheet, R or pandas rather than a SPARQL client.
Each table is the answer of one query kept as data (`queries/results.rq`, `queries/elections.rq`),
run with pyoxigraph over the release's own N-Triples and written by pyoxigraph's SPARQL CSV writer
(UTF-8, RFC 4180: CRLF line ends, quotes where needed). The queries are published beside the
tables, so anyone can check a CSV against the SPARQL endpoint of the same release: the rows are equal.

Figures keep their precision in separate columns (exact, about, more than), as the graph does with
`schema:value`, `ek:approximately` and `ek:moreThan`; nothing is flattened into one number. The
data package (Frictionless Data, tabular) gives each column its type and meaning, the primary and
foreign keys, the licence, the source articles, and each CSV's size and SHA-256.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from election_kg.common import query_files

QUERIES = Path(__file__).with_name("queries")
TABLES = ("results", "elections")
LICENSE = {
    "name": "CC-BY-SA-4.0",
    "path": "https://creativecommons.org/licenses/by-sa/4.0/",
    "title": "Creative Commons Attribution-ShareAlike 4.0",
}
IRI = {"type": "string", "format": "uri"}


def _field(name: str, kind: str | dict[str, Any], description: str, **more: Any) -> dict[str, Any]:
    spec = dict(kind) if isinstance(kind, dict) else {"type": kind}
    return {"name": name, **spec, "description": description, **more}


RESULT_FIELDS = [
    _field(
        "result", IRI, "The result row's IRI (ek:ElectionResult)", constraints={"required": True}
    ),
    _field("election", IRI, "The election's IRI (elections.csv)", constraints={"required": True}),
    _field("election_label", "string", "The election's name"),
    _field("country", IRI, "The country's IRI"),
    _field("country_label", "string", "The country's name"),
    _field("date", "date", "The voting day (of the round, if any), or the first day of several"),
    _field("round", "integer", "The voting round (1, 2, ...) where the election has rounds"),
    _field("list_position", "integer", "The row's position in the article's results table"),
    _field("contestant", IRI, "The IRI of who the result is of: party, alliance, candidate, ..."),
    _field("contestant_label", "string", "The contestant's name"),
    _field(
        "contestant_kind",
        "string",
        "party, alliance, independents (the independent candidates together) or candidate",
        constraints={"enum": ["party", "alliance", "independents", "candidate"]},
    ),
    _field("party", IRI, "The party: the contestant itself, or the party of a candidate"),
    _field("party_label", "string", "The party's name"),
    _field("alliance", IRI, "The alliance the row names, or the contestant if it is one"),
    _field("alliance_label", "string", "The alliance's name"),
    _field("leader_or_candidate", IRI, "The party's leader at the election, or the candidate"),
    _field("leader_or_candidate_label", "string", "The leader's or candidate's name"),
    _field("running_mate", IRI, "The candidate's running mate"),
    _field("running_mate_label", "string", "The running mate's name"),
    _field("votes", "integer", "Votes received (ek:votes)"),
    _field("vote_share", "number", "Share of the votes, in percent (ek:voteShare)"),
    _field("seats", "integer", "Seats won (ek:seatsWon)"),
    _field("seats_before", "integer", "Seats at the previous election (ek:previousSeats)"),
    _field("seat_change", "integer", "seats minus seats_before (derived, ek:seatChange)"),
    _field(
        "wikidata",
        "string",
        "The contestant's Wikidata item (owl:sameAs), e.g. Q627196",
        constraints={"pattern": "Q[0-9]+"},
    ),
    _field(
        "party_facts",
        "string",
        "The contestant's Party Facts identifier (owl:sameAs)",
        constraints={"pattern": "[0-9]+"},
    ),
    _field("source_article", IRI, "The Wikipedia article the row was read from"),
    _field("infobox_line", "integer", "The line of the source text that names the contestant"),
]

ELECTION_FIELDS = [
    _field("election", IRI, "The election's IRI", constraints={"required": True}),
    _field("election_label", "string", "The election's name (the article's title)"),
    _field("election_name", "string", "The name the infobox gives, where it differs"),
    _field("kind", "string", "The election's class in the vocabulary (LegislativeElection, ...)"),
    _field("date", "date", "The voting day, or the first of several"),
    _field("end_date", "date", "The last voting day, where voting lasted several days"),
    _field("year", "year", "The election's year"),
    _field("country", IRI, "The country's IRI"),
    _field("country_label", "string", "The country's name"),
    _field("legislature", IRI, "The legislature elected"),
    _field("legislature_label", "string", "The legislature's name"),
    _field("seats", "integer", "Seats contested (ek:seatsContested)"),
    _field("majority", "integer", "Seats needed for a majority (ek:majorityNeeded)"),
    _field("turnout", "number", "Turnout in percent, as an exact figure"),
    _field("turnout_about", "number", "Turnout in percent, where the source says 'about'"),
    _field(
        "turnout_more_than", "number", "Turnout in percent, where the source gives a lower bound"
    ),
    _field("registered_voters", "integer", "Registered voters, as an exact figure"),
    _field(
        "registered_voters_about", "integer", "Registered voters, where the source says 'about'"
    ),
    _field(
        "registered_voters_more_than",
        "integer",
        "Registered voters, where the source gives a lower bound",
    ),
    _field("results", "integer", "Number of result rows of the election in results.csv"),
    _field("source_article", IRI, "The Wikipedia article about the election, if it is a source"),
]

DESCRIPTIONS = {
    "results": ("Results", "Every result row of every election, one row per ek:ElectionResult."),
    "elections": ("Elections", "Every election in the data, one row each."),
}
SCHEMAS: dict[str, dict[str, Any]] = {
    "results": {
        "fields": RESULT_FIELDS,
        "primaryKey": ["result"],
        "foreignKeys": [
            {"fields": ["election"], "reference": {"resource": "elections", "fields": ["election"]}}
        ],
        "missingValues": [""],
    },
    "elections": {"fields": ELECTION_FIELDS, "primaryKey": ["election"], "missingValues": [""]},
}


def query(name: str, base: str) -> str:
    """The query of table `name` (or `sources`) for a release made for `base`."""
    return query_files.load(QUERIES, name, base)


def csv(store: ox.Store, name: str, base: str) -> str:
    """Table `name` as CSV: exactly the SPARQL CSV answer of its query over `store`."""
    answer = store.query(query(name, base))
    assert isinstance(answer, ox.QuerySolutions)
    return answer.serialize(format=ox.QueryResultsFormat.CSV).decode("utf-8")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def package(store: ox.Store, base: str, csvs: dict[str, str]) -> dict[str, Any]:
    """The Frictionless Data Package describing the tables (`csvs`: file text by table name)."""
    sources = store.query(query("sources", base))
    assert isinstance(sources, ox.QuerySolutions)
    resources = []
    for name in TABLES:
        title, description = DESCRIPTIONS[name]
        text = csvs[name]
        resources.append(
            {
                "name": name,
                "title": title,
                "description": description
                + f" The answer of the SPARQL query {name}.rq over this release.",
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(text.encode("utf-8")),
                "hash": f"sha256:{_sha256(text)}",
                "dialect": {"delimiter": ",", "quoteChar": '"', "lineTerminator": "\r\n"},
                "schema": SCHEMAS[name],
                "sources": [{"title": f"SPARQL query {name}.rq", "path": f"{name}.rq"}],
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "election-kg",
        "title": "election-kg: election results from Wikipedia articles, as tables",
        "description": (
            "The results and elections of the election-kg knowledge graph as tidy CSV tables. "
            "Every value comes from the infobox or prose of an English Wikipedia article; the "
            "graph (same release, same folder) says which line or sentence each came from."
        ),
        "homepage": base,
        "licenses": [LICENSE],
        "sources": [
            {"title": row["title"].value, "path": row["url"].value}
            for row in sources
            if isinstance(row["url"], ox.NamedNode) and isinstance(row["title"], ox.Literal)
        ],
        "resources": resources,
    }


def write(ntriples: str, base: str) -> dict[str, str]:
    """Every file of the tables for the release (N-Triples of the union graph) made for `base`:
    the CSVs, their data package, and the queries that make them (rebased to `base`)."""
    store = ox.Store()
    store.bulk_load(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    csvs = {name: csv(store, name, base) for name in TABLES}
    files = {f"{name}.csv": text for name, text in csvs.items()}
    files.update({f"{name}.rq": query(name, base) for name in TABLES})
    files["datapackage.json"] = json.dumps(package(store, base, csvs), indent=2) + "\n"
    return files

"""Query helpers shared by the tests (SPARQL over the built graph, as users would ask).

rdflib evaluates these queries, so they run `offline()`: no FROM, SERVICE or LOAD in a test query
can read a file or reach the network.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph

from election_kg.common.offline import offline

PREFIXES = """
PREFIX ek: <http://127.0.0.1:5000/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX person: <http://www.w3.org/ns/person#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX id: <http://127.0.0.1:5000/id/>
PREFIX e: <http://127.0.0.1:5000/id/election/2007-algerian-parliamentary-election/>
PREFIX election: <http://127.0.0.1:5000/id/election/>
PREFIX party: <http://127.0.0.1:5000/id/party/algeria/>
PREFIX pers: <http://127.0.0.1:5000/id/person/algeria/>
PREFIX organisation: <http://127.0.0.1:5000/id/organisation/algeria/>
"""


def rows(graph: Graph, query: str, **bindings: Any) -> list[dict[str, Any]]:
    """SELECT rows as dicts of Python values (None for unbound)."""
    with offline():
        result = graph.query(PREFIXES + query, initBindings=bindings or None)
        return [
            {
                str(var): (row[var].toPython() if row[var] is not None else None)
                for var in result.vars
            }
            for row in result
        ]


def ask(graph: Graph, query: str) -> bool:
    with offline():
        return bool(graph.query(PREFIXES + query).askAnswer)

"""The one prefix table: every namespace our data, descriptions and pages abbreviate.

Dumps, the JSON-LD context, the validation report, the dataset description and the pages all
write IRIs with these prefixes, so a reader meets the same `schema:` or `prov:` everywhere. Our
own vocabulary's prefix, `ek`, follows the base of the build (see `with_vocabulary`).
"""

from __future__ import annotations

from election_kg.common import formats

PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "person": "http://www.w3.org/ns/person#",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "wd": "http://www.wikidata.org/entity/",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "spdx": "http://spdx.org/rdf/terms#",
    "formats": formats.W3C_FORMATS,
}

DATA = {
    name: PREFIXES[name]
    for name in (
        "rdf",
        "rdfs",
        "owl",
        "xsd",
        "skos",
        "schema",
        "org",
        "person",
        "prov",
        "foaf",
        "dcterms",
        "dcat",
        "wd",
    )
}
"""The prefixes of the data itself (dumps, JSON-LD context, pages)."""

DESCRIPTION = {
    name: PREFIXES[name]
    for name in (
        "rdf",
        "rdfs",
        "xsd",
        "owl",
        "dcterms",
        "dcat",
        "void",
        "sd",
        "foaf",
        "prov",
        "spdx",
        "formats",
    )
}
"""The prefixes of the dataset and service descriptions (VoID, DCAT, SPARQL Service Description)."""


def vocabulary(base: str) -> str:
    """Our vocabulary's namespace in a build made for `base`."""
    return f"{base}ontology#"


def with_vocabulary(base: str) -> dict[str, str]:
    """The data prefixes plus `ek` for the vocabulary of a build made for `base`."""
    return {"ek": vocabulary(base), **DATA}

"""Mint the graph's IRIs: readable, stable, deterministic.

Shared by the pipeline and the server. The graph is built under CANONICAL_BASE and rebased to the
configured base when written, so curated files and tests can name resources one way.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

CANONICAL_BASE = "http://127.0.0.1:5000/"


def slug(text: str) -> str:
    """'Saïd Sadi' -> 'said-sadi'; letters of other scripts are kept (IRIs allow them)."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    kept = kept.replace("'", "").replace("’", "")
    out = re.sub(r"[^\w]+", "-", kept, flags=re.UNICODE).strip("-_")
    out = unicodedata.normalize("NFC", out.replace("_", "-"))
    if not out:
        raise ValueError(f"needs at least one letter or digit to make an identifier, got {text!r}")
    return out


def _iri(*parts: str) -> URIRef:
    return URIRef(CANONICAL_BASE + "/".join(parts))


def election(name: str) -> URIRef:
    return _iri("id", "election", slug(name))


def election_part(election_iri: URIRef, part: str) -> URIRef:
    """A fact that exists only within one election: its results, figures, calls and events."""
    return URIRef(f"{election_iri}/{part}")


# Parties, people, organisations, alliances and legislatures are identified within their country:
# a name alone would make Morocco's "Democratic and Social Movement" Algeria's, and Georgia's
# "Parliament" Sri Lanka's. The same name in one country is one node across its elections.


def party(country: str, name: str) -> URIRef:
    return _iri("id", "party", slug(country), slug(name))


def person(country: str, name: str) -> URIRef:
    return _iri("id", "person", slug(country), slug(name))


def organisation(country: str, name: str) -> URIRef:
    return _iri("id", "organisation", slug(country), slug(name))


def alliance(country: str, name: str) -> URIRef:
    return _iri("id", "alliance", slug(country), slug(name))


def country(name: str) -> URIRef:
    return _iri("id", "country", slug(name))


def place(name: str) -> URIRef:
    return _iri("id", "place", slug(name))


def legislature(country: str, name: str) -> URIRef:
    return _iri("id", "legislature", slug(country), slug(name))


def post(name: str) -> URIRef:
    return _iri("id", "post", slug(name))


def role(name: str) -> URIRef:
    return _iri("id", "role", slug(name))


def source(stem: str) -> URIRef:
    return _iri("id", "source", slug(stem))


def excerpt(source_iri: URIRef, start: int, end: int) -> URIRef:
    return URIRef(f"{source_iri}/{start}-{end}")


def graph(stem: str) -> URIRef:
    return _iri("graph", slug(stem))


def activity(name: str) -> URIRef:
    return _iri("id", "activity", slug(name))


def agent(name: str) -> URIRef:
    return _iri("id", "agent", slug(name))


def statement(subject: URIRef, predicate: URIRef, obj: object) -> URIRef:
    """The reified statement of a triple: named by a hash of the triple, so it is stable."""
    key = " ".join(term.n3() for term in (subject, predicate, obj))  # type: ignore[attr-defined]
    return _iri("id", "statement", hashlib.sha256(key.encode("utf-8")).hexdigest()[:20])


def rebase(iri: str, base: str) -> str:
    """Move an IRI minted under CANONICAL_BASE to another base; other IRIs are left alone."""
    if base != CANONICAL_BASE and iri.startswith(CANONICAL_BASE):
        return base + iri[len(CANONICAL_BASE) :]
    return iri


def evidence_record(dataset: URIRef, file: str, row: str) -> URIRef:
    """A row of an evidence dataset's file: named by a hash of the file and the row, so it is stable."""
    key = f"{file}\n{row}"
    return URIRef(f"{dataset}/record-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:20]}")

"""Add the accepted cross-dataset links (`data/links/*.ttl`) with their evidence.

Links are written by a person as reified statements (rdf:subject, rdf:predicate, rdf:object,
prov:wasDerivedFrom the evidence dataset and its rows). The build asserts each link, keeps its
statement under a stable IRI, and refuses, naming the file and line:
- a link whose subject the graph does not describe (a typo would publish a dangling owl:sameAs);
- owl:sameAs to anything but a Wikidata item (a Party Facts IRI is a web page: skos:exactMatch);
- a link without an evidence row, or whose row does not hold the identifier or does not name the
  entity (by its label, or by the ek:nameInEvidence given, which no other entity may carry);
- two entities of one country with the same external identifier.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from election_kg.common import iris
from election_kg.common.similarity import normalise
from election_kg.common.vocab import EK
from election_kg.pipeline.curated import evidence_of, line_of, load_curated
from election_kg.pipeline.errors import SourceError

ALLOWED = {OWL.sameAs, SKOS.closeMatch, SKOS.exactMatch}
WIKIDATA = "http://www.wikidata.org/entity/Q"
PARTY_FACTS = "https://partyfacts.herokuapp.com/data/partycodes/"
ALLOWED_TARGETS = (WIKIDATA, PARTY_FACTS)
NAMES = (RDFS.label, SKOS.altLabel)


def add_links(target: Graph, path: Path, described: Graph, partial: bool = False) -> int:
    """Copy the links of one file into `target`; `described` is the graph the subjects must be in.

    `partial`: some article could not be read, so a link whose subject no article describes may
    be one of that article's: it is left out rather than refused."""
    links = load_curated(path)
    count = 0
    holders: dict[tuple[str, str], URIRef] = {}
    for st in sorted(
        links.subjects(RDF.type, RDF.Statement),
        key=lambda n: str(links.value(n, RDF.subject)) + str(links.value(n, RDF.object)),
    ):
        s, p, o = (links.value(st, term) for term in (RDF.subject, RDF.predicate, RDF.object))
        line = _line(path, o)
        if not isinstance(s, URIRef) or p not in ALLOWED or not isinstance(o, URIRef):
            raise SourceError(
                path,
                line,
                None,
                "a link needs an IRI subject, one of owl:sameAs/skos:exactMatch/skos:closeMatch "
                f"and an IRI object; got {s} {p} {o}",
            )
        if not str(o).startswith(ALLOWED_TARGETS):
            raise SourceError(
                path, line, None, f"<{o}> is not a Wikidata item or a Party Facts code"
            )
        if p == OWL.sameAs and not str(o).startswith(WIKIDATA):
            raise SourceError(
                path,
                line,
                None,
                f"owl:sameAs <{o}> would make {_label(described, s)} a web page; link a Party "
                "Facts record with skos:exactMatch (or skos:closeMatch)",
            )
        if (s, None, None) not in described:
            if partial:
                continue
            raise SourceError(
                path, line, None, f"<{s}> is not described by any source, so it cannot be linked"
            )
        key = (_country(described, s), str(o))
        other = holders.setdefault(key, s)
        if other != s:
            raise SourceError(
                path,
                _line(path, o, after=_line(path, o) or 0) or line,
                None,
                f"{_label(described, s)} and {_label(described, other)} share the identifier "
                f"<{o}>; two entities of one country cannot be the same record",
            )
        node = iris.statement(s, p, o)
        evidence = evidence_of(links, st, target, path)
        _check_evidence(path, line, links, st, described, s, o)
        target.add((s, p, o))
        for pred, obj in links.predicate_objects(st):
            if not isinstance(obj, BNode):
                target.add((node, pred, obj))
        for item in evidence:
            target.add((node, _DERIVED, item))
        count += 1
    for subject in set(links.subjects()):
        if isinstance(subject, URIRef):  # evidence datasets and any other named resources
            for triple in links.triples((subject, None, None)):
                target.add(triple)
        elif not isinstance(subject, BNode):  # pragma: no cover
            raise SourceError(path, None, None, f"unexpected subject {subject}")
    return count


_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")


def _check_evidence(
    path: Path,
    line: int | None,
    links: Graph,
    st: Node,
    described: Graph,
    subject: URIRef,
    identifier: URIRef,
) -> None:
    """Each evidence row of a link holds its identifier and names its entity."""
    records = [r for r in links.objects(st, _DERIVED) if (r, RDF.type, EK.EvidenceRecord) in links]
    name = _label(described, subject)
    if not records:
        raise SourceError(
            path,
            line,
            None,
            f"the link of {name} to <{identifier}> has no evidence row "
            "(prov:wasDerivedFrom [ a ek:EvidenceRecord ; ek:inDataset … ; ek:file … ; ek:rowText … ])",
        )
    code = _code(identifier)
    own = {normalise(str(n)) for p in NAMES for n in described.objects(subject, p)}
    for record in records:
        row = str(links.value(record, EK.rowText))
        where = line_of(path, row.replace('"', '\\"')[:40]) or line
        fields = set(normalise(row).split("-"))
        if code not in fields:
            raise SourceError(
                path, where, None, f"the evidence row {row!r} does not hold {code} (<{identifier}>)"
            )
        given = links.value(record, EK.nameInEvidence)
        if given is None:
            if not any(_within(n, row) for n in own):
                raise SourceError(
                    path,
                    where,
                    None,
                    f"the evidence row {row!r} does not name {name}; give the name it uses "
                    "with ek:nameInEvidence, or link the entity the row is about",
                )
            continue
        if not _within(normalise(str(given)), row):
            raise SourceError(
                path, where, None, f"ek:nameInEvidence {str(given)!r} is not in the row {row!r}"
            )
        for other, _, value in _named(described, normalise(str(given))):
            if other != subject:
                raise SourceError(
                    path,
                    where,
                    None,
                    f"the evidence row {row!r} names {value!r}, which is another entity "
                    f"(<{other}>), not {name}",
                )


def _within(name: str, row: str) -> bool:
    """Whether a normalised name occurs in the row, word for word."""
    return bool(name) and f"-{name}-" in f"-{normalise(row)}-"


def _named(graph: Graph, key: str):
    for p in NAMES:
        for s, o in graph.subject_objects(p):
            if isinstance(o, Literal) and normalise(str(o)) == key:
                yield s, p, str(o)


def _code(identifier: URIRef) -> str:
    """Q262 for a Wikidata item, 4111 for a Party Facts code (normalised, as the rows are)."""
    return normalise(str(identifier).rstrip("/").rsplit("/", 1)[-1])


def _country(described: Graph, entity: URIRef) -> str:
    """The entity's country where the graph says it (itself, or the elections it stood in)."""
    countries = set(described.objects(entity, EK.country))
    for result in described.subjects(EK.contestant, entity):
        for election in described.objects(result, EK.election):
            countries |= set(described.objects(election, EK.country))
    return str(min(countries, key=str)) if countries else ""


def _label(graph: Graph, node: Node) -> str:
    label = graph.value(node, RDFS.label)
    return f"{label} <{node}>" if label is not None else f"<{node}>"


def _line(path: Path, obj: Node, after: int = 0) -> int | None:
    if not isinstance(obj, URIRef):
        return None
    text = str(obj)
    needle = "wd:" + text[len(WIKIDATA) - 1 :] if text.startswith(WIKIDATA) else text
    return line_of(path, f"rdf:object {needle}", after) or line_of(path, text, after)

"""The dataset's own description (VoID + DCAT), computed once from the manifest and the store.

The facts are gathered first into plain values (`Facts`), so that the RDF description and the HTML
page say the same thing; then `to_graph` writes them with the VoID, DCAT, SPDX and SPARQL Service
Description vocabularies. Release data never changes while served, so this runs once per worker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, VOID

from election_kg.common import formats, release_files
from election_kg.common.prefixes import PREFIXES
from election_kg.server.render.rdf_document import new_graph
from election_kg.server.store.release import Release, ReleaseError

SPDX = Namespace(PREFIXES["spdx"])
SD = Namespace(PREFIXES["sd"])

LICENSE = "https://creativecommons.org/licenses/by-sa/4.0/"
LICENSE_NOTE = (
    "The facts are extracted from the text of English Wikipedia articles, which is licensed under "
    "CC BY-SA 4.0; this dataset is shared under the same licence, with each source article named below."
)
PUBLISHER = "election-kg"
IANA = "https://www.iana.org/assignments/media-types/"
TARGETS = {  # datasets we link to: key -> (title, URI space, homepage)
    "wikidata": ("Wikidata", "http://www.wikidata.org/entity/", "https://www.wikidata.org/"),
    "partyfacts": (
        "Party Facts",
        "https://partyfacts.herokuapp.com/data/partycodes/",
        "https://partyfacts.herokuapp.com/",
    ),
}


def dataset_iri(base: str) -> URIRef:
    """The dataset's IRI: a fragment of the document that describes it, so it dereferences to /dataset."""
    return URIRef(f"{base}dataset#dataset")


def endpoint_iri(base: str) -> URIRef:
    return URIRef(base + "sparql")


def service_iri(base: str) -> URIRef:
    return URIRef(base + "sparql#service")


@dataclass
class Linkset:
    target: str  # a TARGETS key
    predicate: str
    triples: int
    evidence: list[str] = field(default_factory=list)


@dataclass
class Facts:
    base: str
    version: str
    triples: int
    graphs: dict[str, int]
    sources: list[tuple[str, str, str]]  # (source IRI, title, URL)
    distinct_subjects: int
    distinct_objects: int
    entities: int
    properties: int
    classes: dict[str, int]
    vocabularies: list[str]
    examples: list[tuple[str, str]]  # (IRI, label)
    dumps: list[dict[str, Any]]  # manifest entries of the dumps, in the manifest's order
    linksets: list[Linkset]
    service_allowlist: tuple[str, ...]

    def iri(self, fragment: str) -> URIRef:
        return URIRef(f"{self.base}dataset#{fragment}")

    @property
    def dataset(self) -> URIRef:
        return dataset_iri(self.base)

    @property
    def endpoint(self) -> URIRef:
        return endpoint_iri(self.base)

    @property
    def service(self) -> URIRef:
        return service_iri(self.base)

    def download_url(self, name: str) -> URIRef:
        return URIRef(f"{self.base}download/{name}")


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def statistics(release: Release) -> dict[str, Any]:
    """The release's whole-dataset figures, computed by its build (`statistics.json`): counting
    over every triple is minutes on a corpus, never the work of a request."""
    path = release.file(release_files.STATISTICS)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReleaseError(
            f"{path}: cannot read the dataset's statistics ({exc}); rebuild"
        ) from exc


def gather(release: Release, service_allowlist: tuple[str, ...] = ()) -> Facts:
    """Everything the description says, from the manifest and the build's statistics."""
    figures = statistics(release)
    linksets = [
        Linkset(key, link["property"], link["triples"], link["evidence"])
        for key, (_, space, _) in TARGETS.items()
        for link in figures["links"]
        if link["namespace"] == space
    ]
    classes = dict(figures["classes"])
    return Facts(
        base=release.base,
        version=release.version,
        triples=release.manifest["triples"],
        graphs=dict(release.manifest["graphs"]),
        sources=[(s["source"], s["title"], s["url"]) for s in figures["sources"]],
        distinct_subjects=figures["distinctSubjects"],
        distinct_objects=figures["distinctObjects"],
        entities=figures["entities"],
        properties=len(figures["properties"]),
        classes=classes,
        vocabularies=sorted({_namespace(iri) for iri in [*figures["properties"], *classes]}),
        examples=[(e["resource"], e["label"]) for e in figures["examples"]],
        dumps=[entry for entry in release.manifest["files"] if "format" in entry],
        linksets=linksets,
        service_allowlist=service_allowlist,
    )


def _int(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _distribution(g: Graph, facts: Facts, entry: dict[str, Any], gzip: bool) -> URIRef:
    fmt = formats.BY_MEDIA_TYPE[entry["mediaType"]]
    file = entry["gzip"] if gzip else entry
    node = facts.iri(f"dump-{fmt.extension}{'-gz' if gzip else ''}")
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCTERMS.title, Literal(f"{fmt.name} dump{' (gzip)' if gzip else ''}", lang="en")))
    g.add((node, DCAT.downloadURL, facts.download_url(file["file"])))
    g.add((node, DCAT.accessURL, facts.download_url(file["file"])))
    g.add((node, DCAT.mediaType, URIRef(IANA + fmt.media_type)))
    g.add((node, DCTERMS["format"], URIRef(fmt.iri)))
    if gzip:
        g.add((node, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
    g.add((node, DCAT.byteSize, Literal(file["bytes"], datatype=XSD.nonNegativeInteger)))
    g.add((node, DCTERMS.license, URIRef(LICENSE)))
    checksum = BNode(f"checksum-{fmt.extension}{'-gz' if gzip else ''}")
    g.add((node, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(file["sha256"], datatype=XSD.hexBinary)))
    return node


def to_graph(facts: Facts) -> Graph:
    """The VoID + DCAT description of the dataset, its dumps, its endpoint and its link sets."""
    g = new_graph()
    ds = facts.dataset
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add(
        (
            ds,
            DCTERMS.title,
            Literal("election-kg: elections as a linked knowledge graph", lang="en"),
        )
    )
    g.add(
        (
            ds,
            DCTERMS.description,
            Literal(
                "Facts about elections extracted from Wikipedia articles, each traceable to the excerpt it came from, "
                "linked to Wikidata and Party Facts.",
                lang="en",
            ),
        )
    )
    g.add((ds, DCTERMS.license, URIRef(LICENSE)))
    g.add((ds, DCTERMS.rights, Literal(LICENSE_NOTE, lang="en")))
    publisher = facts.iri("publisher")
    g.add((ds, DCTERMS.publisher, publisher))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal(PUBLISHER)))
    g.add((ds, DCAT.version, Literal(facts.version)))
    g.add((ds, OWL.versionInfo, Literal(facts.version)))
    g.add((ds, DCAT.landingPage, URIRef(facts.base)))
    g.add((ds, FOAF.homepage, URIRef(facts.base)))
    for keyword in ("election", "knowledge graph", "Wikipedia"):
        g.add((ds, DCAT.keyword, Literal(keyword, lang="en")))
    for source_iri, title, url in facts.sources:
        g.add((ds, DCTERMS.source, URIRef(url)))
        g.add((URIRef(url), DCTERMS.title, Literal(title, lang="en")))
        g.add((URIRef(url), DCTERMS.license, URIRef(LICENSE)))
        g.add((ds, PROV.wasDerivedFrom, URIRef(source_iri)))

    g.add((ds, VOID.triples, _int(facts.triples)))
    g.add((ds, VOID.entities, _int(facts.entities)))
    g.add((ds, VOID.distinctSubjects, _int(facts.distinct_subjects)))
    g.add((ds, VOID.distinctObjects, _int(facts.distinct_objects)))
    g.add((ds, VOID.properties, _int(facts.properties)))
    g.add((ds, VOID.classes, _int(len(facts.classes))))
    g.add((ds, VOID.uriSpace, Literal(facts.base + "id/")))
    for vocabulary in facts.vocabularies:
        g.add((ds, VOID.vocabulary, URIRef(vocabulary)))
    for iri, _label in facts.examples:
        g.add((ds, VOID.exampleResource, URIRef(iri)))
    for i, (cls, count) in enumerate(facts.classes.items()):
        part = facts.iri(f"class-{i}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, _int(count)))
    for name, count in facts.graphs.items():
        subset = facts.iri("graph-" + name.rstrip("/").rsplit("/", 1)[-1])
        g.add((ds, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, SD.name, URIRef(name)))
        g.add((subset, VOID.triples, _int(count)))

    g.add((ds, VOID.sparqlEndpoint, facts.endpoint))
    g.add((facts.service, RDF.type, DCAT.DataService))
    g.add((facts.service, RDF.type, SD.Service))
    g.add((facts.service, DCAT.endpointURL, facts.endpoint))
    g.add((facts.service, DCAT.endpointDescription, facts.endpoint))
    g.add((facts.service, DCAT.servesDataset, ds))
    g.add((facts.service, SD.endpoint, facts.endpoint))
    for entry in facts.dumps:
        fmt = formats.BY_MEDIA_TYPE[entry["mediaType"]]
        g.add((ds, VOID.dataDump, facts.download_url(entry["file"])))
        g.add((ds, VOID.feature, URIRef(fmt.iri)))
        for gzip in (False, True):
            g.add((ds, DCAT.distribution, _distribution(g, facts, entry, gzip)))

    for key in sorted({ls.target for ls in facts.linksets}):
        title, space, homepage = TARGETS[key]
        target = facts.iri(key)
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, DCTERMS.title, Literal(title)))
        g.add((target, FOAF.homepage, URIRef(homepage)))
        g.add((target, VOID.uriSpace, Literal(space)))
    for ls in facts.linksets:
        node = facts.iri(f"links-{ls.target}-{_namespace_local(ls.predicate)}")
        g.add((ds, VOID.subset, node))
        g.add((node, RDF.type, VOID.Linkset))
        g.add((node, VOID.subjectsTarget, ds))
        g.add((node, VOID.objectsTarget, facts.iri(ls.target)))
        g.add((node, VOID.linkPredicate, URIRef(ls.predicate)))
        g.add((node, VOID.triples, _int(ls.triples)))
        for evidence in ls.evidence:
            g.add((node, PROV.wasDerivedFrom, URIRef(evidence)))
    return g


def _namespace_local(iri: str) -> str:
    return iri[len(_namespace(iri)) :]

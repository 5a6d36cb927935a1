"""The links graph of a build: data/links/*.ttl, kept only where a published article describes
the linked subject, so that a quarantined article never leaves links to nodes nobody publishes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rdflib import FOAF, OWL, RDFS, SKOS, Graph

from election_kg.common import iris
from election_kg.common.vocab import EK
from election_kg.pipeline.article_work import ArticleWork
from election_kg.pipeline.assemble import BuildSettings
from election_kg.pipeline.dumps import ntriples_of
from election_kg.pipeline.links import add_links

LINK_PROPERTIES = frozenset({OWL.sameAs, SKOS.closeMatch, SKOS.exactMatch})

_NAMING = tuple(
    f"<{p}>" for p in (RDFS.label, SKOS.altLabel, FOAF.name, EK.country, EK.contestant, EK.election)
)


class _Described(Graph):
    """What add_links reads of the articles: their names, countries and results (a graph of just
    those triples), and which subjects some article describes."""

    def __init__(self, lines: list[str], subjects: set[str]) -> None:
        super().__init__()
        wanted = [line for line in ntriples_of(lines) if any(p in line for p in _NAMING)]
        if wanted:
            self.parse(data="\n".join(wanted), format="nt")
        self.described = subjects

    def __contains__(self, triple: Any) -> bool:
        s, p, o = triple
        if p is None and o is None:  # "is this subject described by some article?"
            return str(s) in self.described
        return super().__contains__(triple)


def published_links(
    settings: BuildSettings,
    works: list[ArticleWork],
    quarantined: set[str],
    log: Callable[[str], None] | None,
) -> Graph:
    """The links graph. Links whose subject only a quarantined article describes are left out;
    so, when an article could not be read at all, are links whose subject no article describes."""
    published: set[str] = set()
    every: set[str] = set()
    for work in works:
        if work.error is None:
            every |= work.subjects
            if work.name not in quarantined:
                published |= work.subjects
    unreadable = any(work.error is not None for work in works)
    links = Graph()
    lines = [line for work in works if work.error is None for line in work.canonical]
    described = _Described(lines, every)
    for path in sorted(settings.links.glob("*.ttl")):
        add_links(links, path, described, partial=unreadable)
    left_out = 0
    for s, p, o in sorted(links.triples((None, None, None))):
        if p in LINK_PROPERTIES and str(s) not in published:
            links.remove((s, p, o))
            links.remove((iris.statement(s, p, o), None, None))
            left_out += 1
    if left_out and log is not None:
        log(f"left out {left_out} link(s) whose subject only a quarantined article describes")
    return links

"""`accept`: the reviewed rows into data/curated/<article>.ttl, in the format the build verifies.

New fact nodes and new entities are written as subjects with their ek:quote (every sentence a
row of theirs comes from); a fact about something the graph already has (the election, a party
of the infobox, a subject the curated file already holds) is written as an rdf:Statement with
its own quote. A fact the file or the graph already holds is never written again.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from election_kg.common import iris
from election_kg.pipeline.curated import load_curated
from election_kg.prose.facts import Terms, expand, expanded_statements, holds
from election_kg.prose.propose import country_graph, map_nodes
from election_kg.prose.review import Candidate

HEADER = """# Curated facts from the prose of data/sources/{name}.
#
# One subject per fact or entity; each names with ek:quote the exact sentence(s) it comes from
# (a fact about an existing subject is an rdf:Statement). Written by `election-kg accept` from a
# reviewed `election-kg propose` file; the build finds every quote in the source (or stops).
"""


def accept(
    review: Path, article_path: Path, root: Path, rows: list[Candidate], *, accept_all: bool
) -> tuple[Path, int]:
    """Write the accepted rows; return the curated file and how many triples were added."""
    own, graph = country_graph(article_path, root)
    terms = Terms(iris.election(own.article.title), own.country)
    target = root / "data" / "curated" / f"{article_path.stem}.ttl"
    existing = expanded_statements(load_curated(target)) if target.exists() else Graph()
    chosen = [r for r in rows if r.status != "in-graph" and (accept_all or r.accepted)]
    map_nodes(chosen, graph, terms)
    typed = {r.subject for r in chosen if r.property == "rdf:type"}
    triples: list[tuple[URIRef, URIRef, Node, str]] = []
    for row in chosen:
        subject = terms.iri(row.subject)
        if (
            terms.is_fact_node(subject)
            and row.subject not in typed
            and (subject, None, None) not in graph
        ):
            continue  # a fact node whose type row was rejected
        for s, p, o in expand(row, terms):
            if holds(graph, s, p, o) or holds(existing, s, p, o):
                continue
            if any((s, p, o) == t[:3] for t in triples):
                continue
            triples.append((s, p, o, row.sentence))
    blocks: dict[URIRef, list[tuple[URIRef, Node]]] = {}
    quotes: dict[URIRef, set[str]] = {}
    statements: list[tuple[URIRef, URIRef, Node, str]] = []
    for s, p, o, quote in triples:
        if (s, None, None) in graph or (s, None, None) in existing:
            statements.append((s, p, o, quote))
        else:
            blocks.setdefault(s, []).append((p, o))
            quotes.setdefault(s, set()).add(quote)
    if not triples:
        return target, 0
    text = (
        target.read_text("utf-8")
        if target.exists()
        else HEADER.format(name=f"{article_path.stem}.txt")
    )
    declared = dict(re.findall(r"@prefix\s+([\w-]*):\s+<([^>]+)>", text))
    prefixes = {p: ns for p, ns in terms.prefixes.items() if declared.get(p, ns) == ns}
    missing = {p: ns for p, ns in prefixes.items() if p not in declared}
    out = [text.rstrip("\n"), ""]
    if missing:
        out += [f"@prefix {p + ':':<14}<{ns}> ." for p, ns in missing.items()] + [""]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    out.append(f"# --- Accepted from {review.name} ({stamp}) " + "-" * 40)
    out.append("")
    n3 = _Writer(prefixes)
    for s, p, o, quote in statements:
        out.append("[] a rdf:Statement ;")
        out.append(f"    rdf:subject {n3(s)} ;")
        out.append(f"    rdf:predicate {n3(p)} ;")
        out.append(f"    rdf:object {n3(o)} ;")
        out.append(f"    ek:quote {n3(Literal(quote))} .")
        out.append("")
    for s, pos in blocks.items():
        pos = sorted(pos, key=lambda po: (po[0] != RDF.type, str(po[0]), str(po[1])))
        lines = [f"{n3(s)}"]
        for p, o in pos:
            lines.append(f"    {'a' if p == RDF.type else n3(p)} {n3(o)} ;")
        qs = sorted(quotes[s])
        lines.append("    ek:quote " + " ,\n        ".join(n3(Literal(q)) for q in qs) + " .")
        out.extend([*lines, ""])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(out), "utf-8")
    load_curated(target)  # the file must stay valid Turtle
    return target, len(triples)


class _Writer:
    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))

    def __call__(self, term: Node) -> str:
        if isinstance(term, URIRef):
            text = str(term)
            for p, ns in self.prefixes:
                local = text[len(ns) :]
                if text.startswith(ns) and re.fullmatch(
                    r"(?:[A-Za-z0-9_]|[A-Za-z0-9_][\w.-]*[\w-])?", local
                ):
                    return f"{p}:{local}"
            return f"<{text}>"
        if isinstance(term, Literal):
            return term._literal_n3(use_plain=True, qname_callback=lambda iri: self(URIRef(iri)))
        return term.n3()

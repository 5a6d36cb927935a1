"""How well the prose extractor proposes the seed's hand-curated facts, and how much it proposes
on the development corpus.

    python -m election_kg.bench.prose [--corpus DIR]

Recall: the share of the seed's curated prose facts that hold, checked by SPARQL, in the graph
built from a copy of the project without the curated file after `propose` and `accept --all`.
Precision: the share of the proposals that the curated file (or the infobox) already states.
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from election_kg.common import iris
from election_kg.common.vocab import EK
from election_kg.pipeline.assemble import BuildSettings, assemble
from election_kg.pipeline.curated import load_curated
from election_kg.prose.accept import accept
from election_kg.prose.entities import key
from election_kg.prose.facts import Terms, expanded_statements
from election_kg.prose.propose import country_graph, in_graph, map_nodes, propose
from election_kg.prose.review import write_review

ROOT = Path(__file__).resolve().parent.parent.parent
SEED = "2007_Algerian_parliamentary_election"
CORPUS = ROOT.parent / "shared" / "corpus"
IGNORED = {RDFS.label, RDFS.comment, EK.quote}


def copy_without_curated(target: Path, root: Path = ROOT) -> Path:
    for name in ("ontology", "shapes"):
        shutil.copytree(root / name, target / name)
    for name in ("links", "queries", "sources"):
        shutil.copytree(root / "data" / name, target / "data" / name)
    (target / "data" / "curated").mkdir(parents=True)
    return target


def curated_facts(path: Path) -> tuple[Graph, list[tuple[URIRef, URIRef, Node]]]:
    graph = expanded_statements(load_curated(path))
    facts = sorted((s, p, o) for s, p, o in graph if p not in IGNORED)
    return graph, facts  # type: ignore[return-value]


def fuzzy(a: Node, b: Node) -> bool:
    if isinstance(a, Literal) and isinstance(b, Literal):
        pa, pb = a.toPython(), b.toPython()
        if not isinstance(pa, str) and not isinstance(pb, str):
            return str(pa) == str(pb) or pa == pb
        ka, kb = key(str(a)), key(str(b))
        if ka == kb:
            return True
        short, long_ = sorted((ka, kb), key=len)
        if short and short in long_ and len(short) >= 0.5 * len(long_):
            return True
        return difflib.SequenceMatcher(None, ka, kb).ratio() >= 0.85
    return a == b


def check(
    graph: Graph, curated: Graph, fact: tuple[URIRef, URIRef, Node], election: URIRef
) -> bool:
    """One curated fact, by SPARQL: fact nodes are matched by their class and election, not IRI."""
    s, p, o = fact
    where, bind = [], {}

    def term(node: Node, var: str) -> str:
        if isinstance(node, URIRef) and str(node).startswith(f"{election}/"):
            cls = curated.value(node, RDF.type)
            if cls is not None:
                where.append(f"?{var} a <{cls}> .")
                if cls != EK.Quantity:
                    where.append(f"?{var} <{EK.election}> <{election}> .")
                else:
                    for fp in (
                        URIRef("https://schema.org/value"),
                        EK.approximately,
                        EK.moreThan,
                        EK.lessThan,
                    ):
                        v = curated.value(node, fp)
                        if v is not None:
                            where.append(f"?{var} <{fp}> ?{var}fig . FILTER(?{var}fig = {v.n3()})")
                return f"?{var}"
        if isinstance(node, Literal):
            bind[var] = node
            return f"?{var}"
        return node.n3()

    st = term(s, "s")
    ot = term(o, "o")
    where.append(f"{st} <{p}> {ot} .")
    if not bind:
        return bool(graph.query("ASK { " + " ".join(where) + " }").askAnswer)
    query = "SELECT * WHERE { " + " ".join(where) + " } LIMIT 200"
    for row in graph.query(query):
        if all(fuzzy(getattr(row, var), value) for var, value in bind.items()):
            return True
    return False


def seed_figures(root: Path = ROOT) -> dict[str, float | int]:
    article = root / "data" / "sources" / f"{SEED}.txt"
    curated_path = root / "data" / "curated" / f"{SEED}.ttl"
    curated, facts = curated_facts(curated_path)
    with tempfile.TemporaryDirectory() as tmp:
        copy = copy_without_curated(Path(tmp) / "project", root)
        copied = copy / "data" / "sources" / article.name
        _, rows = propose(copied, copy)
        review = copy / "review.tsv"
        write_review(review, rows, str(copied))
        accept(review, copied, copy, rows, accept_all=True)
        built = assemble(BuildSettings(root=copy, validate=False)).union
    election = iris.election(article.read_text("utf-8").split("=")[1].strip())
    found = [f for f in facts if check(built, curated, f, election)]
    _own, reference = country_graph(article, root)
    terms = Terms(election)
    map_nodes(rows, reference, terms)
    right = [r for r in rows if in_graph(r, reference, terms)]
    new = [r for r in rows if r.status == "new"]
    right_new = [r for r in new if r in right]
    return {
        "curated facts": len(facts),
        "found": len(found),
        "recall": len(found) / len(facts),
        "proposals": len(rows),
        "correct proposals": len(right),
        "precision": len(right) / len(rows) if rows else 0.0,
        "new proposals": len(new),
        "correct new proposals": len(right_new),
        "precision of new": len(right_new) / len(new) if new else 0.0,
        "missed": [f"{p.n3()} {o.n3()[:60]}" for s, p, o in facts if (s, p, o) not in found],  # type: ignore[dict-item]
    }


def corpus_figures(corpus: Path, root: Path = ROOT) -> list[tuple[str, int, Counter[str]]]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = copy_without_curated(Path(tmp) / "project", root)
        for path in sorted(corpus.glob("*.txt")):
            target = copy / "data" / "sources" / path.name
            shutil.copy(path, target)
        for path in sorted(corpus.glob("*.txt")):
            _, rows = propose(copy / "data" / "sources" / path.name, copy)
            kinds = Counter(r.property for r in rows if r.status == "new")
            out.append((path.stem, len(rows), kinds))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    figures = seed_figures()
    print(
        f"seed: {figures['found']}/{figures['curated facts']} curated prose facts rebuilt (recall {figures['recall']:.0%})"
    )
    print(
        f"seed: {figures['correct proposals']}/{figures['proposals']} proposals among the "
        f"curated or infobox facts (precision {figures['precision']:.0%})"
    )
    print(
        f"seed: {figures['correct new proposals']}/{figures['new proposals']} new proposals "
        f"among the curated facts (precision {figures['precision of new']:.0%})"
    )
    for missed in figures["missed"]:  # type: ignore[union-attr]
        print(f"  missed: {missed}")
    if args.corpus.is_dir():
        total = 0
        for stem, n, kinds in corpus_figures(args.corpus):
            total += n
            top = ", ".join(f"{k} {v}" for k, v in kinds.most_common(4))
            print(f"corpus: {stem}: {n} proposals ({top})")
        print(f"corpus: {total} proposals in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())

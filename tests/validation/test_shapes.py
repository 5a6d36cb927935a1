"""shapes/election.ttl: valid SHACL, a shape for every class, and every shape and rule caught breaking.

Each case of tests/fixtures/shapes/cases.ttl changes the seed graph so that it breaks one shape;
the report must then name that shape, the focus node, the path and the severity, and nothing
else. Cases that touch different nodes are validated together (a validation of the seed takes
about half a second); the rules about whole elections each get a graph of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from election_kg.common.vocab import EK
from election_kg.validation.report import SH
from election_kg.validation.shacl import Outcome, check, load_shapes, meta_validate
from tests.support.project import ROOT

CASES = ROOT / "tests" / "fixtures" / "shapes" / "cases.ttl"
CASE = Namespace("https://election-kg.test/case#")
SHAPE = Namespace("http://127.0.0.1:5000/shapes#")
ID = "http://127.0.0.1:5000/id/"
ELECTION = URIRef(ID + "election/2007-algerian-parliamentary-election")
DSM = URIRef(ID + "party/algeria/democratic-and-social-movement")
Key = tuple[URIRef, URIRef, Node, Node | None]  # severity, shape, focus node, path
SEED_FINDINGS: set[Key] = {
    (SH.Warning, SHAPE["boycott-and-seats"], DSM, None),
    (SH.Info, SHAPE["unlisted-vote-share"], ELECTION, None),
}
CONSTRAINT_PARAMETERS = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.minCount,
    SH.maxCount,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minLength,
    SH.pattern,
    SH.uniqueLang,
    SH["in"],
    SH["or"],
    SH.closed,
    SH.lessThan,
    SH.sparql,
}


@dataclass(frozen=True)
class Change:
    kind: str  # set, add, remove or rename
    node: URIRef
    prop: URIRef | None = None
    values: tuple[Node, ...] = ()
    to: URIRef | None = None


@dataclass(frozen=True)
class Case:
    name: str
    breaks: URIRef
    focus: tuple[URIRef, ...]
    path: URIRef | None
    severity: URIRef
    changes: tuple[Change, ...] = field(default=())

    def expected(self) -> set[Key]:
        return {(self.severity, self.breaks, focus, self.path) for focus in self.focus}

    def touched(self) -> set[Node]:
        """Nodes the case changes or points at: cases that share none can be validated together."""
        nodes: set[Node] = set(self.focus)
        for change in self.changes:
            nodes |= {change.node, *(v for v in change.values if isinstance(v, URIRef))} | (
                {change.to} if change.to else set()
            )
        return nodes

    @property
    def alone(self) -> bool:
        """Rules about a whole election see every change to its results, so they run on their own."""
        return ELECTION in self.focus and self.breaks in SHAPES_ABOUT_ELECTIONS


SHAPES_ABOUT_ELECTIONS = {
    SHAPE["seats-sum"],
    SHAPE["seats-sum-short"],
    SHAPE["majority"],
    SHAPE["vote-shares-sum"],
    SHAPE["previous-seats-sum"],
    SHAPE["primary-shares-sum"],
}

# Rules that compare two articles cannot be broken by changing the seed alone: the fixtures of
# tests/validation/test_corpus_rules.py break them with two articles.
BROKEN_BY_CORPUS_FIXTURES = {SHAPE["previous-seats-agree"]}


def load_cases() -> list[Case]:
    graph = Graph().parse(CASES, format="turtle")
    cases = []
    for node in sorted(graph.subjects(RDF.type, CASE.Case)):
        focus = tuple(sorted(graph.objects(node, CASE.focus)))
        changes = []
        for kind in ("set", "add", "remove", "rename"):
            for spec in graph.objects(node, CASE[kind]):
                changes.append(
                    Change(
                        kind,
                        graph.value(spec, CASE.node) or focus[0],
                        graph.value(spec, CASE.property),
                        tuple(sorted(graph.objects(spec, CASE.value))),
                        graph.value(spec, CASE.to),
                    )
                )
        cases.append(
            Case(
                str(node).rsplit("#", 1)[-1],
                graph.value(node, CASE.breaks),
                focus,
                graph.value(node, CASE.path),
                graph.value(node, CASE.severity) or SH.Violation,
                tuple(sorted(changes, key=repr)),
            )
        )
    return cases


def batches(cases: list[Case]) -> list[list[Case]]:
    """Group cases so that no two in a group touch the same node."""
    groups: list[tuple[set[Node], list[Case]]] = []
    for case in cases:
        if case.alone:
            groups.append((set(), [case]))
            continue
        for touched, members in groups:
            if members and not members[0].alone and not touched & case.touched():
                touched |= case.touched()
                members.append(case)
                break
        else:
            groups.append((case.touched(), [case]))
    return [members for _, members in groups]


def apply(graph: Graph, change: Change) -> None:
    if change.kind == "rename":
        for s, p, o in list(graph.triples((change.node, None, None))) + list(
            graph.triples((None, None, change.node))
        ):
            graph.remove((s, p, o))
            graph.add(
                (change.to if s == change.node else s, p, change.to if o == change.node else o)
            )
        return
    if change.kind in ("set", "remove"):
        graph.remove((change.node, change.prop, None))
    for value in change.values:
        graph.add((change.node, change.prop, value))


ALL_CASES = load_cases()
BATCHES = batches(ALL_CASES)
BATCH_OF = {case.name: i for i, batch in enumerate(BATCHES) for case in batch}


def keys(outcome: Outcome) -> set[Key]:
    return {(f.severity, f.shape, f.focus, f.path) for f in outcome.findings}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(ROOT / "shapes" / "election.ttl")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "election.ttl", format="turtle")


@pytest.fixture(scope="module")
def seed_outcome(seed_graph, shapes, ontology) -> Outcome:
    return check(seed_graph, shapes, ontology)


@pytest.fixture(scope="module")
def broken(seed_graph, shapes, ontology):
    """The outcome of each batch of cases, validated when a test first asks for it."""
    found: dict[int, Outcome] = {}

    def outcome(index: int) -> Outcome:
        if index not in found:
            changed = Graph()
            for triple in seed_graph:
                changed.add(triple)
            for case in BATCHES[index]:
                for change in case.changes:
                    apply(changed, change)
            found[index] = check(changed, shapes, ontology)
        return found[index]

    return outcome


def test_the_shapes_are_valid_shacl(shapes):
    conforms, text = meta_validate(shapes)
    assert conforms, text


def test_every_constraint_has_a_message_and_a_severity(shapes):
    """A report names every failure in words, at the severity the rule means."""
    lists = set(shapes.objects(None, SH["or"]))
    members = {
        m for lst in lists for m in shapes.items(lst)
    }  # alternatives of sh:or speak through their shape
    constrained = {s for p in CONSTRAINT_PARAMETERS for s in shapes.subjects(p, None)} - members
    assert len(constrained) > 150
    for shape in constrained:
        assert isinstance(shape, URIRef), (
            f"a shape with constraints has a blank node: {list(shapes.predicate_objects(shape))}"
        )
        assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info), shape
        if (shape, SH.sparql, None) in shapes:
            for query in shapes.objects(shape, SH.sparql):
                assert isinstance(query, URIRef) and shapes.value(query, SH.message) is not None, (
                    shape
                )
                assert shapes.value(query, SH.message).language == "en"
        else:
            message = shapes.value(shape, SH.message)
            assert isinstance(message, Literal) and message.language == "en", shape


def test_only_the_rules_for_unusual_sources_warn_and_only_the_unlisted_share_informs(shapes):
    """An incomplete or unusual source is a Warning (seats listed for only some contestants among
    them), never a Violation."""
    assert set(shapes.subjects(SH.severity, SH.Warning)) == {
        SHAPE["boycott-and-seats"],
        SHAPE["previous-seats-sum"],
        SHAPE["primary-shares-sum"],
        SHAPE["previous-seats-agree"],
        SHAPE["supported-object"],
        SHAPE["seats-sum-short"],
    }
    assert set(shapes.subjects(SH.severity, SH.Info)) == {SHAPE["unlisted-vote-share"]}


def test_every_class_the_seed_uses_has_a_shape(seed_graph, graph, shapes, ontology):
    """Every class of the seed and of the whole corpus (rounds, alliances, infobox fields...)."""
    targeted = set(shapes.objects(None, SH.targetClass))
    used = set(seed_graph.objects(None, RDF.type)) | set(graph.objects(None, RDF.type))
    covered = {c for c in used if set(ontology.transitive_objects(c, RDFS.subClassOf)) & targeted}
    # The evidence datasets are typed prov:Entity and dcat:Dataset; the dcat:Dataset shape checks them.
    assert used - covered == {URIRef("http://www.w3.org/ns/prov#Entity")}


def test_our_fact_classes_are_closed_and_named_things_are_open(shapes):
    closed = set(shapes.objects(None, SH.targetClass)) & {
        shapes.value(s, SH.targetClass) for s in shapes.subjects(SH.closed, Literal(True))
    }
    for cls in (
        EK.Election,
        EK.ElectionResult,
        EK.Leadership,
        EK.Quantity,
        EK.BoycottCall,
        EK.Incident,
        EK.Retraction,
        EK.InfoboxLine,
        EK.ProseExcerpt,
        EK.SourceDocument,
        RDF.Statement,
    ):
        assert cls in closed, cls
    for cls in (EK.PoliticalParty, URIRef("http://www.w3.org/ns/person#Person")):
        assert cls not in closed, cls


def test_every_shape_is_broken_by_a_case(shapes):
    lists = set(shapes.objects(None, SH["or"]))
    members = {m for lst in lists for m in shapes.items(lst)}
    constrained = {s for p in CONSTRAINT_PARAMETERS for s in shapes.subjects(p, None)} - members
    broken_by_cases = (
        {case.breaks for case in ALL_CASES}
        | {shape for _, shape, _, _ in SEED_FINDINGS}
        | BROKEN_BY_CORPUS_FIXTURES
    )
    assert sorted(constrained - broken_by_cases) == []
    assert sorted(broken_by_cases - constrained) == []


def test_the_seed_conforms_with_exactly_one_warning_and_one_info(seed_outcome):
    assert seed_outcome.conforms
    assert keys(seed_outcome) == SEED_FINDINGS


def test_the_boycott_warning_names_both_excerpts(seed_outcome):
    [warning] = [f for f in seed_outcome.findings if f.severity == SH.Warning]
    assert warning.value == URIRef(str(ELECTION) + "/boycott-call-democratic-and-social-movement")
    message = str(warning.message)
    assert message.startswith(
        "Democratic and Social Movement won 1 seat(s) in 2007 Algerian parliamentary election"
    )
    assert '"- Seats23: 1"' in message  # the infobox line of the seats
    assert (
        "had called on their supporters to boycott these elections" in message
    )  # the prose sentence of the call
    assert (
        message.count("<http://127.0.0.1:5000/id/source/2007-algerian-parliamentary-election/") == 2
    )


def test_the_unlisted_share_is_reported_as_information(seed_outcome):
    [info] = [f for f in seed_outcome.findings if f.severity == SH.Info]
    assert info.value.toPython() == Decimal("0.68")
    assert str(info.message) == (
        "The listed vote shares sum to 99.32%: 0.68% of the vote went to contestants "
        "the source does not list (or was not counted)."
    )


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.name)
def test_the_report_names_the_broken_shape(case, broken):
    found = keys(broken(BATCH_OF[case.name]))
    missing = case.expected() - found
    assert not missing, f"{case.name}: expected {missing}; the report has {sorted(found)}"


@pytest.mark.parametrize(
    "index", range(len(BATCHES)), ids=lambda i: "+".join(c.name for c in BATCHES[i])[:80]
)
def test_each_case_breaks_nothing_else(index, broken):
    found = keys(broken(index))
    expected = set().union(*(case.expected() for case in BATCHES[index]))
    unexpected = {k for k in found - expected if k not in SEED_FINDINGS}
    assert not unexpected, f"findings no case asked for: {sorted(unexpected)}"


def test_a_rule_message_says_the_numbers(broken):
    [case] = [c for c in ALL_CASES if c.name == "seats-do-not-sum"]
    [finding] = [f for f in broken(BATCH_OF[case.name]).findings if f.shape == SHAPE["seats-sum"]]
    assert finding.value.toPython() == 390
    assert (
        str(finding.message)
        == "The seats won by the results of this election sum to 390, but 389 seats were contested."
    )


def test_the_previous_assembly_rule_names_both_figures(broken):
    [case] = [c for c in ALL_CASES if c.name == "previous-seats-do-not-sum"]
    [finding] = [
        f for f in broken(BATCH_OF[case.name]).findings if f.shape == SHAPE["previous-seats-sum"]
    ]
    assert finding.value == URIRef(ID + "election/2002-algerian-parliamentary-election")
    assert str(finding.message) == (
        "The previous seats of the results of this election sum to 389, but the election it follows "
        "(2002 Algerian parliamentary election) had 380 seats contested. Lists may have merged "
        "or split, or parties not stood again, since then; the figures are kept as the source "
        "gives them."
    )

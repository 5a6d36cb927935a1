"""The election page: a summary, the results with a hemicycle, the boycott calls, a timeline of events
and the sources quoted, built from the triples of election.rq (the renderer never touches the store).

Every figure keeps the qualifier the source gives it ("about 18.8 million", "more than 12,000") and
links to the excerpt it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from election_kg.server.render import charts, hemicycle, quantities
from election_kg.server.render.model import (
    FOAF,
    LABEL,
    ORG,
    OWL,
    RDFS,
    SCHEMA,
    TYPE,
    Index,
    Page,
    Source,
    Value,
)

INDEPENDENT_COLOUR = "#8a8f98"
NO_SEATS_COLOUR = "#d0d7de"
# Distinguishable on white and from one another, each dark enough for a white outline to show.
PALETTE = (
    "#1f5fa8",
    "#c0392b",
    "#2e8b57",
    "#d4820f",
    "#7b4ea3",
    "#0f8a8a",
    "#b5475f",
    "#5d6d1e",
    "#3b7dd8",
    "#e0623a",
    "#6c8f2f",
    "#9c27b0",
    "#00796b",
    "#a0522d",
    "#5b5fc7",
    "#c2185b",
    "#33691e",
    "#ef6c00",
    "#455a64",
    "#ad1457",
    "#00838f",
    "#6d4c41",
    "#1565c0",
    "#827717",
)


@dataclass
class SummaryItem:
    label: str
    values: list[Value]
    note: list[Value] = field(default_factory=list)


@dataclass
class ResultRow:
    party: Value  # the contestant: a party, list, alliance, candidate or the independents
    leader: Value | None
    share: Value | None
    seats: Value | None
    previous: Value | None
    change: Value | None
    colour: str
    page: str
    votes: Value | None = None
    affiliation: list[Value] = field(default_factory=list)  # a candidate's party, running mate

    @staticmethod
    def number(value: Value | None) -> Decimal:
        return (
            Decimal(value.text.replace(",", "").replace("+", "").replace("−", "-"))
            if value
            else Decimal(0)
        )


@dataclass
class Event:
    """One entry of the timeline: a dated (or undated) event with its facts."""

    iso_date: str | None
    date: Value | None
    title: Value
    kind: str
    facts: list[SummaryItem]


@dataclass
class Boycott:
    title: Value
    by: list[Value]
    facts: list[SummaryItem]


@dataclass
class ElectionPage:
    iri: str
    label: str
    kind: str  # "Legislative election", "Presidential election"...: its most specific class's label
    iso_date: str | None
    label_sources: list[Source]
    summary: list[SummaryItem]
    results: list[ResultRow]
    seats_total: int
    seats_contested: int | None
    hemicycle_svg: str
    votes_svg: str  # a bar chart of votes (or shares) where the results give no seats
    columns: set[str]  # the result columns some row fills: votes, share, seats, previous, change
    boycotts: list[Boycott]
    timeline: list[Event]
    undated: list[Event]
    elsewhere: list[Value]
    sources: list[Source]
    description: list[Value]


def build(triples: list[ox.Triple], base: str, iri: str) -> ElectionPage:
    page = Page(Index(triples), base)
    ek = f"{base}ontology#"
    index = page.index
    parts = index.subjects(ek + "election", iri)
    label_values = page.values(iri, LABEL)
    summary = _summary(page, iri, parts)
    results = _results(page, iri, parts)
    seats_total = sum(int(ResultRow.number(r.seats)) for r in results)
    contested = index.literal(iri, ek + "seatsContested")
    groups = [
        hemicycle.Group(r.party.text, int(ResultRow.number(r.seats)), r.colour, r.party.href)
        for r in results
        if ResultRow.number(r.seats) > 0
    ]
    svg = hemicycle.svg(groups, title=f"Seats won in the {page.label(iri)}") if groups else ""
    columns = {
        name
        for r in results
        for name, v in (
            ("votes", r.votes),
            ("share", r.share),
            ("seats", r.seats),
            ("previous", r.previous),
            ("change", r.change),
        )
        if v is not None
    }
    votes_svg = "" if groups else _votes_chart(results, page.label(iri))
    boycotts = [_boycott(page, p) for p in parts if ek + "BoycottCall" in index.types(p)]
    events = [_event(page, p) for p in parts if _is_event(index, p, ek)]
    timeline = sorted((e for e in events if e.iso_date), key=lambda e: (e.iso_date, e.title.text))
    undated = sorted((e for e in events if not e.iso_date), key=lambda e: e.title.text)
    elsewhere = page.values(iri, OWL + "sameAs") + page.values(iri, FOAF + "isPrimaryTopicOf")
    description = page.values(iri, SCHEMA + "description") + page.values(iri, RDFS + "comment")
    return ElectionPage(
        iri,
        label_values[0].text if label_values else page.label(iri),
        _kind(page, iri),
        index.literal(iri, ek + "electionDate"),
        [s for v in label_values for s in v.sources],
        summary,
        results,
        seats_total,
        int(contested) if contested else None,
        svg,
        votes_svg,
        columns,
        sorted(boycotts, key=lambda b: b.title.text),
        timeline,
        undated,
        elsewhere,
        page.sources,
        description,
    )


def _is_event(index: Index, iri: str, ek: str) -> bool:
    classes = {
        c
        for t in index.types(iri)
        for c in [t, *(o.value for o in index.objects(t, RDFS + "subClassOf"))]
    }
    return bool(classes & {SCHEMA + "Event", ek + "ElectionEvent", ek + "PublicStatement"})


def _item(
    label: str, values: list[Value | None], note: list[Value] | None = None
) -> SummaryItem | None:
    kept = [v for v in values if v is not None]
    return SummaryItem(label, kept, note or []) if kept else None


def _quantities(page: Page, subject: str, predicate: str) -> list[Value]:
    """The quantities a property points at, the exact figure before a rounded one."""
    read = [
        quantities.quantity(page, o.value)
        for o in page.index.objects(subject, predicate)
        if isinstance(o, ox.NamedNode)
    ]
    return sorted((v for v in read if v is not None), key=lambda v: v.text.startswith("about"))


def _summary(page: Page, iri: str, parts: list[str]) -> list[SummaryItem]:
    ek = f"{page.base}ontology#"
    index = page.index
    turnout = _quantities(page, iri, ek + "turnout")
    change = _quantities(page, iri, ek + "turnoutChange")
    records = [
        page.term(ox.NamedNode(p)) for p in parts if ek + "HistoricalRecord" in index.types(p)
    ]
    items = [
        _item("Date", [page.first(iri, ek + "electionDate")]),
        _item("Country", [page.first(iri, ek + "country")]),
        _item("Legislature", [page.first(iri, ek + "legislature")]),
        _item("Seats contested", [page.first(iri, ek + "seatsContested")]),
        _item("Majority needed", [page.first(iri, ek + "majorityNeeded")]),
        _item("Turnout", turnout[:1], change + turnout[1:] + records),
        _item("Registered voters", _quantities(page, iri, ek + "eligibleVoters")),
        _item("Candidates", _quantities(page, iri, ek + "candidatesContesting")),
        _item("Parties contesting", _quantities(page, iri, ek + "partiesContesting")),
        _item("Independent lists", _quantities(page, iri, ek + "independentListsContesting")),
        _item("Spoilt ballots", _quantities(page, iri, ek + "spoiltBallotShare")),
    ]
    for predicate, label in (
        (ek + "officeHolderBefore", "Prime minister before"),
        (ek + "officeHolderAfter", "Prime minister after"),
    ):
        for holding in index.objects(iri, predicate):
            person = page.first(holding.value, ORG + "member")
            party = page.values(holding.value, ek + "partyAffiliation")
            items.append(_item(label, [person], party))
    for group in (p for p in parts if ek + "GroupRepresentation" in index.types(p)):
        won = page.first(group, ek + "seatsWon")
        change_value = page.first(group, ek + "seatChange")
        if change_value is not None:
            change_value.text = _signed(change_value.text)
        name = index.literal(group, ek + "group") or page.label(group)
        items.append(_item(f"Seats won by {name}", [won], [change_value] if change_value else []))
    items += [
        _item("Previous election", [page.first(iri, ek + "follows")]),
        _item("Next election", [page.first(iri, ek + "followedBy")]),
    ]
    return [i for i in items if i is not None]


def _percent(text: str) -> str:
    """Vote shares as the source writes them, with two decimals ('2' -> '2.00')."""
    try:
        return f"{Decimal(text):.2f}"
    except ArithmeticError:
        return text


def _signed(text: str) -> str:
    return text if text.startswith(("-", "−")) or text in ("0",) else f"+{text}"


def _results(page: Page, iri: str, parts: list[str]) -> list[ResultRow]:
    ek = f"{page.base}ontology#"
    index = page.index
    leaders: dict[str, Value] = {}
    for leadership in (p for p in parts if ek + "Leadership" in index.types(p)):
        organisation = index.value(leadership, ORG + "organization")
        member = page.first(leadership, ORG + "member")
        if organisation is not None and member is not None:
            member.sources += [
                s
                for s in page.sources_of(leadership, ORG + "organization", organisation)
                if s not in member.sources
            ]
            leaders[organisation.value] = member
    rows = []
    for result in (p for p in parts if ek + "ElectionResult" in index.types(p)):
        party = page.first(result, ek + "contestant")
        if party is None:
            continue
        change = page.first(result, ek + "seatChange")
        if change is not None:
            change.text = _signed(change.text.replace("-", "−"))
        affiliation = [
            v
            for predicate in ("party", "alliance", "runningMate")
            for v in page.values(result, ek + predicate)
            if v.iri != party.iri
        ]
        rows.append(
            ResultRow(
                party,
                leaders.get(party.iri or ""),
                page.first(result, ek + "voteShare"),
                page.first(result, ek + "seatsWon"),
                page.first(result, ek + "previousSeats"),
                change,
                "",
                page.href(result),
                page.first(result, ek + "votes"),
                affiliation,
            )
        )
    election_label = page.label(iri)
    for row in rows:
        row.party.text = row.party.text.removesuffix(
            f" ({election_label})"
        )  # "Independents (2007 … election)"
        if row.share is not None:
            row.share.text = _percent(row.share.text)
    rows.sort(
        key=lambda r: (
            -ResultRow.number(r.seats),
            -ResultRow.number(r.votes),
            -ResultRow.number(r.share),
            r.party.text,
        )
    )
    colours = iter(PALETTE)
    for row in rows:
        independent = ek + "IndependentCandidates" in index.types(row.party.iri or "")
        if ResultRow.number(row.seats) == 0:
            row.colour = NO_SEATS_COLOUR  # not in the chart: no colour of its own to match
        else:
            row.colour = INDEPENDENT_COLOUR if independent else next(colours, INDEPENDENT_COLOUR)
    return rows


def _kind(page: Page, iri: str) -> str:
    """The label of the election's most specific class of ours ("Election" when it has no other)."""
    ek = f"{page.base}ontology#"
    labels = [
        label
        for t in page.index.types(iri)
        if t.startswith(ek) and t != ek + "Election"
        for label in [page.index.literal(t, LABEL)]
        if label
    ]
    return min(labels, default="election").capitalize()


def _votes_chart(results: list[ResultRow], label: str) -> str:
    """Votes per contestant (shares where no votes are given), largest first: a presidential race."""
    measure = "votes" if any(r.votes for r in results) else "share"
    bars = [
        charts.Bar(
            r.party.text,
            ResultRow.number(getattr(r, measure)),
            f"{ResultRow.number(r.votes):,}" if measure == "votes" else f"{r.share.text}%",
            r.party.href,
        )
        for r in results
        if getattr(r, measure) is not None
    ]
    title = f"{'Votes' if measure == 'votes' else 'Vote share'} by contestant in the {label}"
    return charts.horizontal(bars, title)


def _facts(page: Page, subject: str, skip: set[str]) -> list[SummaryItem]:
    """The facts of an event or a call, minus those shown elsewhere (its title, date, election)."""
    items = []
    for predicate in sorted(page.index.outgoing(subject), key=page.label):
        if predicate in skip:
            continue
        items.append(SummaryItem(page.label(predicate), page.values(subject, predicate)))
    return items


def _skip(page: Page) -> set[str]:
    ek = f"{page.base}ontology#"
    return {
        TYPE,
        LABEL,
        ek + "election",
        SCHEMA + "startDate",
        "http://www.w3.org/ns/prov#wasDerivedFrom",
        ek + "mentionedIn",
    }


def _event(page: Page, iri: str) -> Event:
    index = page.index
    date = page.first(iri, SCHEMA + "startDate")
    kinds = [page.label(t.value) for t in index.objects(iri, TYPE)]
    return Event(
        index.literal(iri, SCHEMA + "startDate"),
        date,
        _titled(page, iri),
        ", ".join(kinds),
        _facts(page, iri, _skip(page)),
    )


def _boycott(page: Page, iri: str) -> Boycott:
    ek = f"{page.base}ontology#"
    return Boycott(
        _titled(page, iri),
        page.values(iri, ek + "callMadeBy"),
        _facts(page, iri, _skip(page) | {ek + "callMadeBy"}),
    )


def _titled(page: Page, iri: str) -> Value:
    """The resource's name, linking to its page, with the sources of the resource as a whole."""
    title = page.term(ox.NamedNode(iri))
    label = page.index.value(iri, LABEL)
    title.sources = page.sources_of(iri, LABEL, label) if label is not None else []
    derived = [
        page.cite(o.value)
        for o in page.index.objects(iri, "http://www.w3.org/ns/prov#wasDerivedFrom")
    ]
    title.sources += [s for s in derived if s not in title.sources]
    return title

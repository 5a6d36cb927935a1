"""Turn an election record (from the infobox) into RDF under the election-kg vocabulary."""

from __future__ import annotations

import re

from rdflib import FOAF, RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import ORG

from election_kg.common import iris
from election_kg.common.vocab import EK
from election_kg.pipeline.infobox import ContestantRow, ElectionRecord, Sourced
from election_kg.pipeline.provenance import SourceWriter, typed, wikipedia_url
from election_kg.pipeline.values import strip_disambiguation

SCHEMA = "https://schema.org/"
SCHEMA_COUNTRY = URIRef(SCHEMA + "Country")
SCHEMA_VALUE = URIRef(SCHEMA + "value")
SCHEMA_UNIT = URIRef(SCHEMA + "unitText")
PERSON = URIRef("http://www.w3.org/ns/person#Person")
PARTY_LEADER = iris.role("party leader")


def add_election(writer: SourceWriter, record: ElectionRecord) -> URIRef:
    """Write the election, its contestants and their results; return the election's IRI."""
    art = record.article
    election = iris.election(art.title)
    title_ex = writer.excerpt(art.title_span, EK.ProseExcerpt)
    w = writer

    w.fact(
        election,
        RDF.type,
        EK.LegislativeElection if record.legislature else EK.Election,
        [title_ex],
    )
    w.fact(election, RDFS.label, Literal(art.title, lang="en"), [title_ex])
    w.fact(election, FOAF.isPrimaryTopicOf, wikipedia_url(art.title), [title_ex])
    w.derived(election, [title_ex])
    w.fact(election, EK.electionDate, typed(record.date.value), w.lines(record.date))
    w.fact(
        election,
        EK.electionYear,
        Literal(str(record.date.value.year), datatype=XSD.gYear),
        w.lines(record.date),
    )

    country = _entity(
        w,
        iris.country(record.country.value),
        SCHEMA_COUNTRY,
        record.country.value,
        w.lines(record.country),
    )
    w.fact(election, EK.country, country, w.lines(record.country))
    if record.legislature:
        body = _entity(
            w,
            iris.legislature(record.legislature.value),
            EK.Legislature,
            record.legislature.value,
            w.lines(record.legislature),
        )
        w.fact(election, EK.legislature, body, w.lines(record.legislature))
    if record.seats:
        w.fact(election, EK.seatsContested, typed(record.seats.value), w.lines(record.seats))
    if record.majority:
        w.fact(election, EK.majorityNeeded, typed(record.majority.value), w.lines(record.majority))
    for sourced, prop, inverse in (
        (record.previous_year, EK.follows, EK.followedBy),
        (record.next_year, EK.followedBy, EK.follows),
    ):
        if sourced:
            other = _neighbour_election(w, record, sourced)
            w.fact(election, prop, other, w.lines(sourced))
            w.fact(other, inverse, election, w.lines(sourced))
    _add_turnout(w, record, election)
    _add_office(w, record, election)
    for row in record.rows:
        _add_row(w, record, election, row)
    return election


def _entity(
    w: SourceWriter,
    node: URIRef,
    cls: URIRef,
    name: str,
    excerpts: list[URIRef],
    *,
    title: str | None = None,
) -> URIRef:
    """A thing named in the source: typed, labelled without disambiguation, mentioned."""
    w.fact(node, RDF.type, cls, excerpts)
    w.fact(node, RDFS.label, Literal(strip_disambiguation(name), lang="en"), excerpts)
    if title and strip_disambiguation(title) != title:
        w.fact(node, EK.articleTitle, Literal(title), excerpts)
        w.fact(node, FOAF.isPrimaryTopicOf, wikipedia_url(title), excerpts)
    w.mention(node, excerpts)
    return node


def _neighbour_election(w: SourceWriter, record: ElectionRecord, year: Sourced[int]) -> URIRef:
    this_year = str(record.date.value.year)
    title = record.article.title
    name = (
        re.sub(rf"\b{this_year}\b", str(year.value), title, count=1)
        if this_year in title
        else f"{record.country.value} election of {year.value}"
    )
    node = iris.election(name)
    ex = [w.excerpt(year.entry.span, EK.InfoboxLine, year.entry.key)]
    same = "the line gives only a year; the neighbouring election is taken to be of this election's"
    w.fact(
        node,
        RDF.type,
        EK.LegislativeElection if record.legislature else EK.Election,
        ex,
        rule=f"{same} kind",
    )
    w.fact(
        node,
        RDFS.label,
        Literal(name, lang="en"),
        ex,
        rule="the article's title with the year the infobox gives",
    )
    w.fact(node, EK.electionYear, Literal(str(year.value), datatype=XSD.gYear), ex)
    w.fact(node, EK.country, iris.country(record.country.value), ex, rule=f"{same} country")
    if record.legislature:
        w.fact(
            node,
            EK.legislature,
            iris.legislature(record.legislature.value),
            ex,
            rule=f"{same} legislature",
        )
    w.derived(node, ex)
    return node


def _quantity(
    w: SourceWriter, node: URIRef, excerpts: list[URIRef], label: str, stated: str, unit: str
) -> URIRef:
    w.fact(node, RDF.type, EK.Quantity, excerpts)
    w.fact(node, RDFS.label, Literal(label, lang="en"), excerpts)
    w.fact(node, EK.statedAs, Literal(stated), excerpts)
    w.fact(node, SCHEMA_UNIT, Literal(unit), excerpts)
    w.derived(node, excerpts)
    return node


def _add_turnout(w: SourceWriter, record: ElectionRecord, election: URIRef) -> None:
    turnout = record.turnout
    if not turnout:
        return
    ex = w.lines(turnout.percent)
    value = _quantity(
        w,
        iris.election_part(election, "turnout"),
        ex,
        "turnout",
        turnout.percent.entry.value,
        "percent",
    )
    w.fact(value, SCHEMA_VALUE, typed(turnout.percent.value), ex)
    w.fact(election, EK.turnout, value, ex)
    if turnout.change:
        raw = turnout.percent.entry.value
        stated = (
            raw[raw.index("(") + 1 : raw.rindex(")")].strip()
            if "(" in raw
            else str(turnout.change.value)
        )
        change = _quantity(
            w,
            iris.election_part(election, "turnout-change"),
            ex,
            "turnout change",
            stated,
            "percentage points",
        )
        w.fact(change, EK.magnitude, typed(turnout.change.value), ex)
        w.fact(election, EK.turnoutChange, change, ex)
        if turnout.direction:
            direction = EK.Increase if turnout.direction.value == "increase" else EK.Decrease
            w.fact(change, EK.direction, direction, ex)


def _add_office(w: SourceWriter, record: ElectionRecord, election: URIRef) -> None:
    office = record.office
    if not office:
        return
    post_name = f"{office.title.value} of {record.country.value}"
    post = iris.post(post_name)
    w.fact(post, RDF.type, ORG.Post, w.lines(office.title))
    w.fact(post, RDFS.label, Literal(office.title.value, lang="en"), w.lines(office.title))
    w.fact(
        post,
        ORG.postIn,
        iris.country(record.country.value),
        w.lines(office.title),
        rule="the office is taken to be that of the election's country",
    )
    w.mention(post, w.lines(office.title))
    for when, holder, party, prop in (
        ("before", office.before, office.before_party, EK.officeHolderBefore),
        ("after", office.after, office.after_party, EK.officeHolderAfter),
    ):
        if not holder:
            continue
        node = iris.election_part(election, f"{iris.slug(office.title.value)}-{when}")
        person = _entity(
            w, iris.person(holder.value), PERSON, holder.value, w.lines(holder), title=holder.value
        )
        w.fact(node, RDF.type, EK.OfficeHolding, w.lines(holder))
        w.fact(
            node,
            RDFS.label,
            Literal(
                f"{office.title.value} {when} the election: {strip_disambiguation(holder.value)}",
                lang="en",
            ),
            w.lines(holder, office.title),
        )
        w.fact(node, ORG.member, person, w.lines(holder))
        w.fact(node, EK.post, post, w.lines(office.title))
        w.fact(node, EK.election, election, w.lines(holder))
        w.fact(election, prop, node, w.lines(holder))
        w.derived(node, w.lines(holder) + w.lines(office.title))
        if party:
            party_node = _entity(
                w,
                iris.party(strip_disambiguation(party.value)),
                EK.PoliticalParty,
                party.value,
                w.lines(party),
                title=party.value,
            )
            w.fact(node, EK.partyAffiliation, party_node, w.lines(party))
            w.derived(node, w.lines(party))


def _add_row(w: SourceWriter, record: ElectionRecord, election: URIRef, row: ContestantRow) -> None:
    name_ex = w.lines(row.name)
    if row.independent:
        contestant = iris.election_part(election, "independents")
        w.fact(contestant, RDF.type, EK.IndependentCandidates, name_ex)
        w.fact(
            contestant,
            RDFS.label,
            Literal(f"{row.name.value} ({record.article.title})", lang="en"),
            name_ex,
        )
        w.fact(contestant, EK.election, election, name_ex)
        w.mention(contestant, name_ex)
    else:
        contestant = _entity(
            w,
            iris.party(strip_disambiguation(row.name.value)),
            EK.PoliticalParty,
            row.name.value,
            name_ex,
            title=row.name.value,
        )
    result = iris.election_part(election, f"result-{contestant.rsplit('/', 1)[-1]}")
    w.fact(result, RDF.type, EK.ElectionResult, name_ex)
    w.fact(
        result,
        RDFS.label,
        Literal(f"{strip_disambiguation(row.name.value)} in the {record.article.title}", lang="en"),
        name_ex,
    )
    w.fact(result, EK.election, election, name_ex)
    w.fact(result, EK.contestant, contestant, name_ex)
    w.fact(result, EK.listPosition, typed(row.position), name_ex)
    w.derived(result, name_ex)
    for sourced, prop in (
        (row.share, EK.voteShare),
        (row.seats, EK.seatsWon),
        (row.previous_seats, EK.previousSeats),
    ):
        if sourced:
            w.fact(result, prop, typed(sourced.value), w.lines(sourced))
            w.derived(result, w.lines(sourced))
    if row.new:
        w.fact(result, EK.newContestant, typed(True), w.lines(row.new))
        w.derived(result, w.lines(row.new))
    if row.seats and row.previous_seats:
        w.fact(
            result,
            EK.seatChange,
            typed(row.seats.value - row.previous_seats.value),
            w.lines(row.seats) + w.lines(row.previous_seats),
            rule="seatsWon minus previousSeats",
        )
    if row.no_leader:
        w.mention(contestant, w.lines(row.no_leader))
    if row.leader:
        person = _entity(
            w,
            iris.person(row.leader.value),
            PERSON,
            row.leader.value,
            w.lines(row.leader),
            title=row.leader.value,
        )
        w.fact(
            person, FOAF.name, Literal(strip_disambiguation(row.leader.value)), w.lines(row.leader)
        )
        leadership = iris.election_part(election, f"leadership-{contestant.rsplit('/', 1)[-1]}")
        w.fact(leadership, RDF.type, EK.Leadership, w.lines(row.leader))
        w.fact(
            leadership,
            RDFS.label,
            Literal(
                f"{strip_disambiguation(row.leader.value)}, leader of the "
                f"{strip_disambiguation(row.name.value)}",
                lang="en",
            ),
            w.lines(row.leader, row.name),
        )
        w.fact(leadership, ORG.member, person, w.lines(row.leader))
        w.fact(leadership, ORG.organization, contestant, w.lines(row.leader) + name_ex)
        w.fact(leadership, ORG.role, PARTY_LEADER, w.lines(row.leader))
        w.fact(leadership, EK.election, election, w.lines(row.leader))
        w.derived(leadership, w.lines(row.leader) + name_ex)
        w.graph.add((PARTY_LEADER, RDF.type, ORG.Role))
        w.graph.add((PARTY_LEADER, RDFS.label, Literal("party leader", lang="en")))

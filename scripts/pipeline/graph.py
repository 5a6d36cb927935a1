"""Turn an election record (from the infobox) into RDF under the election-kg vocabulary.

Every infobox line ends in the graph: as a modelled fact, or, when the model has no property for
it (a key the table does not know, a presentation key, a qualified figure), as an ek:InfoboxField
that keeps its key and raw text. Every fact is reified with the infobox line(s) it comes from.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal

from rdflib import FOAF, RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import ORG

from election_kg.common import iris
from election_kg.common.vocab import EK
from election_kg.pipeline.infobox import (
    Change,
    ContestantRow,
    CountWithChange,
    ElectionRecord,
    ElectionRef,
    Field,
    PartyRef,
    PersonRef,
    PreviousResult,
    Quantity,
    SeatsContested,
    TurnoutFigure,
    default_table,
)
from election_kg.pipeline.provenance import SourceWriter, typed, wikipedia_url
from election_kg.pipeline.values import strip_disambiguation

SCHEMA = "https://schema.org/"
SCHEMA_COUNTRY = URIRef(SCHEMA + "Country")
SCHEMA_VALUE = URIRef(SCHEMA + "value")
SCHEMA_UNIT = URIRef(SCHEMA + "unitText")
PERSON = URIRef("http://www.w3.org/ns/person#Person")
PARTY_LEADER = iris.role("party leader")
ELECTION_CLASS = {
    "legislative": EK.LegislativeElection,
    "presidential": EK.PresidentialElection,
    "primary": EK.PrimaryElection,
    "general": EK.GeneralElection,
    "other": EK.Election,
}


class _Election:
    """What every part of one election's graph needs: the writer, the record, the election IRI.

    `used` collects the infobox lines turned into modelled facts; every other line becomes an
    ek:InfoboxField at the end, so nothing of the infobox is lost.
    """

    def __init__(self, writer: SourceWriter, record: ElectionRecord) -> None:
        self.w = writer
        self.record = record
        self.node = iris.election(record.title)
        self.country = record.country.name
        self.used: set[int] = set()
        self.alliances = {
            ref.label for row in record.rows if isinstance(ref := row.get("alliance"), PartyRef)
        }

    def lines(self, *fields: Field) -> list[URIRef]:
        """The excerpts of these fields' lines, each marked as used by a modelled fact."""
        for f in fields:
            self.used.add(f.line)
        return self.w.lines(*fields)

    def fact(self, s: URIRef, p: URIRef, o: URIRef | Literal, *fields: Field, **kw: str) -> None:
        self.w.fact(s, p, o, self.lines(*fields), **kw)  # type: ignore[arg-type]


def add_election(writer: SourceWriter, record: ElectionRecord) -> URIRef:
    """Write the election, its contestants and their results; return the election's IRI."""
    e = _Election(writer, record)
    _add_identity(e)
    _add_dates(e)
    _add_seats(e)
    _add_neighbours(e)
    _add_turnouts(e)
    _add_registered(e)
    _add_office(e)
    for row in record.rows:
        _add_row(e, row)
    _add_unmodelled(e)
    if record.unknown_keys:
        keys = ", ".join(sorted({f.key for f in record.unknown_keys}))
        print(
            f"{record.article.stem}: {len(record.unknown_keys)} unknown infobox key(s) kept as "
            f"ek:InfoboxField: {keys}",
            file=sys.stderr,
        )
    return e.node


def _add_identity(e: _Election) -> None:
    w, record, art = e.w, e.record, e.record.article
    title_ex = w.excerpt(art.title_span, EK.ProseExcerpt)
    w.fact(e.node, RDF.type, ELECTION_CLASS[record.kind], [title_ex], rule=record.kind_evidence)
    w.fact(e.node, RDFS.label, Literal(art.title, lang="en"), [title_ex])
    w.fact(e.node, FOAF.isPrimaryTopicOf, wikipedia_url(art.title), [title_ex])
    w.derived(e.node, [title_ex])
    for name, prop in (
        ("election_name", EK.electionName),
        ("outgoing_members", EK.outgoingMembers),
        ("elected_members", EK.electedMembers),
    ):
        f = record.fields.get(name)
        if f is not None and isinstance(f.value, str):
            e.fact(e.node, prop, Literal(f.value), f)
    country = iris.country(e.country)
    given = record.country.field
    if given is not None:
        _entity(w, country, SCHEMA_COUNTRY, e.country, e.lines(given))
        e.fact(e.node, EK.country, country, given)
    else:
        rule = f"the country of the demonym {record.country.demonym!r} in the title"
        w.fact(country, RDF.type, SCHEMA_COUNTRY, [title_ex], rule=rule)
        w.fact(country, RDFS.label, Literal(e.country, lang="en"), [title_ex], rule=rule)
        w.fact(e.node, EK.country, country, [title_ex], rule=rule)


def _add_dates(e: _Election) -> None:
    """One day: ek:electionDate. A range of days: ek:startDate and ek:endDate. Several periods
    (rounds): one ek:VotingRound each, with its date; the election's year is the first round's."""
    f = e.record.fields.get("dates")
    periods = e.record.periods
    if f is None or not periods:
        return
    first = periods[0]
    if len(periods) == 1 and first.round is None:
        if first.start == first.end:
            e.fact(e.node, EK.electionDate, typed(first.start), f)
        else:
            e.fact(e.node, EK.startDate, typed(first.start), f)
            e.fact(e.node, EK.endDate, typed(first.end), f)
        e.fact(e.node, EK.electionYear, Literal(str(first.start.year), datatype=XSD.gYear), f)
        return
    e.fact(
        e.node,
        EK.electionYear,
        Literal(str(first.start.year), datatype=XSD.gYear),
        f,
        rule="the year of the first voting day",
    )
    for index, period in enumerate(periods, start=1):
        node = _round(e, period.round or index, f)
        if period.start == period.end:
            e.fact(node, EK.electionDate, typed(period.start), f)
        else:
            e.fact(node, EK.startDate, typed(period.start), f)
            e.fact(node, EK.endDate, typed(period.end), f)


def _round(e: _Election, number: int, f: Field) -> URIRef:
    node = iris.election_part(e.node, f"round-{number}")
    e.fact(node, RDF.type, EK.VotingRound, f)
    e.fact(node, RDFS.label, Literal(f"{e.record.title}, round {number}", lang="en"), f)
    e.fact(node, EK.roundNumber, typed(number), f)
    e.fact(e.node, EK.votingRound, node, f)
    e.w.derived(node, e.lines(f))
    return node


def _add_seats(e: _Election) -> None:
    f = e.record.fields.get("seats_for_election")
    if f is not None and isinstance(f.value, SeatsContested):
        e.fact(e.node, EK.seatsContested, typed(f.value.seats), f)
        if f.value.body:
            body = _entity(
                e.w,
                iris.legislature(e.country, f.value.body),
                EK.Legislature,
                f.value.body,
                e.lines(f),
            )
            e.fact(e.node, EK.legislature, body, f)
        if f.value.total is not None or f.value.note:
            _infobox_field(e, e.node, f)  # "57 of the 63 seats", a note: kept as written
    m = e.record.fields.get("majority_seats")
    if m is not None and isinstance(m.value, Quantity) and not m.value.qualifier:
        e.fact(e.node, EK.majorityNeeded, typed(m.value.value), m)


def _add_neighbours(e: _Election) -> None:
    for ref_name, year_name, prop, inverse in (
        ("previous_election", "previous_year", EK.follows, EK.followedBy),
        ("next_election", "next_year", EK.followedBy, EK.follows),
    ):
        ref, year = e.record.fields.get(ref_name), e.record.fields.get(year_name)
        sources = [f for f in (ref, year) if f is not None and f.state == "value"]
        if not sources:
            continue
        other = _neighbour(e, ref, year)
        if other is None:
            continue
        w_lines = e.lines(*sources)
        e.w.fact(e.node, prop, other, w_lines)
        e.w.fact(other, inverse, e.node, w_lines)


SAME = "the line names only the neighbouring election; it is taken to be of this election's"


def _neighbour(e: _Election, ref: Field | None, year_field: Field | None) -> URIRef | None:
    """The previous or next election: by its article title where the infobox gives one, else the
    title of this article with the year replaced. Without a year it cannot be identified: None
    (its line is then kept as an infobox field)."""
    title = ref.value.title if ref is not None and isinstance(ref.value, ElectionRef) else None
    year = ref.value.year if ref is not None and isinstance(ref.value, ElectionRef) else None
    if year is None and year_field is not None and isinstance(year_field.value, int):
        year = year_field.value
    if year is None:
        return None
    sources = [f for f in (ref, year_field) if f is not None and f.state == "value"]
    rule = None
    if title is None:
        this_year = str(_year(e))
        own = e.record.title
        title = (
            re.sub(rf"\b{this_year}\b", str(year), own, count=1)
            if this_year in own
            else f"{e.country} election of {year}"
        )
        rule = "the article's title with the year the infobox gives"
        cls = ELECTION_CLASS[e.record.kind]
        kind_rule = f"{SAME} kind"
    else:
        cls = _class_of_title(title)
        kind_rule = "the kind of election the neighbouring election's title names"
    node = iris.election(title)
    ex = e.lines(*sources)
    e.w.fact(node, RDF.type, cls, ex, rule=kind_rule)
    e.w.fact(node, RDFS.label, Literal(title, lang="en"), ex, rule=rule)
    e.w.fact(node, EK.electionYear, Literal(str(year), datatype=XSD.gYear), ex)
    e.w.fact(node, EK.country, iris.country(e.country), ex, rule=f"{SAME} country")
    seats = e.record.fields.get("seats_for_election")
    if rule and seats is not None and isinstance(seats.value, SeatsContested) and seats.value.body:
        legislature = iris.legislature(e.country, seats.value.body)
        e.w.fact(node, EK.legislature, legislature, ex, rule=f"{SAME} legislature")
    e.w.derived(node, ex)
    return node


def _class_of_title(title: str) -> URIRef:
    lower = title.lower()
    table = default_table()
    for word, kind in (*table.title_words, *table.fallback_title_words):
        if re.search(rf"\b{re.escape(word)}\b", lower):
            return ELECTION_CLASS[kind]
    return EK.Election


def _year(e: _Election) -> int:
    periods = e.record.periods
    if periods:
        return periods[0].start.year
    found = re.match(r"^(\d{4})\b", e.record.title)
    return int(found.group(1)) if found else 0


def _quantity(
    e: _Election, node: URIRef, f: Field, label: str, stated: str, unit: str, **kw: str
) -> URIRef:
    e.fact(node, RDF.type, EK.Quantity, f)
    e.fact(node, RDFS.label, Literal(label, lang="en"), f)
    e.fact(node, EK.statedAs, Literal(stated), f)
    e.fact(node, SCHEMA_UNIT, Literal(unit), f)
    e.w.derived(node, e.lines(f))
    return node


def _figure(e: _Election, node: URIRef, quantity: Quantity, f: Field) -> None:
    """A stated figure keeps its qualifier: exact -> schema:value, 'about' -> ek:approximately,
    'more than' -> ek:moreThan; any other qualifier keeps only the words (ek:statedAs)."""
    q = (quantity.qualifier or "").lower()
    if not q:
        e.fact(node, SCHEMA_VALUE, typed(quantity.value), f)
    elif q in ("approximately", "approx.", "around", "about", "circa", "c.", "~"):
        e.fact(node, EK.approximately, typed(Decimal(quantity.value)), f)
    elif q in ("more than", "over"):
        e.fact(node, EK.moreThan, typed(Decimal(quantity.value)), f)


def _change(e: _Election, node: URIRef, change: Change, f: Field) -> None:
    """A change keeps its magnitude; a direction only where the source kept its sign."""
    e.fact(node, EK.magnitude, typed(Decimal(change.magnitude)), f)
    if change.direction:
        direction = EK.Increase if change.direction == "increase" else EK.Decrease
        e.fact(node, EK.direction, direction, f)


def _add_turnouts(e: _Election) -> None:
    """Turnout of registered voters: on the election, or on its round. A figure on another basis
    ('of eligible population') is not ek:turnout: the line is kept as an infobox field."""
    f = e.record.fields.get("turnout")
    if f is None:
        return
    figures = e.record.turnouts
    other_basis = False
    for figure in figures:
        if figure.basis and "registered" not in figure.basis.lower():
            other_basis = True
            continue
        _add_turnout(e, f, figure, len(figures))
    if other_basis:
        _infobox_field(e, e.node, f)


def _add_turnout(e: _Election, f: Field, figure: TurnoutFigure, count: int) -> None:
    owner, part = e.node, "turnout"
    if figure.round is not None:
        owner = _round(e, figure.round, f)
        part = f"round-{figure.round}/turnout"
    elif count > 1 and figure.basis is None:
        return  # several unlabelled figures: which is which is not said; the line is kept raw
    stated = f.raw if count == 1 else f"{figure.percent.value}%"
    value = _quantity(e, iris.election_part(e.node, part), f, "turnout", stated, "percent")
    _figure(e, value, figure.percent, f)
    e.fact(owner, EK.turnout, value, f)
    if figure.change:
        change = _quantity(
            e,
            iris.election_part(e.node, f"{part}-change"),
            f,
            "turnout change",
            _change_words(f.raw, figure, count),
            "percentage points",
        )
        _change(e, change, figure.change, f)
        e.fact(owner, EK.turnoutChange, change, f)


def _change_words(raw: str, figure: TurnoutFigure, count: int) -> str:
    """The words of the change as written ('10.50pp' from '35.67% ( 10.50pp)')."""
    if count == 1 and "(" in raw and ")" in raw:
        inner = raw[raw.index("(") + 1 : raw.rindex(")")].strip()
        if inner:
            return inner
    assert figure.change is not None
    return f"{figure.change.magnitude}pp"


def _add_registered(e: _Election) -> None:
    f = e.record.fields.get("registered")
    if f is None or not isinstance(f.value, CountWithChange):
        return
    node = _quantity(
        e, iris.election_part(e.node, "registered-voters"), f, "registered voters", f.raw, "voters"
    )
    _figure(e, node, f.value.count, f)
    e.fact(e.node, EK.registeredVoters, node, f)


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


def _scope(e: _Election, ref: PartyRef | PersonRef) -> str:
    """The country that identifies a name: its disambiguation when that names a country
    ('Workers' Party (Algeria)' in another country's article is Algeria's), else the election's."""
    if ref.disambiguation and ref.disambiguation in default_table().demonyms.values():
        return ref.disambiguation
    return e.country


def _person(e: _Election, f: Field) -> URIRef:
    assert isinstance(f.value, PersonRef)
    ref = f.value
    node = _entity(
        e.w,
        iris.person(_scope(e, ref), ref.label),
        PERSON,
        ref.text,
        e.lines(f),
        title=ref.text,
    )
    e.fact(node, FOAF.name, Literal(ref.label), f)
    return node


def _party(e: _Election, f: Field) -> URIRef | None:
    """A party node, or None for the independents (never a party)."""
    assert isinstance(f.value, PartyRef)
    ref = f.value
    if ref.independent:
        return None
    title = ref.text if ref.article_title else None
    return _entity(
        e.w,
        iris.party(_scope(e, ref), ref.label),
        EK.PoliticalParty,
        ref.text,
        e.lines(f),
        title=title,
    )


def _alliance(e: _Election, f: Field) -> URIRef:
    assert isinstance(f.value, PartyRef)
    ref = f.value
    return _entity(
        e.w,
        iris.alliance(_scope(e, ref), ref.label),
        EK.Alliance,
        ref.text,
        e.lines(f),
        title=ref.text,
    )


def _add_office(e: _Election) -> None:
    fields = e.record.fields
    title = fields.get("office_title")
    if title is None or not isinstance(title.value, str):
        return
    post_name = f"{title.value} of {e.country}"
    post = iris.post(post_name)
    e.fact(post, RDF.type, ORG.Post, title)
    e.fact(post, RDFS.label, Literal(title.value, lang="en"), title)
    e.fact(
        post,
        ORG.postIn,
        iris.country(e.country),
        title,
        rule="the office is taken to be that of the election's country",
    )
    e.w.mention(post, e.lines(title))
    for when, holder_name, party_name, prop in (
        ("before", "office_before", "office_before_party", EK.officeHolderBefore),
        ("after", "office_after", "office_after_party", EK.officeHolderAfter),
    ):
        holder = fields.get(holder_name)
        if holder is None or not isinstance(holder.value, PersonRef):
            continue
        node = iris.election_part(e.node, f"{iris.slug(title.value)}-{when}")
        person = _person(e, holder)
        e.fact(node, RDF.type, EK.OfficeHolding, holder)
        e.fact(
            node,
            RDFS.label,
            Literal(f"{title.value} {when} the election: {holder.value.label}", lang="en"),
            holder,
            title,
        )
        e.fact(node, ORG.member, person, holder)
        e.fact(node, EK.post, post, title)
        e.fact(node, EK.election, e.node, holder)
        e.fact(e.node, prop, node, holder)
        e.w.derived(node, e.lines(holder, title))
        party = fields.get(party_name)
        # An independent has no party, and an alliance is no party: such a line stays an
        # infobox field, never a party node.
        if (
            party is not None
            and isinstance(party.value, PartyRef)
            and not party.value.independent
            and party.value.label not in e.alliances
        ):
            party_node = _party(e, party)
            assert party_node is not None
            e.fact(node, EK.partyAffiliation, party_node, party)
            e.w.derived(node, e.lines(party))


def _contestant(e: _Election, row: ContestantRow) -> tuple[URIRef, Field, str]:
    """Who the row's figures belong to, the line that names them, and their label.

    A nominee's row is the person's. Otherwise, in an election of seats, an AllianceN row is the
    alliance's (Malaysia 2013: Barisan Nasional won the 133 seats, not UMNO, its leader's party):
    the alliance is the contestant and the row's party is only org:memberOf it. Then the party,
    or the independents (never a party), then a lone alliance, then a lone leader.
    """
    nominee = row.fields.get("nominee")
    if nominee is not None and isinstance(nominee.value, PersonRef):
        return _person(e, nominee), nominee, nominee.value.label
    party = row.fields.get("party")
    alliance = row.fields.get("alliance")
    if (
        alliance is not None
        and isinstance(alliance.value, PartyRef)
        and e.record.kind != "presidential"
    ):
        return _alliance(e, alliance), alliance, alliance.value.label
    if party is not None and isinstance(party.value, PartyRef):
        if party.value.independent:
            node = iris.election_part(e.node, "independents")
            e.fact(node, RDF.type, EK.IndependentCandidates, party)
            e.fact(
                node,
                RDFS.label,
                Literal(f"{party.value.label} ({e.record.title})", lang="en"),
                party,
            )
            e.fact(node, EK.election, e.node, party)
            e.w.mention(node, e.lines(party))
            return node, party, party.value.label
        node = _party(e, party)
        assert node is not None
        return node, party, party.value.label
    if alliance is not None and isinstance(alliance.value, PartyRef):
        return _alliance(e, alliance), alliance, alliance.value.label
    leader = row.fields["leader"]
    assert isinstance(leader.value, PersonRef)
    return _person(e, leader), leader, leader.value.label


def _add_row(e: _Election, row: ContestantRow) -> None:
    if not any(f.state == "value" for f in row.fields.values() if f.role == "fact"):
        for f in (*row.fields.values(), *row.unknown.values()):
            _infobox_field(e, e.node, f)
        return
    contestant, name, label = _contestant(e, row)
    result = iris.election_part(e.node, f"result-{contestant.rsplit('/', 1)[-1]}")
    e.fact(result, RDF.type, EK.ElectionResult, name)
    e.fact(result, RDFS.label, Literal(f"{label} in the {e.record.title}", lang="en"), name)
    e.fact(result, EK.election, e.node, name)
    e.fact(result, EK.contestant, contestant, name)
    e.fact(result, EK.listPosition, typed(row.number), name)
    e.w.derived(result, e.lines(name))
    _add_row_people(e, row, result, contestant)
    _add_row_figures(e, row, result)
    _add_leader(e, row, result, contestant)
    for f in (*row.fields.values(), *row.unknown.values()):
        if f.line not in e.used:
            _infobox_field(e, result, f)


def _add_row_people(e: _Election, row: ContestantRow, result: URIRef, contestant: URIRef) -> None:
    """Candidate, running mate, the candidate's party and the alliance named on the row."""
    nominee = row.fields.get("nominee")
    if nominee is not None and isinstance(nominee.value, PersonRef):
        e.fact(result, EK.candidate, contestant, nominee)
    mate = row.fields.get("running_mate")
    if mate is not None and isinstance(mate.value, PersonRef):
        e.fact(result, EK.runningMate, _person(e, mate), mate)
    party = row.fields.get("party")
    alliance = row.fields.get("alliance")
    party_node = None
    if party is not None and isinstance(party.value, PartyRef) and not party.value.independent:
        party_node = _party(e, party)
    if alliance is not None and isinstance(alliance.value, PartyRef):
        alliance_node = _alliance(e, alliance)
        if alliance_node != contestant:
            e.fact(result, EK.alliance, alliance_node, alliance)
        elif party_node is not None:
            # The alliance is the contestant: the row's party is a member, never credited with
            # the alliance's figures.
            e.fact(party_node, ORG.memberOf, alliance_node, party, alliance)
            return
    if party_node is not None and party_node != contestant:
        e.fact(result, EK.party, party_node, party)  # type: ignore[arg-type]


def _add_row_figures(e: _Election, row: ContestantRow, result: URIRef) -> None:
    """Share, votes, seats, previous result, stated change and swing; absent values stay absent."""
    for name, prop in (
        ("percentage", EK.voteShare),
        ("popular_vote", EK.votes),
        ("seats", EK.seatsWon),
        ("seats_before", EK.previousSeats),
    ):
        f = row.fields.get(name)
        if f is not None and isinstance(f.value, Quantity) and not f.value.qualifier:
            e.fact(result, prop, typed(f.value.value), f)
            e.w.derived(result, e.lines(f))
    last = row.fields.get("last_election")
    if last is not None and isinstance(last.value, PreviousResult):
        prev = last.value
        if prev.seats is not None and not prev.seats.qualifier and "seats_before" not in row.fields:
            e.fact(result, EK.previousSeats, typed(prev.seats.value), last)
        if prev.share is not None and not prev.share.qualifier:
            e.fact(result, EK.previousVoteShare, typed(prev.share.value), last)
    for name in ("last_election", "seats_before", "seat_change", "swing"):
        f = row.fields.get(name)
        if f is not None and f.state == "new":
            e.fact(result, EK.newContestant, typed(True), f)
            e.w.derived(result, e.lines(f))
    seats = row.fields.get("seats")
    previous = _previous_seats(row)
    if seats is not None and isinstance(seats.value, Quantity) and previous is not None:
        prev_field, prev_value = previous
        if not seats.value.qualifier:
            e.fact(
                result,
                EK.seatChange,
                typed(int(seats.value.value) - prev_value),
                seats,
                prev_field,
                rule="seatsWon minus previousSeats",
            )
    for name, prop, unit in (
        ("seat_change", EK.statedSeatChange, "seats"),
        ("swing", EK.swing, "percentage points"),
    ):
        f = row.fields.get(name)
        if f is not None and isinstance(f.value, Change):
            part = f"{result.rsplit('/', 1)[-1]}-{name.replace('_', '-')}"
            node = _quantity(
                e, iris.election_part(e.node, part), f, name.replace("_", " "), f.raw, unit
            )
            _change(e, node, f.value, f)
            e.fact(result, prop, node, f)


def _previous_seats(row: ContestantRow) -> tuple[Field, int] | None:
    before = row.fields.get("seats_before")
    if before is not None and isinstance(before.value, Quantity) and not before.value.qualifier:
        return before, int(before.value.value)
    last = row.fields.get("last_election")
    if last is not None and isinstance(last.value, PreviousResult) and last.value.seats:
        if not last.value.seats.qualifier:
            return last, int(last.value.seats.value)
    return None


def _add_leader(e: _Election, row: ContestantRow, result: URIRef, contestant: URIRef) -> None:
    """The row's leader leads the row's party (or the contestant when the row names no party)."""
    leader = row.fields.get("leader")
    if leader is None:
        return
    if leader.state != "value" or not isinstance(leader.value, PersonRef):
        e.w.mention(contestant, e.lines(leader))  # 'Leader7: –' says there is none
        return
    party = row.fields.get("party")
    org_field = party if party is not None and isinstance(party.value, PartyRef) else None
    organisation = _party(e, org_field) if org_field is not None else contestant
    if organisation is None:  # an independents' row with a leader is refused by the reader
        return
    if organisation == contestant and row.fields.get("nominee") is not None:
        return
    person = _person(e, leader)
    org_label = org_field.value.label if org_field is not None else ""  # type: ignore[union-attr]
    leadership = iris.election_part(e.node, f"leadership-{organisation.rsplit('/', 1)[-1]}")
    names = [f for f in (org_field,) if f is not None]
    e.fact(leadership, RDF.type, EK.Leadership, leader)
    e.fact(
        leadership,
        RDFS.label,
        Literal(
            f"{leader.value.label}, leader of the {org_label or leader.value.label}", lang="en"
        ),
        leader,
        *names,
    )
    e.fact(leadership, ORG.member, person, leader)
    e.fact(leadership, ORG.organization, organisation, leader, *names)
    e.fact(leadership, ORG.role, PARTY_LEADER, leader)
    e.fact(leadership, EK.election, e.node, leader)
    e.w.derived(leadership, e.lines(leader, *names))
    e.w.graph.add((PARTY_LEADER, RDF.type, ORG.Role))
    e.w.graph.add((PARTY_LEADER, RDFS.label, Literal("party leader", lang="en")))


def _add_unmodelled(e: _Election) -> None:
    """Every election-level line not turned into a modelled fact is kept as an infobox field."""
    for f in (*e.record.fields.values(), *e.record.unknown.values()):
        if f.line not in e.used:
            _infobox_field(e, e.node, f)


def _infobox_field(e: _Election, owner: URIRef, f: Field) -> None:
    """Keep a line as written: ek:InfoboxField with its key and raw value, from its line."""
    node = iris.election_part(e.node, f"field-{iris.slug(f.key)}")
    e.fact(node, RDF.type, EK.InfoboxField, f)
    e.fact(node, RDFS.label, Literal(f"{f.key}: {f.raw}", lang="en"), f)
    e.fact(node, EK.infoboxKey, Literal(f.key), f)
    e.fact(node, EK.rawValue, Literal(f.raw), f)
    e.fact(owner, EK.infoboxField, node, f)
    e.w.derived(node, e.lines(f))

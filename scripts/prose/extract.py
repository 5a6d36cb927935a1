"""Sentence-level rules: each reads one kind of sentence and proposes the facts it states.

Rules are written for kinds of sentences (a boycott call with its list of callers, a dated
confirmation of the results, a qualified figure), never for one article. Every value a rule
proposes is in its sentence: `stated` holds the words, and the value is read from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rdflib import RDF, URIRef
from rdflib.namespace import ORG

from election_kg.common import iris
from election_kg.common.vocab import EK
from election_kg.pipeline.article import Article, Sentence
from election_kg.prose.entities import KIND_CLASS, EntityIndex, kind_of, mint, names_in
from election_kg.prose.facts import Terms
from election_kg.prose.lexicon import lexicon, pattern, words_pattern
from election_kg.prose.review import Candidate
from election_kg.prose.values import (
    NUMBER,
    FoundDate,
    find_dates,
    number_literal,
    parse_number,
    qualifier_before,
)

SCHEMA = "https://schema.org/"


@dataclass
class Context:
    article: Article
    terms: Terms
    index: EntityIndex
    country: URIRef | None
    country_name: str | None
    election_date: date | None
    year: int | None
    rows: list[Candidate] = field(default_factory=list)
    sentence: Sentence | None = None
    year_here: int | None = None
    last_calls: list[URIRef] = field(default_factory=list)
    last_person: URIRef | None = None
    last_org: URIRef | None = None
    last_allegation: URIRef | None = None
    typed: set[URIRef] = field(default_factory=set)

    @property
    def election(self) -> URIRef:
        return self.terms.election

    @property
    def text(self) -> str:
        assert self.sentence is not None
        return self.sentence.span.text

    def emit(
        self,
        subject: URIRef,
        prop: URIRef,
        value: str | URIRef,
        stated: str,
        *,
        qualifier: str = "",
        unit: str = "",
        label: str = "",
        confidence: float = 0.7,
    ) -> None:
        assert self.sentence is not None
        span = self.sentence.span
        shown = self.terms.curie(value) if isinstance(value, URIRef) else str(value)
        for row in self.rows:
            if (row.start, row.subject, row.property, row.value) == (
                span.start,
                self.terms.curie(subject),
                self.terms.curie(prop),
                shown,
            ):
                return
        self.rows.append(
            Candidate(
                id=f"p{len(self.rows) + 1:04d}",
                line=span.line,
                start=span.start,
                end=span.end,
                subject=self.terms.curie(subject),
                property=self.terms.curie(prop),
                value=shown,
                qualifier=qualifier,
                unit=unit,
                stated=stated,
                label=label,
                confidence=round(confidence, 2),
                status="new",
                decision="",
                sentence=span.text,
            )
        )

    def node(self, part: str, cls: URIRef, label: str, stated: str, conf: float = 0.7) -> URIRef:
        iri = iris.election_part(self.election, part)
        self.emit(iri, RDF.type, cls, stated, label=label, confidence=conf)
        return iri

    def entity(
        self,
        name: str,
        context: str = "",
        conf: float = 0.7,
        kind: str | None = None,
        stated: str | None = None,
    ) -> URIRef:
        """The IRI of a named entity: resolved in the graph, or proposed as new."""
        name = name.strip(" ,;")
        if self.country_name and name.lower() == self.country_name.lower() and self.country:
            return self.country
        match = self.index.find(name)
        if match:
            if match.how in ("reordered", "initials in another order"):
                self.emit(
                    match.iri,
                    URIRef("http://www.w3.org/2004/02/skos/core#altLabel"),
                    name,
                    name,
                    qualifier=f"matched: {match.how}",
                    confidence=0.5,
                )
            return match.iri
        kind = kind or kind_of(name, context)
        iri = mint(kind, name, self.country_name)
        if iri not in self.typed:
            self.typed.add(iri)
            self.emit(iri, RDF.type, KIND_CLASS[kind], stated or name, label=name, confidence=conf)
        self.index.add(iri, name, kind)
        return iri


def extract(ctx: Context) -> list[Candidate]:
    for sentence in ctx.article.sentences:
        ctx.sentence = sentence
        years = [int(y) for y in re.findall(r"\b(1[89]\d\d|20\d\d)\b", sentence.span.text)]
        if years:
            ctx.year_here = years[-1]
        for rule in RULES:
            rule(ctx)
    return ctx.rows


def _dates(ctx: Context) -> list[FoundDate]:
    return find_dates(ctx.text, ctx.year_here or ctx.year, ctx.election_date)


# --- the election itself ----------------------------------------------------------------------

HELD = re.compile(
    r"\b(?:(?P<kind>[A-Z]?[a-z]+) )?[Ee]lections?(?: for (?:an? |the )?[A-Z][^,]*?)? (?:was|were) held "
    r"in (?P<where>[A-Z][\w\s]+?)(?: on| between|,|\.| to| for|$)"
)


def held(ctx: Context) -> None:
    m = HELD.search(ctx.text)
    if not m or ctx.sentence is None or ctx.article.sentences.index(ctx.sentence) > 2:
        return
    kind = (m.group("kind") or "").lower()
    if kind in ("parliamentary", "legislative", "general"):
        ctx.emit(
            ctx.election,
            RDF.type,
            EK.LegislativeElection,
            m.group(0).split(" held")[0],
            confidence=0.8,
        )
    where = m.group("where").strip()
    if ctx.country_name and where.lower() == ctx.country_name.lower() and ctx.country:
        ctx.emit(ctx.election, EK.country, ctx.country, where, confidence=0.9)
    dates = [d for d in _dates(ctx) if d.start > m.start("where")]
    if dates:
        first = dates[0]
        conf = 0.6 if first.note else 0.9
        ctx.emit(
            ctx.election,
            EK.electionDate,
            first.value.isoformat(),
            first.text,
            qualifier=first.note,
            confidence=conf,
        )


# --- figures ------------------------------------------------------------------------------------


def _stated(text: str, start: int, end: int) -> str:
    return text[start:end].strip(" ,")


def figures(ctx: Context) -> None:
    text = ctx.text
    for spec in lexicon()["figures"]:
        if not pattern(spec["needs"]).search(text):
            continue
        rx = re.compile(NUMBER.pattern + r"\s+(?P<unit>" + spec["unit"] + r")\b", re.IGNORECASE)
        for m in rx.finditer(text):
            if re.match(r"\s*(?:%|per ?cent|percent)", text[m.end("num") :]):
                continue
            value = parse_number(m.group(0)[: m.start("unit") - m.start()].strip())
            if value is None or (value == 1 and m.group("num").lower() in ("a", "an")):
                continue
            if (
                re.search(r"\b(?:of the|of|in)\s*$", text[: m.start()])
                and spec["property"] != "ek:constituencies"
            ):
                continue  # "36% of the 18.8 million voters" is read below; "2 of the 5 parties" is not a count
            kind, begin = qualifier_before(text, m.start())
            if kind == "exact" and m.group("scale") and "." in m.group("num"):
                kind = "approximately"  # "18.8 million" is a rounded figure
            stated = _stated(text, begin, m.end())
            ctx.emit(
                ctx.election,
                URIRef(ctx.terms.iri(spec["property"])),
                number_literal(value),
                stated,
                qualifier=kind,
                unit=m.group("unit"),
                label=spec["label"],
                confidence=0.8,
            )
    # "of the 18.8 million voters", "of the 140 seats"
    for m in re.finditer(
        NUMBER.pattern + r"\s+(?P<unit>(?:registered |eligible )?voters|seats)\b",
        text,
        re.IGNORECASE,
    ):
        if not re.search(r"\b(?:(?:of|for) (?:the|its)|all(?: the)?) $", text[: m.start()]):
            continue
        value = parse_number(m.group(0)[: m.start("unit") - m.start()].strip())
        if value is None:
            continue
        if m.group("unit").lower() == "seats":
            if value > 10:
                ctx.emit(
                    ctx.election,
                    EK.seatsContested,
                    number_literal(value),
                    _stated(text, m.start(), m.end()),
                    confidence=0.7,
                )
            continue
        kind, begin = qualifier_before(text, m.start())
        if kind == "exact" and m.group("scale") and "." in m.group("num"):
            kind = "approximately"
        ctx.emit(
            ctx.election,
            EK.eligibleVoters,
            number_literal(value),
            _stated(text, begin, m.end()),
            qualifier=kind,
            unit=m.group("unit"),
            label="registered voters",
            confidence=0.7,
        )
    _shares(ctx)
    _members(ctx)
    _legislature(ctx)


def _legislature(ctx: Context) -> None:
    """'the 389 seats in the National People's Assembly': the legislature the election fills."""
    m = re.search(
        r"\bseats (?:in|of) the (?P<name>[A-Z][\w'’-]+(?: (?:of |for |the )*[A-Z][\w'’-]+)+)",
        ctx.text,
    )
    if m:
        iri = ctx.entity(m.group("name"), kind="legislature", conf=0.6)
        ctx.emit(ctx.election, EK.legislature, iri, m.group("name"), confidence=0.6)


def _members(ctx: Context) -> None:
    m = re.search(r"\belect(?:ed)? (?:all |the )?(?P<n>\d+) members\b", ctx.text)
    if m:
        ctx.emit(ctx.election, EK.seatsContested, m.group("n"), m.group(0), confidence=0.7)


PERCENT = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s?(?P<sign>%|per ?cent|percent)")


def _shares(ctx: Context) -> None:
    text = ctx.text
    for spec in lexicon()["shares"]:
        ctxm = pattern(spec["context"]).search(text)
        if not ctxm:
            continue
        for m in PERCENT.finditer(text):
            # the share nearest the word that says what it is a share of, in the same clause
            lo, hi = sorted((m.start(), ctxm.start()))
            if re.search(r"[;]|, (?:while|whereas|but)\b", text[lo:hi]) or hi - lo > 90:
                continue
            if re.search(
                r"\b(?:of the vote|of the votes|of seats)\b", text[m.end() : m.end() + 14]
            ):
                continue
            kind, begin = qualifier_before(text, m.start())
            value = m.group("num")
            if spec["property"] == "ek:turnout" and kind == "exact":
                kind = _rounded(ctx, value)
            ctx.emit(
                ctx.election,
                ctx.terms.iri(spec["property"]),
                value,
                _stated(text, begin, m.end()),
                qualifier=kind,
                unit="percent",
                label=spec["label"],
                confidence=0.75,
            )
            break
    for m in re.finditer(r"(?P<num>\d+(?:\.\d+)?)\s?(?:pp|percentage points?)\b", text):
        if re.search(r"\bturnout\b", text) and re.search(
            r"\b(?:fell|rose|dropped|increased|decreased|up|down)\b", text
        ):
            kind, begin = qualifier_before(text, m.start())
            ctx.emit(
                ctx.election,
                EK.turnoutChange,
                m.group("num"),
                _stated(text, begin, m.end()),
                qualifier=kind,
                unit="percentage points",
                label="turnout change",
                confidence=0.5,
            )


def _rounded(ctx: Context, value: str) -> str:
    """A whole-number turnout the graph knows more precisely is the prose rounding it."""
    g = ctx.index.graph
    for q in g.objects(ctx.election, EK.turnout):
        for exact in g.objects(q, URIRef(SCHEMA + "value")):
            if (
                "." not in value
                and round(float(exact)) == int(value)
                and float(exact) != int(value)
            ):
                return "approximately"
    return "exact"


# --- voting days, the capital, records -----------------------------------------------------------

VOTED = re.compile(r"\bvoted (?:on|early on)\s+")


def voting_days(ctx: Context) -> None:
    text = ctx.text
    dates = _dates(ctx)
    begin = 0
    lead = re.match(r"(?:While|Whereas|Although|As) ", text)
    if lead:
        begin = lead.end()
    for m in VOTED.finditer(text):
        date_here = next((d for d in dates if d.start == m.end()), None)
        if date_here is None:
            continue
        groups_text = text[begin : m.start()].strip(" ,")
        groups = _split_groups(groups_text)
        day = ctx.node(
            f"voting-day-{date_here.value.isoformat()}",
            EK.VotingDay,
            f"Voting day, {date_here.value.isoformat()}",
            m.group(0) + date_here.text,
            conf=0.75,
        )
        ctx.emit(
            day,
            URIRef(SCHEMA + "startDate"),
            date_here.value.isoformat(),
            date_here.text,
            qualifier=date_here.note,
            confidence=0.8,
        )
        for group in groups:
            ctx.emit(day, EK.voterGroup, group, group, confidence=0.7)
        rest = text[date_here.end :]
        reason = re.match(r"\s*(?:due to|because of|owing to|because)\s+(?P<r>[^;]+?)\.?$", rest)
        if reason:
            ctx.emit(day, EK.reason, reason.group("r"), reason.group("r"), confidence=0.7)
        begin = date_here.end


def _split_top(text: str, sep: str) -> list[str]:
    parts, depth, cur, i = [], 0, "", 0
    while i < len(text):
        ch = text[i]
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and text.startswith(sep, i):
            parts.append(cur)
            cur, i = "", i + len(sep)
            continue
        cur += ch
        i += 1
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def _split_groups(text: str) -> list[str]:
    """'A (x) and B and other C and D' -> groups at ' and ' where a new group begins."""
    out: list[str] = []
    for part in _split_top(text, " and "):
        if out and not re.match(r"(?:[A-Z]|other |those |the |some |many |most )", part):
            out[-1] = f"{out[-1]} and {part}"
        else:
            out.append(part)
    return out


def capital(ctx: Context) -> None:
    m = re.search(
        r"\b(?P<city>[A-Z][\w-]+(?: [A-Z][\w-]+)*), (?:the country's|the) capital\b", ctx.text
    )
    if m and ctx.country:
        city = ctx.entity(m.group("city"), kind="place", conf=0.7)
        ctx.emit(ctx.country, EK.capital, city, m.group("city"), confidence=0.7)


RECORD = re.compile(
    r"\b(?P<measure>turnout|participation)\b.{0,40}?\b(?:the )?"
    r"(?P<kind>lowest|highest|smallest|largest|record low|record high)\b"
    r".{0,30}?\bin (?P<scope>(?:[A-Z]\w+|the country's)) history",
)


def record(ctx: Context) -> None:
    m = RECORD.search(ctx.text)
    if not m or ctx.country is None:
        return
    down = m.group("kind") in ("lowest", "smallest", "record low")
    node = ctx.node(
        "turnout-record",
        EK.HistoricalRecord,
        f"{m.group('kind')} turnout in history",
        m.group(0),
        conf=0.7,
    )
    ctx.emit(node, EK.recordMeasure, EK.turnout, m.group("measure"), confidence=0.7)
    ctx.emit(
        node, EK.recordKind, EK.Decrease if down else EK.Increase, m.group("kind"), confidence=0.7
    )
    ctx.emit(node, EK.recordScope, ctx.country, m.group("scope"), confidence=0.6)
    g = ctx.index.graph
    for q in g.objects(ctx.election, EK.turnoutChange):
        if (
            g.value(q, EK.magnitude) is not None
            and g.value(q, EK.direction) is None
            and isinstance(q, URIRef)
        ):
            # a record low cannot be a rise from the previous election
            ctx.emit(
                q,
                EK.direction,
                EK.Decrease if down else EK.Increase,
                m.group("kind"),
                qualifier="the infobox's change has no sign; a record low (high) gives it",
                confidence=0.5,
            )


# --- boycotts ------------------------------------------------------------------------------------


def boycott(ctx: Context) -> None:
    text = ctx.text
    bl = lexicon()["boycott"]
    call = pattern(bl["call"]).search(text)
    ended = pattern(bl["ended"]).search(text)
    if ended:
        actors = _actors(ctx, text[: ended.start()])
        for _, name, _ in actors:
            ev = ctx.node(
                f"end-of-boycott-{iris.slug(name)}",
                EK.ElectionEvent,
                f"End of the boycott of {name}",
                ended.group(0),
                conf=0.6,
            )
            ctx.emit(ev, URIRef(SCHEMA + "description"), text, text, confidence=0.5)
        return
    if not call:
        if not re.search(r"\bboycott", text):
            ctx.last_calls = [] if not re.match(r"(?:These|Those|They)\b", text) else ctx.last_calls
        return
    head = text[: call.start()]
    actors = _actors(ctx, head)
    if not actors:
        return
    reason = pattern(bl["reason"]).search(text[call.end() :])
    medium = pattern(bl["medium"]).search(text)
    quoted = re.findall(r"[\"“](?P<q>[^\"”]{2,80})[\"”]", text)
    calls = []
    grouped: dict[str, list[tuple[URIRef, str]]] = {}
    for iri, name, group in actors:
        grouped.setdefault(iris.slug(group), []).append((iri, name))
    for part, members in grouped.items():
        label = " and ".join(n for _, n in members)
        node = ctx.node(
            f"boycott-call-{part}",
            EK.BoycottCall,
            f"Boycott call of {label}",
            call.group(0),
            conf=0.75,
        )
        for iri, name in members:
            ctx.emit(node, EK.callMadeBy, iri, name, confidence=0.75)
        if reason:
            ctx.emit(
                node,
                EK.reason,
                reason.group("reason").strip(),
                reason.group("reason").strip(),
                confidence=0.6,
            )
        if medium:
            ctx.emit(
                node, EK.medium, medium.group("medium"), medium.group("medium"), confidence=0.7
            )
        for q in quoted:
            ctx.emit(node, EK.characterisation, q, q, confidence=0.6)
        calls.append(node)
    ctx.last_calls = calls


def _actors(ctx: Context, head: str) -> list[tuple[URIRef, str, str]]:
    """Who a clause names before its verb: a list after 'notably', or the sentence's subject."""
    intro = pattern(lexicon()["boycott"]["list_intro"]).search(head)
    region = head[intro.end() :] if intro else head
    region = re.sub(
        r",?\s*(?:had|has|have|also|then|all|both|initially|later)\s*$", "", region.strip()
    ).strip(" ,")
    items = _split_top(region, ", ")
    items = [re.sub(r"^(?:and|or)\s+", "", it) for it in items]
    if len(items) == 1:
        whole = items[0]
        if not ctx.index.find(_strip_descriptor(whole)[1]) and " and " in whole:
            items = _split_top(whole, " and ")
    out: list[tuple[URIRef, str, str]] = []
    appositive = ""
    for n, item in enumerate(items):
        if (
            n == 0
            and len(items) > 1
            and re.match(r"(?:The|the) (?:[a-z][\w-]* )+(?:in|of|from|on) [A-Z]", item)
            and not re.search(r"\b(?:members?|faction|wing|leaders?)\b", item)
        ):
            # "The only notable remaining armed group in Algeria, the X, ..." describes X
            appositive = item
            continue
        out.extend(_actor(ctx, item, appositive))
        appositive = ""
    return out


def _strip_descriptor(item: str) -> tuple[str, str]:
    """'the ex-communist Democratic and Social Movement' -> ('ex-communist', 'Democratic ...')."""
    m = re.match(
        r"(?:[Tt]he |[Ii]ts |[Aa]n? )?(?P<desc>(?:[a-z][\w-]*\s+)*)(?P<name>[A-Z].*)$", item.strip()
    )
    if not m:
        return "", item
    desc, name = m.group("desc").strip(), m.group("name").strip()
    adjectives = {a.lower() for a in lexicon()["entities"]["adjectives"]}
    first, _, rest = name.partition(" ")
    if first.lower() in adjectives and len(rest.split()) >= 2:
        desc, name = f"{desc} {first}".strip(), rest
    return desc, name


def _actor(ctx: Context, item: str, appositive: str) -> list[tuple[URIRef, str, str]]:
    """The entities one list item names, each with the group it calls with."""
    out: list[tuple[URIRef, str, str]] = []
    desc_prop = URIRef(SCHEMA + "description")
    persons = re.search(r"\((?P<p>[^)]+)\)\s*$", item)
    main = item[: persons.start()].strip() if persons else item
    member = re.match(
        r"(?:the )?(?P<role>(?:[\w-]+ )*?(?:members?|leaders?|figures?)) of (?:the )?(?P<org>.+)$",
        main,
    )
    faction = re.match(
        r"(?:the )?(?P<head>(?:[\w-]+ )*?(?:faction|wing|branch)) of (?:the )?(?P<org>.+)$", main
    )
    if member and persons:
        desc, org_name = _strip_descriptor(member.group("org"))
        org = ctx.entity(org_name, "party " + desc, conf=0.7)
        if desc:
            ctx.emit(org, desc_prop, desc, desc, confidence=0.5)
        for name in _split_top(persons.group("p").replace(" and ", ", "), ", "):
            person = ctx.entity(name, kind="person", conf=0.75)
            ctx.emit(person, desc_prop, main, main, confidence=0.5)
            ctx.emit(person, ORG.memberOf, org, org_name, confidence=0.6)
            out.append((person, name, f"{org_name} {member.group('role')}"))
        return out
    if faction:
        desc, party_name = _strip_descriptor(faction.group("org"))
        party = ctx.entity(party_name, "party", conf=0.7)
        if desc:
            ctx.emit(party, desc_prop, desc, desc, confidence=0.5)
        head = faction.group("head")
        label = f"{head} of the {party_name}"
        phrase = re.sub(r"^the ", "", main)  # the words as the sentence has them
        unit = ctx.entity(label, "faction", conf=0.6, kind="faction", stated=phrase)
        ctx.emit(unit, ORG.unitOf, party, party_name, confidence=0.6)
        out.append((unit, phrase, label))
        return out
    desc, name = _strip_descriptor(main)
    if not name or not names_in(name):
        return out
    iri = ctx.entity(name, f"{appositive} {desc}", conf=0.7)
    if desc and desc.lower() not in ("main", "other"):
        ctx.emit(iri, desc_prop, desc, desc, confidence=0.5)
    if appositive:
        ctx.emit(iri, desc_prop, appositive, appositive, confidence=0.5)
    out.append((iri, name, name))
    return out


def boycott_reason(ctx: Context) -> None:
    if not ctx.last_calls:
        return
    m = pattern(lexicon()["boycott"]["follow_up"]).match(ctx.text)
    if not m:
        return
    reason = re.sub(r"^that ", "", m.group("reason"))
    for node in ctx.last_calls:
        ctx.emit(node, EK.reason, reason, reason, confidence=0.6)
    ctx.last_calls = []


# --- statements: allegations and retractions -----------------------------------------------------

ALLEGE = re.compile(
    r"^(?P<who>[A-Z][\w'-]+(?: [A-Z][\w'-]+){1,3}), (?P<role>the [^,]+), (?:\w+ly )?"
    r"(?:reported|claimed|alleged|said|stated|charged|complained) that (?P<claims>.+?)\.?$"
)
FRAUD = re.compile(
    r"\b(?:stuff|rigg|fraud|irregular|prevent|intimidat|vote[- ]buying|manipulat|falsif)",
    re.IGNORECASE,
)


def allegation(ctx: Context) -> None:
    m = ALLEGE.match(ctx.text)
    if not m:
        return
    person = ctx.entity(m.group("who"), kind="person", conf=0.75)
    ctx.last_person = person
    _role(ctx, person, m.group("role"))
    if not FRAUD.search(m.group("claims")):
        return
    node = ctx.node(
        f"allegation-{iris.slug(m.group('who'))}",
        EK.Allegation,
        f"{m.group('who')}'s report of irregularities",
        m.group("who"),
        conf=0.7,
    )
    ctx.emit(node, EK.statedBy, person, m.group("who"), confidence=0.75)
    for claim in re.split(r",? (?:and )?that ", m.group("claims")):
        claim = claim.strip(" ,")
        if claim:
            ctx.emit(node, EK.claim, claim, claim, confidence=0.6)
            for _, _, name in names_in(claim):
                found = ctx.index.find(name)
                if found:
                    ctx.entity(name)
                    ctx.emit(node, EK.concerns, found.iri, name, confidence=0.5)
    ctx.last_allegation = node


def _role(ctx: Context, person: URIRef, role: str) -> None:
    heads = words_pattern(lexicon()["roles"]["heads"])
    m = re.match(rf"the (?P<head>{heads}) of (?:the )?(?P<org>.+)$", role, re.IGNORECASE)
    if not m:
        ctx.emit(person, URIRef(SCHEMA + "description"), role, role, confidence=0.4)
        return
    org = ctx.entity(m.group("org"), "organisation", conf=0.6)
    prop = (
        ORG.headOf
        if m.group("head").lower()
        in (
            "head",
            "chairman",
            "chairwoman",
            "chair",
            "president",
            "director",
            "leader",
            "secretary-general",
            "secretary general",
        )
        else ORG.memberOf
    )
    ctx.emit(person, prop, org, m.group("org"), confidence=0.6)


RETRACT = re.compile(
    r"^(?:He|She|(?P<who>[A-Z]\w+(?: [A-Z]\w+)*)) (?:\w+ )?(?:retracted|withdrew|took back) "
    r"(?:his|her|their|the) (?:statement|claims?|allegations?|remarks?)(?P<rest>.*)$"
)


def retraction(ctx: Context) -> None:
    m = RETRACT.match(ctx.text)
    if not m or ctx.last_allegation is None or ctx.last_person is None:
        return
    who = ctx.last_person
    name = m.group("who") or m.group(0).split()[0]
    node = ctx.node(
        f"retraction-{str(who).rsplit('/', 1)[-1]}",
        EK.Retraction,
        "Retraction",
        m.group(0).split(" his ")[0],
        conf=0.7,
    )
    ctx.emit(
        node,
        EK.statedBy,
        who,
        name,
        qualifier="the person of the previous sentence",
        confidence=0.6,
    )
    ctx.emit(
        node,
        EK.retracts,
        ctx.last_allegation,
        m.group(0)[: m.end() - len(m.group("rest"))],
        confidence=0.6,
    )
    apology = re.search(r"\bapologi[sz]ed\b", m.group("rest"))
    if apology:
        ctx.emit(node, EK.withApology, "true", apology.group(0), confidence=0.7)


# --- dated events --------------------------------------------------------------------------------


def _subject_org(ctx: Context, text: str) -> URIRef | None:
    if re.match(r"(?:It|The (?:council|court|commission))\b", text) and ctx.last_org is not None:
        return ctx.last_org
    names = names_in(text)
    if names and names[0][0] <= 4:
        name = names[0][2]
        if kind_of(name) in ("organisation",) or ctx.index.find(name):
            iri = ctx.entity(name, "organisation", conf=0.7)
            return iri
    return None


def events(ctx: Context) -> None:
    text = ctx.text
    if HELD.search(text) or VOTED.search(text):
        return
    dates = _dates(ctx)
    for spec in lexicon()["events"]["kinds"]:
        m = pattern(spec["pattern"]).search(text)
        if not m:
            continue
        cls = ctx.terms.iri(spec["class"])
        decider = None
        if spec.get("needs_decider"):
            head = text[: m.start()]
            decider = _subject_org(ctx, head)
            if decider is None:
                continue
        clause = _clause(text, m.start())
        cstart = text.find(clause)
        when = _nearest(
            [d for d in dates if cstart <= d.start < cstart + len(clause)], m.start(), text
        )
        if cls == EK.ElectionEvent and when is None:
            continue
        local = str(cls).rsplit("#", 1)[-1]
        part = (
            re.sub(r"(?<!^)([A-Z])", r"-\1", local).lower()
            if cls != EK.ElectionEvent
            else iris.slug(spec["label"])
        )
        if when is not None:
            part += f"-{when.value.isoformat()}"
        elif cls == EK.Incident:
            part += "-" + iris.slug(clause[:40])
        label = spec["label"] + (f", {when.value.isoformat()}" if when else "")
        node = ctx.node(part, cls, label, m.group(0), conf=0.65)
        ctx.emit(node, URIRef(SCHEMA + "description"), clause, clause, confidence=0.5)
        if when is not None:
            ctx.emit(
                node,
                URIRef(SCHEMA + "startDate"),
                when.value.isoformat(),
                when.text,
                qualifier=when.note,
                confidence=0.7,
            )
        if decider is not None:
            ctx.emit(node, EK.decidedBy, decider, _name_of(ctx, decider, text), confidence=0.7)
            ctx.last_org = decider
        if cls == EK.Certification:
            changes = re.search(
                r"\bwith (?P<c>(?:slight |minor |some |several )?(?:changes|amendments|corrections)[^;]*?)(?:, on |, |$)",
                text,
            )
            if changes:
                ctx.emit(
                    node, EK.changesMade, changes.group("c"), changes.group("c"), confidence=0.6
                )
        if cls == EK.AppealRuling:
            outcome = re.match(
                r"(?P<o>.+?)(?: on [^,]*\d| in [A-Z][a-z]+ \d{4})?\.?$", text[m.start() :]
            )
            o = outcome.group("o") if outcome else m.group(0)
            ctx.emit(node, EK.outcome, o, o, confidence=0.6)
        if cls == EK.Incident:
            _incident(ctx, node, clause)
        if cls != EK.ElectionEvent:
            continue
        break  # one generic event per sentence


def _name_of(ctx: Context, iri: URIRef, text: str) -> str:
    label = ctx.index.label(iri)
    for row in ctx.rows:
        if row.subject == ctx.terms.curie(iri) and row.property == "rdf:type":
            label = row.label
    if label and label in text:
        return label
    m = re.match(r"(It|The \w+)\b", text)
    return m.group(1) if m else (label or "")


def _nearest(dates: list[FoundDate], at: int, text: str = "") -> FoundDate | None:
    """The date of the act: the nearest, leaving out target dates ('scheduled for 4 July')."""
    acts = [d for d in dates if not re.search(r"\b(?:for|from|until|to|by)\s+$", text[: d.start])]
    return min(acts, key=lambda d: abs(d.start - at), default=None)


def _clause(text: str, at: int) -> str:
    """The clause around a position: between semicolons, and after 'however,'."""
    start = text.rfind(";", 0, at) + 1
    end = text.find(";", at)
    clause = text[start : end if end >= 0 else len(text)].strip()
    clause = re.sub(r"^(?:however|but|meanwhile|moreover),\s*", "", clause, flags=re.IGNORECASE)
    return clause.rstrip(".")


def _incident(ctx: Context, node: URIRef, clause: str) -> None:
    num = NUMBER.pattern
    m = re.search(
        rf"{num}\s+(?:car |roadside |suicide )?(?:bombs|explosive devices|explosions|bombs went off)\b",
        clause,
        re.IGNORECASE,
    )
    if m:
        ctx.emit(
            node,
            EK.explosiveDevices,
            number_literal(parse_number(m.group("num")) or 0),
            m.group(0),
            confidence=0.6,
        )
    for prop, verbs in (
        (EK.deaths, "killing|killed|leaving dead"),
        (EK.injuries, "wounding|injuring|wounded|injured"),
    ):
        m = re.search(
            rf"\b(?:{verbs})\s+(?:at least\s+)?(?P<num>\d+|[A-Za-z]+(?:-[a-z]+)?)\b(?P<rest>\s+\w+)?",
            clause,
        )
        if m:
            value = parse_number(m.group("num"))
            if value is not None and value > 0:
                ctx.emit(node, prop, number_literal(value), m.group(0).strip(), confidence=0.55)
    place = re.search(r"\bin (?P<p>[A-Z][\w-]+(?: [A-Z][\w-]+)*)", clause)
    if place:
        name = place.group("p")
        iri = ctx.entity(name, kind="place", conf=0.6)
        ctx.emit(node, URIRef(SCHEMA + "location"), iri, name, confidence=0.6)


# --- groups, roles -------------------------------------------------------------------------------

WOMEN = re.compile(
    r"\b(?P<group>[Ww]omen|female candidates|young people|youth)\b (?:won|took|obtained|were elected to|secured|gained) (?P<n>\S+) seats(?P<rest>.*)"
)


def group_seats(ctx: Context) -> None:
    m = WOMEN.search(ctx.text)
    if not m:
        return
    value = parse_number(m.group("n"))
    if value is None:
        return
    group = m.group("group")
    node = ctx.node(
        f"{iris.slug(group)}-representation",
        EK.GroupRepresentation,
        f"Seats won by {group.lower()}",
        m.group(0).split(" seats")[0] + " seats",
        conf=0.75,
    )
    ctx.emit(node, EK.group, group.lower() if group.istitle() else group, group, confidence=0.75)
    ctx.emit(node, EK.seatsWon, number_literal(value), f"{m.group('n')} seats", confidence=0.8)
    change = re.search(
        r"\b(?P<dir>increase|rise|gain|decrease|fall|drop|loss) of (?P<n>\S+?)\b", m.group("rest")
    )
    if change:
        delta = parse_number(change.group("n"))
        if delta is not None:
            sign = -1 if change.group("dir") in ("decrease", "fall", "drop", "loss") else 1
            ctx.emit(
                node,
                EK.seatChange,
                number_literal(sign * delta),
                change.group(0),
                qualifier="signed by the words" if sign < 0 else "",
                confidence=0.7,
            )


def led_by(ctx: Context) -> None:
    """'the X led by Y', 'Y, leader of the X': a party leadership at the time of the election."""
    for m in re.finditer(
        r"\b(?:the )?(?P<party>[A-Z][^,;()]*?)"
        r"(?: (?:coalition|alliance|party|bloc))?(?: \([A-Z]+\))?,? (?P<verb>led|headed) by "
        r"(?:(?:Prime Minister|President|former \w+) )?(?P<who>[A-Z][\w'-]+(?: [A-Z][\w'-]+){1,3})",
        ctx.text,
    ):
        party_name = names_in(m.group("party"))
        if not party_name or party_name[-1][1] != len(m.group("party")):
            continue  # the name must stand right before "led by", not earlier in the clause
        pname = party_name[-1][2]
        led = ctx.text[m.start("verb") : m.end()]
        if kind_of(pname) != "party" and not ctx.index.find(pname):
            continue
        party = ctx.entity(pname, "party", conf=0.6)
        person = ctx.entity(m.group("who"), kind="person", conf=0.6)
        node = ctx.node(
            f"leadership-{str(party).rsplit('/', 1)[-1]}",
            EK.Leadership,
            f"{m.group('who')}, leader of the {pname}",
            led,
            conf=0.55,
        )
        ctx.emit(node, ORG.member, person, m.group("who"), confidence=0.6)
        ctx.emit(node, ORG.organization, party, pname, confidence=0.6)
        ctx.emit(
            node,
            ORG.role,
            iris.role("party leader"),
            m.group(0).split(" by ")[0].split()[-1],
            confidence=0.5,
        )


def titles(ctx: Context) -> None:
    """'Prime Minister X', 'incumbent president X': a person and the post the sentence gives."""
    rx = words_pattern(lexicon()["roles"]["titles"]).replace(r"\b(?:", r"\b(?P<title>", 1)
    for m in re.finditer(rx + r",?\s+(?P<who>[A-Z][\w'-]+(?: [A-Z][\w'-]+){1,3})", ctx.text):
        who = m.group("who")
        if kind_of(who) != "person":
            continue
        person = ctx.entity(who, kind="person", conf=0.6)
        ctx.emit(
            person,
            URIRef(SCHEMA + "description"),
            m.group("title"),
            m.group("title"),
            confidence=0.45,
        )


def _split_and(ctx: Context, item: str) -> list[str]:
    """'the A Party and the B Front' is two names; 'Democratic and Social Movement' is one."""
    if ctx.index.find(_strip_descriptor(item)[1]):
        return [item]
    parts = re.split(r"\s+and\s+(?=the\s|[A-Z])", item)
    party_words = words_pattern(lexicon()["entities"]["party"])
    if len(parts) > 1 and all(re.search(party_words, p, re.IGNORECASE) for p in parts):
        return parts
    return [item]


def alliance(ctx: Context) -> None:
    """'the X coalition, made up of A, B and C': each party a member of the alliance."""
    m = pattern(lexicon()["alliances"]["members"]).search(ctx.text)
    if not m:
        return
    names = names_in(m.group("alliance"))
    if not names:
        return
    alliance_name = names[-1][2]
    region = re.split(r",\s+(?:which|who|and won|won|received)\b", m.group("members"))[0]
    items = [re.sub(r"^(?:and|or)\s+", "", item) for item in _split_top(region, ", ")]
    members = [_strip_descriptor(part)[1] for item in items for part in _split_and(ctx, item)]
    members = [name for name in members if name and names_in(name)]
    if len(members) < 2:
        return
    group = ctx.entity(alliance_name, "party", conf=0.6, kind="party")
    for name in members:
        party = ctx.entity(name, "party", conf=0.6)
        ctx.emit(party, ORG.memberOf, group, alliance_name, confidence=0.6)


RULES = [
    held,
    figures,
    voting_days,
    capital,
    record,
    boycott,
    boycott_reason,
    allegation,
    retraction,
    events,
    group_seats,
    led_by,
    titles,
    alliance,
]

"""Interpret an article's infobox lines as election records.

Generic for infoboxes of this shape: election-wide keys, numbered contestant rows
(`PartyN`, `LeaderN`, `PercentageN`, `SeatsN`, `Last ElectionN`) and an office block
(`Title`, `Before Election`, `After Election`, `Before Party`, `After Party`). Every value keeps
the line it came from. Unknown keys stop the build: a fact we cannot place is not dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar

from election_kg.common import iris
from election_kg.pipeline import values
from election_kg.pipeline.article import Article, InfoboxEntry
from election_kg.pipeline.errors import SourceError

T = TypeVar("T")

ROW_KEY = re.compile(r"^(?P<field>Party|Leader|Percentage|Seats|Last Election)(?P<n>\d+)$")
ELECTION_KEYS = {
    "Country",
    "Previous Election",
    "Next Election",
    "Seats For Election",
    "Majority Seats",
    "Election Date",
    "Turnout",
    "Title",
    "Before Election",
    "After Election",
    "Before Party",
    "After Party",
}
REQUIRED_KEYS = ("Country", "Election Date")
ROW_REQUIRED = ("Party", "Percentage", "Seats")
INDEPENDENTS = re.compile(r"^independents?(?: candidates)?$", re.IGNORECASE)
SEATS = re.compile(
    r"^(?:all\s+)?(?P<n>\d[\d,\s]*?)\s+seats(?:\s+(?:in|of)\s+(?:the\s+)?(?P<body>.+?))?\s*$",
    re.IGNORECASE,
)
TURNOUT = re.compile(
    r"^(?P<pct>[\d.,]+)\s*%\s*"
    r"(?:\(\s*(?P<arrow>[▲▼+\-−]|increase|decrease)?\s*(?P<change>[\d.,]+)\s*(?:pp|%|points?)\s*\))?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sourced(Generic[T]):
    """A value and the infobox line it was read from."""

    value: T
    entry: InfoboxEntry


@dataclass
class ContestantRow:
    position: int
    name: Sourced[str]
    independent: bool
    leader: Sourced[str] | None = None
    share: Sourced[Decimal] | None = None
    seats: Sourced[int] | None = None
    previous_seats: Sourced[int] | None = None
    new: Sourced[bool] | None = None
    no_leader: Sourced[bool] | None = None  # the row says explicitly that there is no leader ('–')


@dataclass
class Turnout:
    percent: Sourced[Decimal]
    change: Sourced[Decimal] | None = None
    direction: Sourced[str] | None = None  # "increase"/"decrease" only where the line shows it


@dataclass
class Office:
    title: Sourced[str]
    before: Sourced[str] | None = None
    after: Sourced[str] | None = None
    before_party: Sourced[str] | None = None
    after_party: Sourced[str] | None = None


@dataclass
class ElectionRecord:
    article: Article
    country: Sourced[str]
    date: Sourced[date]
    previous_year: Sourced[int] | None = None
    next_year: Sourced[int] | None = None
    seats: Sourced[int] | None = None
    legislature: Sourced[str] | None = None
    majority: Sourced[int] | None = None
    turnout: Turnout | None = None
    office: Office | None = None
    rows: list[ContestantRow] = field(default_factory=list)


def read_election(article: Article) -> ElectionRecord:
    """Build the election record of an article, or raise SourceError at the first bad line."""
    plain: dict[str, InfoboxEntry] = {}
    grouped: dict[int, dict[str, InfoboxEntry]] = {}
    for entry in article.infobox:
        row = ROW_KEY.match(entry.key)
        if row:
            grouped.setdefault(int(row.group("n")), {})[row.group("field")] = entry
        elif entry.key in ELECTION_KEYS:
            plain[entry.key] = entry
        else:
            known = (
                ", ".join(sorted(ELECTION_KEYS))
                + ", PartyN, LeaderN, PercentageN, SeatsN, Last ElectionN"
            )
            raise SourceError(
                article.path,
                entry.span.line,
                entry.key,
                f"unknown infobox key; known keys: {known}",
            )
    for key in REQUIRED_KEYS:
        if key not in plain or values.is_absent(plain[key].value):
            line = plain[key].span.line if key in plain else article.title_span.line
            raise SourceError(article.path, line, key, "required infobox value is missing")

    def get(key: str, parse: Callable[[str], T]) -> Sourced[T] | None:
        entry = plain.get(key)
        if entry is None or values.is_absent(entry.value):
            return None
        return Sourced(_parse(article, entry, parse), entry)

    record = ElectionRecord(
        article,
        country=Sourced(_parse(article, plain["Country"], _name), plain["Country"]),
        date=Sourced(
            _parse(article, plain["Election Date"], values.parse_date), plain["Election Date"]
        ),
        previous_year=get("Previous Election", values.parse_year),
        next_year=get("Next Election", values.parse_year),
        majority=get("Majority Seats", values.parse_count),
    )
    _read_seats(article, plain.get("Seats For Election"), record)
    _read_turnout(article, plain.get("Turnout"), record)
    _read_office(article, plain, record)
    record.rows = [_read_row(article, n, grouped[n]) for n in sorted(grouped)]
    if record.majority and record.seats and record.majority.value > record.seats.value:
        raise SourceError(
            article.path,
            record.majority.entry.span.line,
            "Majority Seats",
            f"majority {record.majority.value} exceeds the {record.seats.value} seats contested",
        )
    return record


def _name(raw: str) -> str:
    """A name that will become part of an IRI: it needs at least one letter or digit."""
    iris.slug(values.strip_disambiguation(raw))
    return raw


def _parse(article: Article, entry: InfoboxEntry, parse: Callable[[str], T]) -> T:
    try:
        return parse(entry.value)
    except ValueError as exc:
        raise SourceError(article.path, entry.span.line, entry.key, str(exc)) from exc


def _read_seats(article: Article, entry: InfoboxEntry | None, record: ElectionRecord) -> None:
    if entry is None or values.is_absent(entry.value):
        return
    match = SEATS.match(entry.value)
    if not match:
        record.seats = Sourced(_parse(article, entry, values.parse_count), entry)
        return
    record.seats = Sourced(
        _parse(article, InfoboxEntry(entry.key, match.group("n"), entry.span), values.parse_count),
        entry,
    )
    if match.group("body"):
        record.legislature = Sourced(
            _parse(
                article, InfoboxEntry(entry.key, match.group("body").strip(), entry.span), _name
            ),
            entry,
        )


def _read_turnout(article: Article, entry: InfoboxEntry | None, record: ElectionRecord) -> None:
    if entry is None or values.is_absent(entry.value):
        return
    match = TURNOUT.match(entry.value)
    if not match:
        raise SourceError(
            article.path,
            entry.span.line,
            entry.key,
            f"expected a turnout such as '35.67%' or '35.67% (▼10.50pp)', got {entry.value!r}",
        )
    percent = _parse(
        article, InfoboxEntry(entry.key, match.group("pct"), entry.span), values.parse_percentage
    )
    turnout = Turnout(Sourced(percent, entry))
    if match.group("change"):
        change = _parse(
            article,
            InfoboxEntry(entry.key, match.group("change"), entry.span),
            values.parse_decimal,
        )
        turnout.change = Sourced(change, entry)
        arrow = (match.group("arrow") or "").lower()
        if arrow in ("▲", "+", "increase"):
            turnout.direction = Sourced("increase", entry)
        elif arrow in ("▼", "-", "−", "decrease"):
            turnout.direction = Sourced("decrease", entry)
    record.turnout = turnout


def _read_office(article: Article, plain: dict[str, InfoboxEntry], record: ElectionRecord) -> None:
    office_keys = ("Before Election", "After Election", "Before Party", "After Party")
    title = plain.get("Title")
    if title is None or values.is_absent(title.value):
        stray = [plain[k] for k in office_keys if k in plain]
        if stray:
            raise SourceError(
                article.path,
                stray[0].span.line,
                stray[0].key,
                "office holder given without a 'Title' line naming the office",
            )
        return

    def name(key: str) -> Sourced[str] | None:
        entry = plain.get(key)
        return (
            None
            if entry is None or values.is_absent(entry.value)
            else Sourced(_parse(article, entry, _name), entry)
        )

    record.office = Office(
        Sourced(_parse(article, title, _name), title),
        name("Before Election"),
        name("After Election"),
        name("Before Party"),
        name("After Party"),
    )


def _read_row(article: Article, n: int, fields: dict[str, InfoboxEntry]) -> ContestantRow:
    for required in ROW_REQUIRED:
        if required not in fields:
            anchor = min(fields.values(), key=lambda e: e.span.line)
            raise SourceError(
                article.path,
                anchor.span.line,
                f"{required}{n}",
                f"row {n} has no {required}{n} line (truncated infobox?)",
            )
    party = fields["Party"]
    if values.is_absent(party.value):
        raise SourceError(
            article.path, party.span.line, party.key, "the contestant's name is empty"
        )
    row = ContestantRow(
        n,
        Sourced(_parse(article, party, _name), party),
        bool(INDEPENDENTS.match(party.value.strip())),
    )

    leader = fields.get("Leader")
    if leader is not None and not values.is_absent(leader.value):
        if row.independent:
            raise SourceError(
                article.path, leader.span.line, leader.key, "independents have no leader; use '–'"
            )
        row.leader = Sourced(_parse(article, leader, _name), leader)
    elif leader is not None:
        row.no_leader = Sourced(True, leader)
    share = fields["Percentage"]
    if not values.is_absent(share.value):
        row.share = Sourced(_parse(article, share, values.parse_percentage), share)
    seats = fields["Seats"]
    if not values.is_absent(seats.value):
        row.seats = Sourced(_parse(article, seats, values.parse_count), seats)
    previous = fields.get("Last Election")
    if previous is not None and values.is_new(previous.value):
        row.new = Sourced(True, previous)
    elif previous is not None and not values.is_absent(previous.value):
        row.previous_seats = Sourced(_parse(article, previous, values.parse_count), previous)
    return row

"""A contestant's record across elections, and a country's elections: what corpus pages add.

A party's, alliance's or candidate's page lists every result it took part in (as contestant, as a
candidate's party, as running mate...) oldest first, with a chart of its seats (or, where an
election gives no seats, its votes) election by election. A country's page lists its elections.
Both are built from the rows of a stored query (results_of.rq, country_elections.rq): plain values
for the template, no store access here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from election_kg.server.http import addresses
from election_kg.server.render import charts

Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]


@dataclass(frozen=True)
class RecordRow:
    election: str
    election_href: str
    when: str
    role: str
    seats: str
    share: str
    votes: str
    previous: str
    result_href: str


@dataclass(frozen=True)
class Record:
    rows: list[RecordRow]
    chart_svg: str
    measure: str  # what the chart shows: "seats" or "votes"


@dataclass(frozen=True)
class ElectionEntry:
    label: str
    href: str
    kind: str
    when: str
    results: int


def _text(row: Row, name: str) -> str:
    term = row.get(name)
    return term.value if term is not None else ""


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _when(row: Row) -> str:
    return _text(row, "date") or _text(row, "year")


def record(rows: Sequence[Row], base: str, label: str) -> Record | None:
    """The record of `label` from results_of.rq rows; None when it took part in no result."""
    if not rows:
        return None
    out = [
        RecordRow(
            _text(row, "electionLabel"),
            addresses.href(base, _text(row, "election")),
            _when(row),
            _text(row, "role"),
            _text(row, "seats"),
            _text(row, "share"),
            _text(row, "votes"),
            _text(row, "previous"),
            addresses.href(base, _text(row, "result")),
        )
        for row in rows
    ]
    measure = "seats" if any(r.seats for r in out) else "votes"
    bars = []
    for r in out:
        value = _number(r.seats if measure == "seats" else r.votes)
        if value is not None and r.role in ("contestant", "candidate"):
            shown = f"{value:,}" if measure == "votes" else str(value)
            bars.append(charts.Bar(r.when[:4] or r.election, value, shown, r.election_href))
    title = f"{'Seats won' if measure == 'seats' else 'Votes'} by {label}, election by election"
    return Record(out, charts.vertical(bars, title) if len(bars) > 1 else "", measure)


def elections(rows: Sequence[Row], base: str) -> list[ElectionEntry]:
    """A country's elections from country_elections.rq rows, as the query orders them."""
    return [
        ElectionEntry(
            _text(row, "label"),
            addresses.href(base, _text(row, "election")),
            _text(row, "kind"),
            _when(row),
            int(_text(row, "results") or 0),
        )
        for row in rows
    ]

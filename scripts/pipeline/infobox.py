"""Read an article's infobox into typed plain records, driven by the key table.

Prototype for many infobox layouts. What a key means lives in `infobox_keys.toml` (field, parser,
role, aliases); this module only knows how to parse each *type* of value. Every value keeps the
key and the line it came from. Unknown keys never fail: they are kept as raw fields and counted.
Malformed values (a negative count, an unparsable number, two different values for one field) raise
SourceError naming the file, the line, the key and the problem.

No rdflib here: the graph is made later, from these records.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Literal

from election_kg.pipeline import values
from election_kg.pipeline.article import Article, InfoboxEntry
from election_kg.pipeline.errors import SourceError

Direction = Literal["increase", "decrease"]
State = Literal["value", "absent", "new", "placeholder"]
Kind = Literal["legislative", "presidential", "primary", "general", "other"]
_KINDS: dict[str, Kind] = {
    "legislative": "legislative",
    "presidential": "presidential",
    "primary": "primary",
    "general": "general",
    "other": "other",
}

# ------------------------------------------------------------------------------------------------
# Typed values


@dataclass(frozen=True)
class Quantity:
    """A figure as stated: `qualifier` keeps 'about', 'more than'... (None: given as exact)."""

    value: int | Decimal
    qualifier: str | None = None


@dataclass(frozen=True)
class Change:
    """A change whose size is known; `direction` only where a sign or arrow survived in the text."""

    magnitude: int | Decimal
    unit: str  # "pp", "%" (relative), "seats"
    direction: Direction | None = None


@dataclass(frozen=True)
class PartyRef:
    """A party, alliance or list. `text` is the article title when `linked` (the default)."""

    text: str
    label: str
    disambiguation: str | None = None
    independent: bool = False
    qualifier: str | None = None  # "Independent (FLN)" -> "FLN": the source's words, not a party
    linked: bool = (
        True  # False where the infobox says `PartyN Link: no`: the text is no article title
    )

    @property
    def article_title(self) -> str | None:
        return self.text if self.linked and not self.qualifier else None


@dataclass(frozen=True)
class PersonRef:
    text: str
    label: str
    disambiguation: str | None = None


@dataclass(frozen=True)
class ElectionRef:
    title: str | None
    year: int | None


@dataclass(frozen=True)
class VotingPeriod:
    start: date
    end: date
    round: int | None = None
    label: str | None = None  # the parenthesised words as written ("first round")


@dataclass(frozen=True)
class TurnoutFigure:
    percent: Quantity
    change: Change | None = None
    round: int | None = None
    basis: str | None = None  # "of registered voters", "of eligible population"


@dataclass(frozen=True)
class CountWithChange:
    count: Quantity
    change: Change | None = None


@dataclass(frozen=True)
class SeatsContested:
    seats: int
    total: int | None = None  # "57 of the 63 seats": 63
    all_seats: bool = False
    body: str | None = None  # "People's National Assembly", "Parliament"
    note: str | None = None  # "(80 seats for political parties, 120 for individual candidates)"


@dataclass(frozen=True)
class PreviousResult:
    share: Quantity | None = None
    seats: Quantity | None = None


@dataclass(frozen=True)
class DateOrYear:
    year: int
    day: date | None = None


Value = (
    str
    | bool
    | int
    | Quantity
    | Change
    | PartyRef
    | PersonRef
    | ElectionRef
    | CountWithChange
    | SeatsContested
    | PreviousResult
    | DateOrYear
    | tuple[VotingPeriod, ...]
    | tuple[TurnoutFigure, ...]
)


@dataclass(frozen=True)
class Field:
    """One infobox line read as one field: `value` is None unless `state` is "value"."""

    name: str  # canonical field name (for unknown keys: the normalised key, without its number)
    entry: InfoboxEntry  # the line as written: its key, its span (offsets and line number)
    raw: str  # the value as written, wiki residue stripped
    state: State
    value: Value | None
    role: str  # fact | office | presentation | flag | unknown

    @property
    def key(self) -> str:
        return self.entry.key

    @property
    def line(self) -> int:
        return self.entry.span.line


@dataclass
class ContestantRow:
    number: int
    fields: dict[str, Field] = field(default_factory=dict)
    unknown: dict[str, Field] = field(default_factory=dict)

    def get(self, name: str) -> Value | None:
        f = self.fields.get(name)
        return f.value if f is not None else None

    @property
    def contestant(self) -> str:
        """What the row is about: person (a nominee), independents, party, alliance, or none."""
        if self.get("nominee") is not None:
            return "person"
        party = self.get("party")
        if isinstance(party, PartyRef):
            return "independents" if party.independent else "party"
        if self.get("alliance") is not None:
            return "alliance"
        return "none"

    @property
    def first_line(self) -> int:
        return min(f.line for f in [*self.fields.values(), *self.unknown.values()])


@dataclass(frozen=True)
class CountryRef:
    """The election's country: from the `Country` line, or from the title's demonym.

    Party, person, organisation and alliance IRIs are scoped by it, so it must be known: a name
    alone never identifies a party across countries.
    """

    name: str
    field: Field | None  # None: read from the title's demonym (`demonym` says which word)
    demonym: str | None = None


@dataclass
class ElectionRecord:
    article: Article
    kind: Kind
    kind_evidence: str
    fields: dict[str, Field] = field(default_factory=dict)
    rows: list[ContestantRow] = field(default_factory=list)
    unknown: dict[str, Field] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    country: CountryRef = field(default_factory=lambda: CountryRef("", None))

    @property
    def path(self) -> Path:
        return self.article.path

    @property
    def title(self) -> str:
        return self.article.title

    @property
    def unknown_keys(self) -> list[Field]:
        """Lines whose key the table does not know, election's and rows': kept raw, counted by the build."""
        return [*self.unknown.values(), *(f for row in self.rows for f in row.unknown.values())]

    def get(self, name: str) -> Value | None:
        f = self.fields.get(name)
        return f.value if f is not None else None

    @property
    def periods(self) -> tuple[VotingPeriod, ...]:
        value = self.get("dates")
        return (
            tuple(p for p in value if isinstance(p, VotingPeriod))
            if isinstance(value, tuple)
            else ()
        )

    @property
    def turnouts(self) -> tuple[TurnoutFigure, ...]:
        value = self.get("turnout")
        return (
            tuple(t for t in value if isinstance(t, TurnoutFigure))
            if isinstance(value, tuple)
            else ()
        )


# ------------------------------------------------------------------------------------------------
# The key table


@dataclass(frozen=True)
class KeySpec:
    field: str
    type: str
    role: str
    new_allowed: bool
    absent: frozenset[str]  # this field's own absent markers, on top of the shared ones
    row: bool


@dataclass(frozen=True)
class KeyTable:
    election_keys: dict[str, KeySpec]
    row_patterns: list[tuple[re.Pattern[str], KeySpec]]
    absent: frozenset[str]
    new: frozenset[str]
    placeholder: frozenset[str]
    qualifiers: tuple[str, ...]  # longest first
    residue: tuple[str, ...]
    rounds: dict[str, int]
    independents: frozenset[str]
    independent_disambiguations: frozenset[str]
    type_values: dict[str, str]
    title_words: tuple[tuple[str, str], ...]
    person_row_fields: tuple[str, ...]
    seat_fields: tuple[str, ...]
    seat_row_fields: tuple[str, ...]
    identity_fields: tuple[str, ...]
    demonyms: dict[str, str]
    fallback_title_words: tuple[tuple[str, str], ...]

    def lookup(self, key: str) -> tuple[KeySpec, int | None] | None:
        norm = normalise_key(key)
        spec = self.election_keys.get(norm)
        if spec is not None:
            return spec, None
        for pattern, row_spec in self.row_patterns:
            match = pattern.match(norm)
            if match:
                return row_spec, int(match.group("n"))
        return None


def normalise_key(key: str) -> str:
    return " ".join(key.replace("_", " ").lower().split())


def _row_pattern(alias: str) -> re.Pattern[str]:
    if alias.count("{n}") != 1:
        raise ValueError(f"row key {alias!r} must contain {{n}} exactly once")
    before, after = (normalise_key(part) for part in alias.split("{n}"))
    return re.compile(
        "^"
        + re.escape(before)
        + r"\s*(?P<n>\d+)"
        + (r"\s*" + re.escape(after) if after else "")
        + "$"
    )


def load_table(text: str | None = None) -> KeyTable:
    """Load and check the key table (the packaged one by default).

    Unknown parser types, fields declared twice and keys claimed twice are refused, so a mistake
    in the table fails at once and not on the first article that uses the key.
    """
    path = "infobox_keys.toml"
    if text is None:
        text = resources.files("election_kg.pipeline").joinpath(path).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    types = set(data["types"])
    missing = types ^ set(PARSERS)
    if missing:
        raise ValueError(f"{path}: parser types and table types differ: {sorted(missing)}")
    election_keys: dict[str, KeySpec] = {}
    row_patterns: list[tuple[re.Pattern[str], KeySpec]] = []
    seen_fields: set[tuple[bool, str]] = set()
    seen_row_aliases: set[str] = set()
    for section, is_row in (("election", False), ("row", True)):
        for entry in data[section]:
            if entry["type"] not in types:
                raise ValueError(
                    f"{path}: field {entry['field']!r} has unknown type {entry['type']!r}"
                )
            if (is_row, entry["field"]) in seen_fields:
                raise ValueError(f"{path}: field {entry['field']!r} is declared twice")
            seen_fields.add((is_row, entry["field"]))
            spec = KeySpec(
                entry["field"],
                entry["type"],
                entry.get("role", "fact"),
                bool(entry.get("new", False)),
                frozenset(m.lower() for m in entry.get("absent", [])),
                is_row,
            )
            for alias in entry["keys"]:
                norm = normalise_key(alias)
                if is_row:
                    if norm in seen_row_aliases:
                        raise ValueError(f"{path}: row key {alias!r} is claimed twice")
                    seen_row_aliases.add(norm)
                    row_patterns.append((_row_pattern(alias), spec))
                else:
                    if norm in election_keys:
                        raise ValueError(f"{path}: key {alias!r} is claimed twice")
                    election_keys[norm] = spec
    # Longer patterns first, so that "Party{n} Link" is tried before "Party{n}" could ever matter.
    row_patterns.sort(key=lambda item: -len(item[0].pattern))
    markers, kinds = data["markers"], data["kinds"]
    named = [
        *kinds["type_values"].values(),
        *(k for _, k in [*kinds["title_words"], *kinds["fallback_title_words"]]),
    ]
    if not set(named) <= set(_KINDS):
        raise ValueError(
            f"{path}: [kinds] names kinds other than {sorted(_KINDS)}: {sorted(set(named) - set(_KINDS))}"
        )
    return KeyTable(
        election_keys=election_keys,
        row_patterns=row_patterns,
        absent=frozenset(m.lower() for m in markers["absent"]),
        new=frozenset(m.lower() for m in markers["new"]),
        placeholder=frozenset(m.lower() for m in markers["placeholder"]),
        qualifiers=tuple(sorted(markers["qualifiers"], key=len, reverse=True)),
        residue=tuple(markers["trailing_residue"]),
        rounds={k.lower(): int(v) for k, v in markers["rounds"].items()},
        independents=frozenset(n.lower() for n in data["independents"]["names"]),
        independent_disambiguations=frozenset(
            n.lower() for n in data["independents"]["disambiguations"]
        ),
        type_values={k.lower(): v for k, v in kinds["type_values"].items()},
        title_words=tuple((w.lower(), k) for w, k in kinds["title_words"]),
        person_row_fields=tuple(kinds["person_row_fields"]),
        seat_fields=tuple(kinds["seat_fields"]),
        seat_row_fields=tuple(kinds["seat_row_fields"]),
        identity_fields=tuple(data["rows"]["identity_fields"]),
        demonyms={k.lower(): v for k, v in data["countries"]["demonyms"].items()},
        fallback_title_words=tuple((w.lower(), k) for w, k in kinds["fallback_title_words"]),
    )


# ------------------------------------------------------------------------------------------------
# Parsers: raw text -> typed value, or ValueError with a message fit for the user.

_SIGN = r"(?P<sign>[+\-−▲▼]|increase|decrease)?"
_NUMBER = r"\d+(?:[.,]\d+)?"
_MONTH_DAY_RANGE = re.compile(
    r"^(?P<d1>\d{1,2})\s*[–—-]\s*(?P<d2>\d{1,2})\s+(?P<month>[A-Za-z]+)\s+(?P<year>\d{4})$"
)
_CROSS_MONTH_RANGE = re.compile(
    r"^(?P<a>\d{1,2}\s+[A-Za-z]+(?:\s+\d{4})?)\s*[–—-]\s*(?P<b>\d{1,2}\s+[A-Za-z]+\s+(?P<year>\d{4}))$"
)
_US_RANGE = re.compile(
    r"^(?P<month>[A-Za-z]+)\s+(?P<d1>\d{1,2})\s*[–—-]\s*(?P<d2>\d{1,2}),?\s+(?P<year>\d{4})$"
)
_ISO_RANGE = re.compile(r"^(?P<a>\d{4}-\d{2}-\d{2})\s*(?:–|—|/|to)\s*(?P<b>\d{4}-\d{2}-\d{2})$")
_LABELLED = re.compile(r"^(?P<body>.*?)\s*\((?P<label>[^()]*)\)$")
_SEATS = re.compile(
    r"^(?P<all>all\s+)?(?P<n>\d[\d,]*)\s+(?:of\s+(?:the\s+)?(?P<total>\d[\d,]*)\s+)?seats?\b\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_SEATS_BODY = re.compile(
    r"^(?:in|of)\s+(?:the\s+)?(?P<body>[^,()]+?)\s*(?:,\s*)?(?:\((?P<note>[^()]*)\))?$",
    re.IGNORECASE,
)
_CHANGE = re.compile(
    r"^" + _SIGN + r"\s*(?P<n>" + _NUMBER + r")\s*(?P<unit>pp|%|points?|percentage points)?$",
    re.IGNORECASE,
)
_HEX = re.compile(r"^#?(?P<hex>[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_DISAMBIGUATED = re.compile(r"^(?P<label>.*?\S)\s*\((?P<paren>[^()]+)\)$")


def _clean(raw: str, table: KeyTable) -> str:
    text = raw.strip()
    changed = True
    while changed:
        changed = False
        for residue in table.residue:
            if text.endswith(residue):
                text, changed = text[: -len(residue)].rstrip(), True
    return text


def _split_qualifier(text: str, table: KeyTable) -> tuple[str | None, str]:
    lower = text.lower()
    for q in table.qualifiers:
        if lower.startswith(q) and (
            len(text) == len(q) or not q[-1].isalpha() or not text[len(q)].isalpha()
        ):
            return text[: len(q)], text[len(q) :].strip()
    return None, text


def _needs_text(text: str) -> str:
    if not any(ch.isalnum() for ch in text):
        raise ValueError(f"needs at least one letter or digit, got {text!r}")
    return text


def parse_text(text: str, table: KeyTable) -> str:
    return text


def parse_name(text: str, table: KeyTable) -> str:
    return _needs_text(text)


def parse_kind(text: str, table: KeyTable) -> str:
    return table.type_values.get(text.lower(), text)


def parse_count(text: str, table: KeyTable) -> Quantity:
    qualifier, rest = _split_qualifier(text, table)
    return Quantity(values.parse_count(rest), qualifier)


def parse_percentage(text: str, table: KeyTable) -> Quantity:
    qualifier, rest = _split_qualifier(text, table)
    if not re.fullmatch(r"\+?" + _NUMBER + r"\s*%?", rest):
        if rest.startswith(("-", "−")):
            raise ValueError(f"a percentage must not be negative, got {text!r}")
        raise ValueError(f"must be a percentage such as '22.95' or '49.34%', got {text!r}")
    return Quantity(values.parse_percentage(rest.lstrip("+")), qualifier)


def _direction(sign: str | None) -> Direction | None:
    if sign is None:
        return None
    return "increase" if sign.lower() in ("+", "▲", "increase") else "decrease"


def parse_percentage_change(text: str, table: KeyTable) -> Change:
    match = _CHANGE.match(text)
    if not match:
        raise ValueError(f"must be a change in percentage points such as '2.45pp', got {text!r}")
    unit = (match.group("unit") or "pp").lower()
    return Change(
        values.parse_decimal(match.group("n")),
        "%" if unit == "%" else "pp",
        _direction(match.group("sign")),
    )


def parse_seat_change(text: str, table: KeyTable) -> Change:
    match = re.fullmatch(_SIGN + r"\s*(?P<n>\d+)", text, re.IGNORECASE)
    if not match:
        raise ValueError(f"must be a change in seats such as '4' or '+4', got {text!r}")
    return Change(int(match.group("n")), "seats", _direction(match.group("sign")))


def parse_count_with_change(text: str, table: KeyTable) -> CountWithChange:
    labelled = _LABELLED.match(text)
    if labelled is None:
        return CountWithChange(parse_count(text, table))
    change = _CHANGE.match(labelled.group("label").strip())
    if not change:
        raise ValueError(
            f"expected a count with an optional change such as '13,268,002 ( 23.54%)', got {text!r}"
        )
    unit = (change.group("unit") or "%").lower()
    return CountWithChange(
        parse_count(labelled.group("body"), table),
        Change(
            values.parse_decimal(change.group("n")),
            "%" if unit == "%" else "pp",
            _direction(change.group("sign")),
        ),
    )


def _round_of(label: str, table: KeyTable) -> int | None:
    words = label.lower().split()
    if words and words[-1] == "round":
        words = words[:-1]
    return table.rounds.get(" ".join(words)) if len(words) == 1 else None


def parse_turnout(text: str, table: KeyTable) -> tuple[TurnoutFigure, ...]:
    figures = []
    for part in re.split(r",\s+(?=[~\d])", text):
        qualifier, rest = _split_qualifier(part.strip(), table)
        match = re.match(r"^(?P<pct>" + _NUMBER + r")\s*%(?P<rest>.*)$", rest)
        if not match:
            raise ValueError(
                f"expected a turnout such as '35.67%' or '93.3% 2.7pp', got {part.strip()!r}"
            )
        percent = Quantity(values.parse_percentage(match.group("pct")), qualifier)
        change: Change | None = None
        round_: int | None = None
        basis: str | None = None
        for fragment in (f.strip() for f in re.split(r"[();]", match.group("rest"))):
            if not fragment:
                continue
            if _CHANGE.match(fragment):
                if change is not None:
                    raise ValueError(f"two changes in one turnout figure: {part.strip()!r}")
                change = parse_percentage_change(fragment, table)
            elif (found := _round_of(fragment, table)) is not None:
                round_ = found
            elif fragment.lower().startswith("of "):
                basis = fragment
            else:
                raise ValueError(f"unrecognised words {fragment!r} in turnout {text!r}")
        figures.append(TurnoutFigure(percent, change, round_, basis))
    return tuple(figures)


def _parse_period(text: str) -> tuple[date, date]:
    text = " ".join(text.split())
    try:
        day = values.parse_date(text)
        return day, day
    except ValueError:
        pass
    if m := _MONTH_DAY_RANGE.match(text):
        start = values.parse_date(f"{m['d1']} {m['month']} {m['year']}")
        end = values.parse_date(f"{m['d2']} {m['month']} {m['year']}")
    elif m := _US_RANGE.match(text):
        start = values.parse_date(f"{m['d1']} {m['month']} {m['year']}")
        end = values.parse_date(f"{m['d2']} {m['month']} {m['year']}")
    elif m := _CROSS_MONTH_RANGE.match(text):
        a = m["a"] if re.search(r"\d{4}$", m["a"]) else f"{m['a']} {m['year']}"
        start, end = values.parse_date(a), values.parse_date(m["b"])
    elif m := _ISO_RANGE.match(text):
        start, end = values.parse_date(m["a"]), values.parse_date(m["b"])
    else:
        raise ValueError(
            f"must be a date ('17 May 2007', '2019-12-12') or a range ('22–24 October 2020'), got {text!r}"
        )
    if end < start:
        raise ValueError(f"the range ends before it starts: {text!r}")
    return start, end


def parse_election_dates(text: str, table: KeyTable) -> tuple[VotingPeriod, ...]:
    periods = []
    for part in re.split(r"(?<=\))\s*,\s*", text):
        labelled = _LABELLED.match(part.strip())
        body, label = (
            (labelled["body"], labelled["label"].strip()) if labelled else (part.strip(), None)
        )
        start, end = _parse_period(body)
        periods.append(VotingPeriod(start, end, _round_of(label, table) if label else None, label))
    rounds = [p.round for p in periods if p.round is not None]
    if len(rounds) != len(set(rounds)):
        raise ValueError(f"the same round is dated twice: {text!r}")
    return tuple(periods)


def parse_date_or_year(text: str, table: KeyTable) -> DateOrYear:
    if re.fullmatch(r"\d{4}", text):
        return DateOrYear(int(text))
    day = values.parse_date(text)
    return DateOrYear(day.year, day)


def parse_year(text: str, table: KeyTable) -> int:
    return values.parse_year(text)


def parse_election_ref(text: str, table: KeyTable) -> ElectionRef:
    if re.fullmatch(r"\d{4}", text):
        return ElectionRef(None, int(text))
    year = re.match(r"^(\d{4})\b", text)
    return ElectionRef(_needs_text(text), int(year.group(1)) if year else None)


def parse_seats_contested(text: str, table: KeyTable) -> SeatsContested:
    if re.fullmatch(r"\d[\d,]*", text):
        return SeatsContested(values.parse_count(text))
    match = _SEATS.match(text)
    if not match:
        raise ValueError(
            f"expected seats such as 'All 389 seats in the People's National Assembly', got {text!r}"
        )
    seats = values.parse_count(match["n"])
    total = values.parse_count(match["total"]) if match["total"] else None
    if total is not None and total < seats:
        raise ValueError(f"{seats} seats contested of only {total}: {text!r}")
    rest = match["rest"].strip()
    body = note = None
    if rest and rest.lower() != "up for election":
        where = _SEATS_BODY.match(rest)
        if not where:
            raise ValueError(f"unrecognised words {rest!r} after the number of seats")
        body, note = where["body"].strip(), where["note"]
    return SeatsContested(seats, total, bool(match["all"]), body, note.strip() if note else None)


def parse_previous_result(text: str, table: KeyTable) -> PreviousResult:
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):  # '12,000' is one count, not a share and a count
        return PreviousResult(None, parse_count(text, table))
    share: Quantity | None = None
    seats: Quantity | None = None
    for part in (p.strip() for p in text.split(",") if p.strip()):
        if part.endswith("%"):
            if share is not None:
                raise ValueError(f"two shares in {text!r}")
            share = parse_percentage(part, table)
        else:
            count = re.fullmatch(r"(?P<n>.+?)(?:\s+seats?)?", part)
            if seats is not None or count is None:
                raise ValueError(f"expected '35', '52 seats' or '51.79%, 35 seats', got {text!r}")
            seats = parse_count(count["n"], table)
    return PreviousResult(share, seats)


def parse_colour(text: str, table: KeyTable) -> str:
    match = _HEX.match(text)
    return "#" + match["hex"].upper() if match else text


def parse_flag(text: str, table: KeyTable) -> bool:
    lower = text.lower()
    if lower in ("yes", "y", "true"):
        return True
    if lower in ("no", "n", "false"):
        return False
    raise ValueError(f"must be 'yes' or 'no', got {text!r}")


def parse_party(text: str, table: KeyTable) -> PartyRef:
    _needs_text(text)
    lower = text.lower()
    if lower in table.independents:
        return PartyRef(text, text, independent=True)
    match = _DISAMBIGUATED.match(text)
    if match is None:
        return PartyRef(text, text)
    label, paren = match["label"], match["paren"].strip()
    if label.lower() in table.independents:
        if paren.lower() in table.independent_disambiguations:
            return PartyRef(text, label, paren, independent=True)
        return PartyRef(text, label, independent=True, qualifier=paren)
    return PartyRef(text, label, paren)


def parse_person(text: str, table: KeyTable) -> PersonRef:
    _needs_text(text)
    match = _DISAMBIGUATED.match(text)
    return (
        PersonRef(text, match["label"], match["paren"].strip()) if match else PersonRef(text, text)
    )


def parse_raw(text: str, table: KeyTable) -> str:
    return text


Parser = Callable[[str, KeyTable], Value]
PARSERS: dict[str, Parser] = {
    "text": parse_text,
    "name": parse_name,
    "kind": parse_kind,
    "party": parse_party,
    "person": parse_person,
    "count": parse_count,
    "count_with_change": parse_count_with_change,
    "percentage": parse_percentage,
    "percentage_change": parse_percentage_change,
    "seat_change": parse_seat_change,
    "turnout": parse_turnout,
    "election_dates": parse_election_dates,
    "date_or_year": parse_date_or_year,
    "year": parse_year,
    "election_ref": parse_election_ref,
    "seats_contested": parse_seats_contested,
    "previous_result": parse_previous_result,
    "colour": parse_colour,
    "flag": parse_flag,
    "raw": parse_raw,
}

# ------------------------------------------------------------------------------------------------
# Reading an article

_GENERIC_ROW = re.compile(r"^(?P<before>[^\d]*?[a-z])\s*(?P<n>\d+)(?P<after>(?:\s+[^\d]+)?)$")


@functools.cache
def default_table() -> KeyTable:
    """The packaged key table, read once per process."""
    return load_table()


def read_election(article: Article, table: KeyTable | None = None) -> ElectionRecord:
    """Turn the article's infobox into an election record; raise SourceError at the first bad line."""
    table = table or default_table()
    path = article.path
    election: dict[str, Field] = {}
    unknown: dict[str, Field] = {}
    rows: dict[int, ContestantRow] = {}

    for entry in article.infobox:
        raw = _clean(entry.value, table)
        found = table.lookup(entry.key)
        if found is None:
            norm = normalise_key(entry.key)
            generic = _GENERIC_ROW.match(norm)
            state: State = "absent" if raw.lower() in table.absent else "value"
            if generic:
                name = (generic["before"] + "{n}" + generic["after"]).strip()
                row = rows.setdefault(int(generic["n"]), ContestantRow(int(generic["n"])))
                _put(
                    path,
                    row.unknown,
                    Field(name, entry, raw, state, raw if state == "value" else None, "unknown"),
                )
            else:
                _put(
                    path,
                    unknown,
                    Field(norm, entry, raw, state, raw if state == "value" else None, "unknown"),
                )
            continue
        spec, number = found
        parsed = _read_field(path, entry, raw, spec, table)
        if number is None:
            _put(path, election, parsed)
        else:
            _put(path, rows.setdefault(number, ContestantRow(number)).fields, parsed)

    record = ElectionRecord(
        article, "other", "", election, [rows[n] for n in sorted(rows)], unknown
    )
    record.kind, record.kind_evidence = _kind(record, table)
    record.country = _country(record, table)
    for row in record.rows:
        _check_row(record, row, table)
    _check_election(record)
    return record


def _read_field(path: Path, entry: InfoboxEntry, raw: str, spec: KeySpec, table: KeyTable) -> Field:
    lower = raw.lower()
    line = entry.span.line
    if lower in table.absent or lower in spec.absent:
        return Field(spec.field, entry, raw, "absent", None, spec.role)
    if lower in table.new:
        if not spec.new_allowed:
            raise SourceError(
                path,
                line,
                entry.key,
                f"{raw!r} (not there last time) makes no sense for field {spec.field!r}",
            )
        return Field(spec.field, entry, raw, "new", None, spec.role)
    if lower in table.placeholder and spec.type in ("year", "election_ref"):
        return Field(spec.field, entry, raw, "placeholder", None, spec.role)
    try:
        value = PARSERS[spec.type](" ".join(raw.split()), table)
    except ValueError as exc:
        raise SourceError(path, line, entry.key, f"{spec.field} ({spec.type}): {exc}") from exc
    return Field(spec.field, entry, raw, "value", value, spec.role)


def _put(path: Path, target: dict[str, Field], new: Field) -> None:
    """Two lines for one field are fine only when they say the same thing."""
    old = target.get(new.name)
    if old is None:
        target[new.name] = new
    elif " ".join(old.raw.split()).lower() != " ".join(new.raw.split()).lower():
        raise SourceError(
            path,
            new.line,
            new.key,
            f"two different values for field {new.name!r}: {new.raw!r} here, {old.raw!r} ({old.key}) on line {old.line}",
        )


def _kind(record: ElectionRecord, table: KeyTable) -> tuple[Kind, str]:
    title = record.title.lower()
    type_field = record.fields.get("type")
    declared = (
        type_field.value if type_field is not None and isinstance(type_field.value, str) else None
    )
    if declared == "primary":
        return "primary", f"Type on line {type_field.line if type_field else '?'}"
    for word, kind in table.title_words:
        if kind == "primary" and re.search(rf"\b{re.escape(word)}\b", title):
            return "primary", f"title word {word!r}"
    if declared in ("legislative", "presidential") and type_field is not None:
        return _as_kind(declared), f"Type {type_field.raw!r} on line {type_field.line}"
    for word, kind in table.title_words:
        if re.search(rf"\b{re.escape(word)}\b", title):
            return _as_kind(kind), f"title word {word!r}"
    for row in record.rows:
        for name in table.person_row_fields:
            if name in row.fields and row.fields[name].state == "value":
                return "presidential", f"{row.fields[name].key} on line {row.fields[name].line}"
    for name in table.seat_fields:
        if name in record.fields and record.fields[name].state == "value":
            return "legislative", f"{record.fields[name].key} on line {record.fields[name].line}"
    for row in record.rows:
        for name in table.seat_row_fields:
            if name in row.fields and row.fields[name].state == "value":
                return "legislative", f"{row.fields[name].key} on line {row.fields[name].line}"
    for word, kind in table.fallback_title_words:
        if re.search(rf"\b{re.escape(word)}\b", title):
            return _as_kind(kind), f"title word {word!r}"
    note = f" (Type {type_field.raw!r} not recognised)" if type_field is not None else ""
    return "other", "no Type, title word or row key tells" + note


def _as_kind(kind: str) -> Kind:
    return _KINDS[kind]


def _check_row(record: ElectionRecord, row: ContestantRow, table: KeyTable) -> None:
    path = record.path
    named = [n for n in table.identity_fields if n in row.fields and row.fields[n].state == "value"]
    facts = [f for f in row.fields.values() if f.role == "fact" and f.state == "value"]
    if not named:
        if facts:
            first = min(facts, key=lambda f: f.line)
            raise SourceError(
                path,
                first.line,
                first.key,
                f"row {row.number} has figures but names no contestant (no party, nominee, alliance or leader)",
            )
        record.warnings.append(
            f"row {row.number} (line {row.first_line}) names nobody and has no figures: kept as empty"
        )
    link = row.fields.get("party_link")
    party = row.fields.get("party")
    if (
        link is not None
        and link.value is False
        and party is not None
        and isinstance(party.value, PartyRef)
    ):
        row.fields["party"] = replace(party, value=replace(party.value, linked=False))
    leader, contestant = row.fields.get("leader"), row.get("party")
    independents = (
        isinstance(contestant, PartyRef) and contestant.independent and row.get("nominee") is None
    )
    if independents and leader is not None and leader.state == "value":
        raise SourceError(
            path, leader.line, leader.key, "the independents have no leader; write '–'"
        )
    _check_seat_change(record, row)
    _check_swing(record, row)


def _check_seat_change(record: ElectionRecord, row: ContestantRow) -> None:
    """A seat change whose sign was lost must still agree with seats now and at the last election."""
    change, seats, previous = row.get("seat_change"), row.get("seats"), row.get("last_election")
    if not (
        isinstance(change, Change)
        and isinstance(seats, Quantity)
        and isinstance(previous, PreviousResult)
        and previous.seats
    ):
        return
    if seats.qualifier or previous.seats.qualifier:
        return
    difference = int(seats.value) - int(previous.seats.value)
    field_ = row.fields["seat_change"]
    if abs(difference) != change.magnitude:
        record.warnings.append(
            f"line {field_.line}: {field_.key} is {change.magnitude} but seats went from "
            f"{previous.seats.value} to {seats.value}"
        )
    elif (
        change.direction
        and (difference > 0) != (change.direction == "increase")
        and difference != 0
    ):
        raise SourceError(
            record.path,
            field_.line,
            field_.key,
            f"says {change.direction} but seats went from {previous.seats.value} to {seats.value}",
        )


def _check_swing(record: ElectionRecord, row: ContestantRow) -> None:
    """A swing whose sign was lost must still agree with the share now and at the last election."""
    swing, share, previous = row.get("swing"), row.get("percentage"), row.get("last_election")
    if not (
        isinstance(swing, Change)
        and isinstance(share, Quantity)
        and isinstance(previous, PreviousResult)
        and previous.share
    ):
        return
    if swing.unit != "pp" or share.qualifier or previous.share.qualifier:
        return
    difference = Decimal(share.value) - Decimal(previous.share.value)
    field_ = row.fields["swing"]
    if abs(difference) != swing.magnitude:
        record.warnings.append(
            f"line {field_.line}: {field_.key} is {swing.magnitude}pp but the share went from "
            f"{previous.share.value}% to {share.value}%"
        )
    elif (
        swing.direction and difference != 0 and (difference > 0) != (swing.direction == "increase")
    ):
        raise SourceError(
            record.path,
            field_.line,
            field_.key,
            f"says {swing.direction} but the share went from {previous.share.value}% to {share.value}%",
        )


def _check_election(record: ElectionRecord) -> None:
    path = record.path
    for ref_name, year_name in (
        ("previous_election", "previous_year"),
        ("next_election", "next_year"),
    ):
        ref, year = record.get(ref_name), record.get(year_name)
        if (
            isinstance(ref, ElectionRef)
            and ref.year is not None
            and isinstance(year, int)
            and ref.year != year
        ):
            f = record.fields[year_name]
            other = record.fields[ref_name]
            raise SourceError(
                path,
                f.line,
                f.key,
                f"year {year} disagrees with {other.raw!r} on line {other.line}",
            )
    seats, majority = record.get("seats_for_election"), record.get("majority_seats")
    if (
        isinstance(seats, SeatsContested)
        and isinstance(majority, Quantity)
        and int(majority.value) > (seats.total or seats.seats)
    ):
        f = record.fields["majority_seats"]
        raise SourceError(
            path,
            f.line,
            f.key,
            f"majority {majority.value} exceeds the {seats.total or seats.seats} seats",
        )
    periods = record.periods
    if record.fields and "dates" not in record.fields:
        record.warnings.append("no election date")
    elif len(periods) > 1 and any(p.round is None for p in periods):
        record.warnings.append(
            f"line {record.fields['dates'].line}: several dates, not all labelled as rounds"
        )


def iter_fields(record: ElectionRecord) -> Iterable[Field]:
    """Every field of the record, election first then rows, unknown ones included."""
    yield from record.fields.values()
    yield from record.unknown.values()
    for row in record.rows:
        yield from row.fields.values()
        yield from row.unknown.values()


def _country(record: ElectionRecord, table: KeyTable) -> CountryRef:
    """The country from `Country`, else from a demonym of the title ("2012 Libyan ..."), else refuse.

    Identity is scoped by country, so an election without one cannot be published without
    guessing; the demonym table is small data in the key table, not a guess.
    """
    given = record.fields.get("country")
    if given is not None and isinstance(given.value, str):
        return CountryRef(given.value, given)
    title = record.title.lower()
    for demonym in sorted(table.demonyms, key=len, reverse=True):
        found = re.search(rf"(?<!\w){re.escape(demonym)}(?!\w)", title)
        if found:
            return CountryRef(
                table.demonyms[demonym], None, record.title[found.start() : found.end()]
            )
    line = given.line if given is not None else record.article.title_span.line
    raise SourceError(
        record.path,
        line,
        "Country",
        "no country: give a 'Country' line (identities of parties and people are scoped by it); "
        "the title names no country the demonym table knows",
    )

"""Numbers and dates as sentences write them: '12,000', '18.8 million', 'Forty-four', '17 May 2007',
'May 21' (the year taken from the context, and said so)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from election_kg.prose.lexicon import lexicon, words_pattern

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        "january february march april may june july august september october november december".split()
    )
}
_MONTH = r"(?P<month>" + "|".join(m.capitalize() for m in MONTHS) + r")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_RANGE = r"(?:\s*[–-]\s*[0-3]?\d)?"
DATE_PATTERNS = [
    re.compile(rf"\b{_DAY}{_RANGE}\s+{_MONTH}(?:,?\s+{_YEAR})?\b"),
    re.compile(rf"\b{_MONTH}\s+{_DAY}{_RANGE}(?:,\s*{_YEAR})?\b(?!\s*(?:%|per))"),
]
RELATIVE = re.compile(
    r"\b(?:the )?(?P<which>day|two days|three days|week) (?P<when>before|after) (?:the )?(?:election|vote|polls?)\b",
    re.IGNORECASE,
)
_RELATIVE_DAYS = {"day": 1, "two days": 2, "three days": 3, "week": 7}
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass(frozen=True)
class FoundDate:
    value: date
    start: int
    end: int
    text: str
    note: str  # how the date was read where the sentence does not give it whole


def find_dates(
    sentence: str, context_year: int | None, election_date: date | None
) -> list[FoundDate]:
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for rx in DATE_PATTERNS:
        for m in rx.finditer(sentence):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            year = m.group("year")
            note = ""
            if year is None:
                if context_year is None:
                    continue
                year, note = str(context_year), f"year {context_year} taken from the context"
            try:
                value = date(int(year), MONTHS[m.group("month").lower()], int(m.group("day")))
            except ValueError:
                continue
            taken.append((m.start(), m.end()))
            found.append(FoundDate(value, m.start(), m.end(), m.group(0), note))
    if election_date is not None:
        for m in RELATIVE.finditer(sentence):
            days = _RELATIVE_DAYS[m.group("which").lower()]
            sign = -1 if m.group("when").lower() == "before" else 1
            value = election_date + timedelta(days=sign * days)
            note = f"{m.group(0)}: counted from the election date ({election_date.isoformat()})"
            found.append(FoundDate(value, m.start(), m.end(), m.group(0), note))
    return sorted(found, key=lambda d: d.start)


def _word_numbers() -> tuple[dict[str, int], str]:
    lex = lexicon()["numbers"]
    table = {**lex["units"], **lex["tens"]}
    units = "|".join(k for k in lex["units"] if k not in ("a", "an"))
    tens = "|".join(lex["tens"])
    word = rf"(?:(?:{tens})(?:[- ](?:{units}))?|{units})"
    return table, word


_TABLE, _WORD = _word_numbers()
_SCALE = r"(?:\s+(?P<scale>million|billion|thousand|hundred))?"
NUMBER = re.compile(
    rf"(?<![\w.,])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|(?:{_WORD}))(?![\w])"
    + _SCALE,
    re.IGNORECASE,
)
QUALIFIER = {
    kind: re.compile(words_pattern(words) + r"\s*$", re.IGNORECASE)
    for kind, words in lexicon()["qualifiers"].items()
}


def parse_number(text: str) -> Decimal | None:
    """'12,000' -> 12000, '18.8 million' -> 18800000, 'Forty-four' -> 44, 'a' -> 1."""
    m = re.fullmatch(rf"(?P<num>[\d,.]+|[a-zA-Z -]+?){_SCALE}", text.strip(), flags=re.IGNORECASE)
    if not m:
        return None
    num, scale = m.group("num"), m.group("scale")
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", num):
        value = Decimal(num.replace(",", ""))
    else:
        value = Decimal(0)
        for part in re.split(r"[- ]", num.lower()):
            if part not in _TABLE:
                return None
            value += _TABLE[part]
    if scale:
        value *= lexicon()["numbers"]["scales"][scale.lower()]
    return value


def qualifier_before(sentence: str, start: int) -> tuple[str, int]:
    """The precision words just before a figure: ('approximately', start of 'about'), or exact."""
    before = sentence[max(0, start - 30) : start]
    for kind, rx in QUALIFIER.items():
        m = rx.search(before)
        if m:
            return kind, start - (len(before) - m.start())
    return "exact", start


def number_literal(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")

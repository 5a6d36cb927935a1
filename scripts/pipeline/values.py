"""Turn infobox value strings into typed values, or say exactly why not.

Each parser returns the value or raises ValueError with a message fit to show the user; the
infobox layer adds file, line and key. Absent markers (empty, `n/a`, dashes) are recognised
here so that every caller treats them the same way.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

ABSENT = {"", "n/a", "na", "–", "—", "-", "−", "?", "unknown"}
NEW = {"new"}
_GROUPED_INT = re.compile(r"^\d{1,3}(?:[,\u00a0\u202f ]\d{3})+$")
_DATE_FORMATS = ("%d %B %Y", "%B %d, %Y", "%B %d %Y", "%Y-%m-%d", "%d %b %Y", "%b %d, %Y")


def is_absent(raw: str) -> bool:
    return raw.strip().lower() in ABSENT


def is_new(raw: str) -> bool:
    return raw.strip().lower() in NEW


def parse_count(raw: str) -> int:
    """A non-negative whole number; thousands separators (`12,000`, `12 000`) are accepted."""
    text = raw.strip()
    if _GROUPED_INT.match(text):
        text = re.sub(r"[,\u00a0\u202f ]", "", text)
    if text.startswith(("-", "−")) and text[1:].isdigit():
        raise ValueError(f"must not be negative, got {raw!r}")
    if not text.isdigit():
        raise ValueError(f"must be a whole number, got {raw!r}")
    return int(text)


def parse_decimal(raw: str) -> Decimal:
    """A decimal number; a lone comma is a decimal comma (`22,95`), with a point it groups thousands."""
    text = raw.strip().rstrip("%").strip().replace("−", "-")
    if "," in text and "." in text:
        text = text.replace(",", "")
    elif "," in text:
        if text.count(",") > 1:
            raise ValueError(f"must be a number, got {raw!r} (several commas)")
        text = text.replace(",", ".")
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        raise ValueError(f"must be a number, got {raw!r}")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid decimals
        raise ValueError(f"must be a number, got {raw!r}") from exc


def parse_percentage(raw: str) -> Decimal:
    value = parse_decimal(raw)
    if value < 0 or value > 100:
        raise ValueError(f"a percentage must be between 0 and 100, got {raw!r}")
    return value


def parse_date(raw: str) -> date:
    text = " ".join(raw.split())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"must be a date such as '17 May 2007', got {raw!r}")


def parse_year(raw: str) -> int:
    text = raw.strip()
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError(f"must be a four-digit year, got {raw!r}")
    return int(text)


DISAMBIGUATION = re.compile(r"\s*\([^()]*\)\s*$")


def strip_disambiguation(title: str) -> str:
    """'Workers' Party (Algeria)' -> 'Workers' Party': the label without Wikipedia's suffix."""
    stripped = DISAMBIGUATION.sub("", title).strip()
    return stripped or title.strip()

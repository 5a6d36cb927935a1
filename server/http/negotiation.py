"""Content negotiation: pick one media type from what the client accepts and what we offer.

One pure function, `choose`, used by every endpoint, so that `Accept` means the same thing
everywhere (RFC 9110, section 12.5.1):

- each offer gets the q-value of the most specific media range that matches it
  (`text/turtle` beats `text/*` beats `*/*`; a range with parameters beats one without);
- the offer with the highest q-value wins; ties go to the earlier offer (the server's preference);
- q=0 means "not acceptable", even when a wildcard would accept it;
- a missing or empty header, or one with no readable entry, accepts anything.

Malformed entries (no slash, a bad q-value, `*/json`) are skipped rather than rejected: an odd
header from a client must never turn into a 500, and skipping one entry is the least surprising
reading of the rest. Parameters other than q are ignored when matching (clients add `charset`
or a JSON-LD `profile`) but still count towards specificity.

The `format` parameter (`?format=ttl`) is the explicit override, mapped here too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from election_kg.common import formats


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    params: int  # how many parameters besides q, for specificity

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return self.type in ("*", main) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> tuple[int, int]:
        return (self.type != "*") + (self.subtype != "*"), self.params


def _parse_q(value: str) -> float | None:
    try:
        q = float(value)
    except ValueError:
        return None
    return q if 0.0 <= q <= 1.0 else None


_TOKEN = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")


def _parse_range(entry: str) -> MediaRange | None:
    media, *params = (part.strip() for part in entry.split(";"))
    main, slash, sub = media.lower().partition("/")
    if (
        not slash
        or not _TOKEN.fullmatch(main)
        or not _TOKEN.fullmatch(sub)
        or (main == "*" and sub != "*")
    ):
        return None
    q, others = 1.0, 0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            parsed = _parse_q(value.strip())
            if parsed is None:
                return None
            q = parsed
            break  # what follows q is accept-extensions, not media type parameters
        if param:
            others += 1
    return MediaRange(main, sub, q, others)


@lru_cache(maxsize=1024)
def parse_accept(header: str | None) -> tuple[MediaRange, ...]:
    """The readable media ranges of an Accept header; `*/*` when there are none."""
    ranges = tuple(r for r in map(_parse_range, (header or "").split(",")) if r is not None)
    return ranges or (MediaRange("*", "*", 1.0, 0),)


def quality(ranges: Iterable[MediaRange], media_type: str) -> float:
    """The q-value the client gives `media_type`: that of the most specific range matching it."""
    best: MediaRange | None = None
    for r in ranges:
        if r.matches(media_type) and (best is None or r.specificity > best.specificity):
            best = r
    return best.q if best else 0.0


def choose(accept: str | None, offers: Sequence[str]) -> str | None:
    """The best of `offers` (lower-case media types, preferred first) for `accept`; None if none is acceptable."""
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > best_q:
            best, best_q = offer, q
    return best


def prefers(accept: str | None, media_type: str, over: Sequence[str]) -> bool:
    """Does the client rank `media_type` strictly above each of `over`? (HTML for browsers, say.)"""
    ranges = parse_accept(accept)
    q = quality(ranges, media_type)
    return q > 0 and all(q > quality(ranges, other) for other in over)


# Names accepted by the `format` parameter, each with the media types it may mean, in order:
# `json` is SPARQL JSON results for a SELECT and JSON-LD for a CONSTRUCT.
FORMAT_NAMES: dict[str, tuple[str, ...]] = {
    "json": (formats.RESULTS_JSON.media_type, formats.JSONLD.media_type),
    "xml": (formats.RESULTS_XML.media_type, formats.RDFXML.media_type),
    "csv": (formats.RESULTS_CSV.media_type,),
    "tsv": (formats.RESULTS_TSV.media_type,),
    "srj": (formats.RESULTS_JSON.media_type,),
    "srx": (formats.RESULTS_XML.media_type,),
    "ttl": (formats.TURTLE.media_type,),
    "turtle": (formats.TURTLE.media_type,),
    "jsonld": (formats.JSONLD.media_type,),
    "json-ld": (formats.JSONLD.media_type,),
    "nt": (formats.NTRIPLES.media_type,),
    "ntriples": (formats.NTRIPLES.media_type,),
    "n-triples": (formats.NTRIPLES.media_type,),
    "nq": (formats.NQUADS.media_type,),
    "nquads": (formats.NQUADS.media_type,),
    "n-quads": (formats.NQUADS.media_type,),
    "trig": (formats.TRIG.media_type,),
    "rdf": (formats.RDFXML.media_type,),
    "rdfxml": (formats.RDFXML.media_type,),
    "rdf/xml": (formats.RDFXML.media_type,),
    "html": ("text/html",),
}


class UnknownFormat(ValueError):
    """The `format` parameter names no format we know (a client mistake: 400)."""


def from_format_param(value: str, offers: Sequence[str]) -> str | None:
    """The offer that `?format=value` asks for; None when the format exists but is not offered here.

    `value` is a name from FORMAT_NAMES or a media type (`format=text/csv` is common practice).
    """
    wanted = value.strip().lower()
    candidates = FORMAT_NAMES.get(wanted) or ((wanted,) if "/" in wanted else ())
    if not candidates:
        raise UnknownFormat(
            f"unknown format {value!r}; use one of: {', '.join(sorted(FORMAT_NAMES))}"
        )
    return next((offer for offer in candidates if offer in offers), None)


class NotAcceptable(LookupError):
    """Nothing offered is acceptable (406); carries the offers so the answer can list them."""

    def __init__(self, offers: Sequence[str]) -> None:
        super().__init__("none of the offered media types is acceptable")
        self.offers = tuple(offers)


def select(accept: str | None, format_param: str | None, offers: Sequence[str]) -> str:
    """The offer to answer with: the `format` parameter if given, else the Accept header.

    Raises UnknownFormat (400) or NotAcceptable (406); `errors` turns both into answers.
    """
    if format_param is not None:
        chosen = from_format_param(format_param, offers)
    else:
        chosen = choose(accept, offers)
    if chosen is None:
        raise NotAcceptable(offers)
    return chosen

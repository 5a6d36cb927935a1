"""How a quantity node reads: "about 18.8 million voters", "more than 12,000 candidates", "−10.50 pp".

The source's qualifiers are part of the fact (the article says *about* 18.8 million), so they are
kept: ek:approximately reads "about", ek:moreThan "more than", schema:value is exact, and a change
(ek:magnitude with ek:direction) gets the sign of its direction.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from election_kg.server.render.model import SCHEMA, Page, Value

UNITS = {"percent": "%", "percentage points": " pp"}


def amount(text: str) -> str:
    """'18800000' -> '18.8 million', '12000' -> '12,000', '35.67' -> '35.67'."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if number == number.to_integral_value():
        whole = int(number)
        if abs(whole) >= 1_000_000 and whole % 100_000 == 0:
            return f"{Decimal(whole) / 1_000_000:f}".rstrip("0").rstrip(".") + " million"
        return f"{whole:,}"
    return text


def unit(text: str | None) -> str:
    if not text:
        return ""
    return UNITS.get(text, " " + text)


def quantity(page: Page, iri: str, *, with_unit: bool = True) -> Value | None:
    """The quantity node `iri` as one value, sourced by the statements of the figure it gives."""
    ek = f"{page.base}ontology#"
    index = page.index
    suffix = unit(index.literal(iri, SCHEMA + "unitText")) if with_unit else ""
    for predicate, qualifier in ((ek + "approximately", "about "), (ek + "moreThan", "more than ")):
        found = index.value(iri, predicate)
        if found is not None:
            return _value(page, iri, predicate, found, f"{qualifier}{amount(found.value)}{suffix}")
    magnitude = index.value(iri, ek + "magnitude")
    direction = index.literal(iri, ek + "direction")
    if magnitude is not None and direction:
        sign = "−" if direction.endswith("#Decrease") else "+"
        shown = _value(
            page, iri, ek + "magnitude", magnitude, f"{sign}{amount(magnitude.value)}{suffix}"
        )
        shown.sources += [
            s
            for s in page.sources_of(iri, ek + "direction", index.value(iri, ek + "direction"))  # type: ignore[arg-type]
            if s not in shown.sources
        ]
        return shown
    exact = index.value(iri, SCHEMA + "value")
    if exact is not None:
        return _value(page, iri, SCHEMA + "value", exact, f"{amount(exact.value)}{suffix}")
    stated = index.literal(iri, ek + "statedAs")
    return Value(stated, href=page.href(iri), iri=iri) if stated else None


def _value(page: Page, iri: str, predicate: str, obj: object, text: str) -> Value:
    shown = page.value(iri, predicate, obj)  # type: ignore[arg-type]
    shown.text, shown.href, shown.iri, shown.literal = text, page.href(iri), iri, True
    return shown

"""How likely a Wikidata item is to be the same thing as one of our entities: a score out of 100, with its evidence.

The score adds three independent signals, so that a reviewer can see why a candidate ranks where it does:

| signal | points |
|---|---|
| name: one of our labels equals the item's label | 60 |
| name: equal once normalised (case, accents, apostrophes and punctuation ignored) | 55 |
| name: one of our labels or aliases equals one of the item's aliases (or our alias its label) | 50 |
| name: the same, once normalised | 45 |
| name: otherwise, the best similarity of any two names (0.75 to 1, see `similarity`) times 40 | 30 to 40 |
| type: the item is an instance of an expected class (or of a subclass, where the endpoint knows P279) | +20 |
| type: the item has instance-of statements but none is expected | -20 |
| country: the item's country (P17, or P27 for people) is our entity's country | +20 |
| country: the item has a country, and it is another one | -20 |

A missing statement (no P31, no country, or our graph's country not linked to Wikidata) counts 0: the
score does not guess. The result is kept between 0 and 100. With no name match at all there is no
candidate, whatever the type and country: a namesake search must not turn into a type search.
Scores only order candidates for a person; no score ever makes a link.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from election_kg.common.similarity import normalise, similarity

LABEL_EXACT = 60
LABEL_NORMALISED = 55
ALIAS_EXACT = 50
ALIAS_NORMALISED = 45
SIMILAR_MAX = 40
SIMILAR_FLOOR = 0.75
TYPE_AGREES = 20
TYPE_DISAGREES = -20
COUNTRY_AGREES = 20
COUNTRY_DISAGREES = -20


@dataclass(frozen=True)
class Ours:
    """What our graph says about the entity to link."""

    labels: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    kind: str = "entity"
    countries: dict[str, str] = field(default_factory=dict)  # Q-id -> label, from our graph's links


@dataclass
class Theirs:
    """What the endpoint said about one item, gathered over every query that returned it."""

    item: str  # Q-id
    labels: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    description: str = ""
    types: dict[str, str] = field(default_factory=dict)  # Q-id -> label
    expected_types: dict[str, str] = field(
        default_factory=dict
    )  # the expected classes it is an instance of -> label
    countries: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return min(self.labels, default=self.item)


@dataclass(frozen=True)
class Score:
    value: int
    evidence: tuple[str, ...]


def name_score(ours: Ours, theirs: Theirs) -> tuple[int, str]:
    """The name signal and its evidence; (0, '') when no name is close enough."""
    best: tuple[int, str] = (0, "")

    def consider(points: int, evidence: str) -> None:
        nonlocal best
        if points > best[0]:
            best = (points, evidence)

    for mine in ours.labels:
        for label in theirs.labels:
            if mine == label:
                consider(LABEL_EXACT, f"label “{label}” is our label")
            elif normalise(mine) == normalise(label):
                consider(LABEL_NORMALISED, f"label “{label}” is our label “{mine}” once normalised")
    for mine in ours.labels + ours.aliases:
        for alias in theirs.aliases | (theirs.labels if mine in ours.aliases else set()):
            kind = "alias" if alias in theirs.aliases else "label"
            if mine == alias:
                consider(
                    ALIAS_EXACT,
                    f"{kind} “{alias}” is our {'alias' if mine in ours.aliases else 'label'}",
                )
            elif normalise(mine) == normalise(alias):
                consider(ALIAS_NORMALISED, f"{kind} “{alias}” is our “{mine}” once normalised")
    if best[0]:
        return best
    for mine in ours.labels + ours.aliases:
        for name in theirs.labels | theirs.aliases:
            ratio = similarity(mine, name)
            if ratio >= SIMILAR_FLOOR:
                consider(
                    round(SIMILAR_MAX * ratio), f"“{name}” is {ratio:.0%} similar to our “{mine}”"
                )
    return best


def score(ours: Ours, theirs: Theirs) -> Score | None:
    """The candidate's score and evidence, or None when no name matches."""
    points, name_evidence = name_score(ours, theirs)
    if not points:
        return None
    evidence = [name_evidence]
    kind = f"{'an' if ours.kind[:1] in 'aeiou' else 'a'} {ours.kind}"
    if theirs.expected_types:
        points += TYPE_AGREES
        direct = set(theirs.expected_types) & set(theirs.types)
        if direct:
            evidence.append(
                "instance of " + _named(theirs.types, direct) + f", as expected of {kind}"
            )
        else:
            evidence.append(
                "instance of "
                + _named(theirs.types, theirs.types)
                + ", a subclass of "
                + _named(theirs.expected_types, theirs.expected_types)
                + f", as expected of {kind}"
            )
    elif theirs.types:
        points += TYPE_DISAGREES
        evidence.append(
            "instance of " + _named(theirs.types, theirs.types) + f", not what {kind} is"
        )
    else:
        evidence.append("no instance-of statement")
    if not ours.countries:
        evidence.append("country not checked: our graph links no country to Wikidata")
    elif set(theirs.countries) & set(ours.countries):
        points += COUNTRY_AGREES
        evidence.append(
            "country "
            + _named(theirs.countries, set(theirs.countries) & set(ours.countries))
            + " is ours"
        )
    elif theirs.countries:
        points += COUNTRY_DISAGREES
        evidence.append(
            "country "
            + _named(theirs.countries, theirs.countries)
            + ", not "
            + _named(ours.countries, ours.countries)
        )
    else:
        evidence.append("no country statement")
    return Score(max(0, min(100, points)), tuple(evidence))


def _named(labels: dict[str, str], ids: set[str] | dict[str, str]) -> str:
    return " and ".join(
        f"{labels.get(q) or q} ({q})" if labels.get(q) else q for q in sorted(ids, key=_qnumber)
    )


def _qnumber(qid: str) -> tuple[int, str]:
    return (int(qid[1:]), qid) if qid[1:].isdigit() else (0, qid)

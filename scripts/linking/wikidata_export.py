"""Export the graph's election facts as QuickStatements (V1), for a person to review and run on Wikidata.

Only facts Wikidata models with a confirmed property (../shared/reference/wikidata-links.md) are
exported, and only between items whose Q-id the graph knows from an accepted owl:sameAs link: a
Q-id is never guessed from a name. Each statement cites the article its graph was read from
(S854 reference URL). What is left out, and why, is written as `/* ... */` lines, which
QuickStatements skips.

Approximate figures stay approximate: "about 18.8 million" becomes `18800000~100000`, a value with
bounds of one unit of the last digit the source gives, never a bare 18800000 that would read as an
exact count.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from election_kg.common import query_files, release_files
from election_kg.linking import QUERIES

WD = "http://www.wikidata.org/entity/"
PROPERTIES = {
    "P17": "country",
    "P194": "legislative body",
    "P155": "follows",
    "P156": "followed by",
    "P585": "point in time",
    "P1867": "eligible voters",
    "P710": "participant",
    "P1410": "number of seats",
}
SCALES = {"thousand": 3, "million": 6, "billion": 9}


@dataclass(frozen=True, order=True)
class Statement:
    item: str
    property: str
    value: str
    qualifiers: tuple[tuple[str, str], ...]
    source_url: str

    def line(self) -> str:
        cells = [self.item, self.property, self.value]
        for prop, value in self.qualifiers:
            cells += [prop, value]
        cells += ["S854", _string(self.source_url)]
        return "\t".join(cells)


@dataclass(frozen=True)
class Export:
    text: str
    statements: int
    items: int


def quickstatements(dist: Path) -> Export:
    """The QuickStatements of the build in `dist`, with a comment for each fact left out."""
    manifest = json.loads((dist / release_files.MANIFEST).read_text(encoding="utf-8"))
    store = ox.Store()
    store.load(path=str(dist / "election-kg.nq"), format=ox.RdfFormat.N_QUADS)
    base = manifest["base"]
    statements: set[Statement] = set()
    left_out: set[str] = set()
    for rows, collect in (
        (_select(store, "quickstatements-point-in-time", base), _point_in_time),
        (_select(store, "quickstatements-item-facts", base), _item_fact),
        (_select(store, "quickstatements-eligible-voters", base), _eligible_voters),
        (_select(store, "quickstatements-participants", base), _participant),
    ):
        rows_by_election: dict[str, list[dict[str, str]]] = {}
        for row in rows:
            rows_by_election.setdefault(row["election"], []).append(row)
        for election_rows in rows_by_election.values():
            collect(election_rows, statements, left_out)
    header = [
        f"/* election-kg {manifest['dataVersion']}: facts for Wikidata, as QuickStatements V1 (tab-separated) */",
        "/* Only items linked to Wikidata by an accepted owl:sameAs in the graph; each statement cites its source article (S854). */",
        "/* Not exported: vote share (ek:voteShare), since no Wikidata property for a contestant's share of the vote is confirmed. */",
    ]
    lines = header + sorted(left_out) + [s.line() for s in sorted(statements, key=_order)]
    return Export("\n".join(lines) + "\n", len(statements), len({s.item for s in statements}))


def _select(store: ox.Store, name: str, base: str) -> list[dict[str, str]]:
    solutions = store.query(query_files.load(QUERIES, name, base), use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]


def _qid(row: dict[str, str], key: str) -> str | None:
    iri = row.get(key)
    return iri[len(WD) :] if iri and iri.startswith(WD) else None


def _unlinked(row: dict[str, str], what: str) -> str:
    return f"/* Not exported: {what} of {row.get('electionLabel', row['election'])}, which has no Wikidata link in the graph. */"


def _point_in_time(rows: list[dict[str, str]], out: set[Statement], left_out: set[str]) -> None:
    dated = [r for r in rows if "date" in r]
    for row in dated or rows:  # the day when the graph has it, else the year
        item = _qid(row, "item")
        if item is None:
            left_out.add(_unlinked(row, "point in time (P585)"))
            continue
        value = (
            f"+{row['date']}T00:00:00Z/11" if "date" in row else f"+{row['year']}-00-00T00:00:00Z/9"
        )
        out.add(Statement(item, "P585", value, (), row["url"]))


def _item_fact(rows: list[dict[str, str]], out: set[Statement], left_out: set[str]) -> None:
    for row in rows:
        item, value = _qid(row, "item"), _qid(row, "valueItem")
        what = f"{PROPERTIES[row['property']]} ({row['property']}) {row.get('valueLabel', row['value'])}"
        if item is None:
            left_out.add(_unlinked(row, what))
        elif value is None:
            left_out.add(
                f"/* Not exported: {item} {what}, which has no Wikidata link in the graph. */"
            )
        else:
            out.add(Statement(item, row["property"], value, (), row["url"]))


def _eligible_voters(rows: list[dict[str, str]], out: set[Statement], left_out: set[str]) -> None:
    for row in rows:
        item = _qid(row, "item")
        if item is None:
            left_out.add(_unlinked(row, "eligible voters (P1867)"))
        elif "exact" in row:
            out.add(Statement(item, "P1867", _number(row["exact"]), (), row["url"]))
        elif "approximately" in row:
            value = Decimal(row["approximately"])
            out.add(
                Statement(
                    item,
                    "P1867",
                    f"{_number(row['approximately'])}~{_number(str(uncertainty(value, row.get('statedAs', ''))))}",
                    (),
                    row["url"],
                )
            )
        elif "moreThan" in row:
            left_out.add(
                f'/* Not exported: {item} eligible voters (P1867) "more than {row["moreThan"]}": '
                "QuickStatements cannot write a lower bound alone. */"
            )


def _participant(rows: list[dict[str, str]], out: set[Statement], left_out: set[str]) -> None:
    for row in rows:
        item, participant = _qid(row, "item"), _qid(row, "participantItem")
        name = row.get("contestantLabel", row["contestant"])
        if item is None:
            left_out.add(_unlinked(row, f"participant (P710) {name}"))
        elif participant is None:
            why = (
                "only a skos:closeMatch to " + row["closeMatch"][len(WD) :]
                if "closeMatch" in row
                else "no Wikidata link in the graph"
            )
            left_out.add(f"/* Not exported: {item} participant (P710) {name}, which has {why}. */")
        else:
            qualifiers = (("P1410", _number(row["seats"])),) if "seats" in row else ()
            out.add(Statement(item, "P710", participant, qualifiers, row["url"]))


def uncertainty(value: Decimal, stated_as: str = "") -> Decimal:
    """One unit of the last significant digit the source gave.

    '18.8 million' -> 100000 and '2.50 million' -> 10000 (written decimals count, zeros included);
    '12,000' -> 1000 (a whole number's trailing zeros are placeholders). When the words do not give the
    value, the value's own digits decide the same way: 18800000 -> 100000.
    """
    match = re.search(
        r"(\d[\d,]*)(?:\.(\d+))?\s*(thousand|million|billion)?", stated_as, re.IGNORECASE
    )
    if match:
        scale = SCALES.get((match.group(3) or "").lower(), 0)
        whole = match.group(1).replace(",", "")
        stated = (
            Decimal(f"{whole}.{match.group(2)}") if match.group(2) else Decimal(whole).normalize()
        )
        if stated.scaleb(scale) == value:
            return Decimal(1).scaleb(int(stated.as_tuple().exponent) + scale)
    return Decimal(1).scaleb(int(value.normalize().as_tuple().exponent))


def _number(text: str) -> str:
    value = Decimal(text)
    return (
        str(value.quantize(Decimal(1)))
        if value == value.to_integral_value()
        else str(value.normalize())
    )


def _string(text: str) -> str:
    return '"' + text.replace('"', "%22").replace("\t", "%09") + '"'


def _order(s: Statement) -> tuple[int, int, str, str]:
    return (int(s.item[1:]), int(s.property[1:]), s.value, s.source_url)

"""The review file: one candidate fact per row (TSV), with the sentence it comes from and a
column for the reviewer's decision."""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, fields
from pathlib import Path

COLUMNS = [
    "id",
    "line",
    "start",
    "end",
    "subject",
    "property",
    "value",
    "qualifier",
    "unit",
    "stated",
    "label",
    "confidence",
    "status",
    "decision",
    "sentence",
]
HEADER_NOTE = (
    "# Review file written by `election-kg propose`. One candidate fact per row; 'stated' holds the "
    "words of the sentence the value comes from. Fill 'decision' with accept, reject, or an edited "
    "value, then run `election-kg accept FILE`. Rows with status in-graph are already in the graph."
)


@dataclass
class Candidate:
    id: str
    line: int
    start: int  # the sentence's offsets in the source, in code points
    end: int
    subject: str  # CURIE or <IRI>
    property: str
    value: str
    qualifier: str  # exact / approximately / moreThan / lessThan for figures; how a value was read
    unit: str
    stated: str  # the words of the sentence the value comes from
    label: str  # the name of a new node or entity (type rows)
    confidence: float
    status: str  # new | in-graph
    decision: str
    sentence: str

    @property
    def accepted(self) -> bool:
        return self.decision.strip().lower() not in ("", "reject", "rejected", "no", "n")

    @property
    def edited_value(self) -> str | None:
        d = self.decision.strip()
        return None if d.lower() in ("", "accept", "accepted", "yes", "y", "ok") else d


def write_review(path: Path, rows: list[Candidate], article: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        fh.write(f"{HEADER_NOTE}\n# article: {article}\n")
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            data = asdict(row)
            data["confidence"] = f"{row.confidence:.2f}"
            writer.writerow(data)


def read_review(path: Path) -> tuple[str, list[Candidate]]:
    """The article path named in the file, and its rows."""
    article = ""
    lines = []
    for line in path.read_text("utf-8").splitlines(keepends=True):
        if line.startswith("# article: "):
            article = line[len("# article: ") :].strip()
        elif not line.startswith("#"):
            lines.append(line)
    reader = csv.DictReader(lines, delimiter="\t")
    types = {f.name: f.type for f in fields(Candidate)}
    rows = []
    for data in reader:
        values = {}
        for name in COLUMNS:
            raw = data.get(name) or ""
            kind = types[name]
            values[name] = (
                int(raw) if kind == "int" else float(raw or 0) if kind == "float" else raw
            )
        rows.append(Candidate(**values))
    return article, rows

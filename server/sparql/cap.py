"""Serialize a query's results, at most `max_rows` of them, as a valid document in any format.

A SELECT over a large graph can return millions of rows; the cap bounds what one answer costs in
CPU, memory and bandwidth. Cutting serialized bytes would leave broken JSON or XML, and adding a
LIMIT to the query text is not structural (subqueries, VALUES after the modifiers, a LIMIT already
there), so the cut is made on rows, in the query process, as they stream out of pyoxigraph:

- solutions are written as SPARQL TSV, one row per line (pyoxigraph escapes tabs and line breaks
  inside values), and the writer stops the evaluation as soon as one row more than the cap has
  arrived; the rows kept are read back and written in the format asked for by pyoxigraph's own
  writers, so the answer is as valid as an uncut one (and byte-identical when nothing was cut);
- graphs (CONSTRUCT, DESCRIBE) go the same way through N-Triples, one triple per line;
- a boolean (ASK) is never cut.

The caller says so in the response (`X-SPARQL-MaxRows`, the header Virtuoso uses). This module runs
in the query processes, which import neither Flask nor rdflib.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox


@dataclass(frozen=True)
class Answer:
    """A serialized answer, whether it was cut and how long the query process worked on it."""

    body: bytes
    cut_at: int | None = None  # the row cap, when the results had more rows and were cut there
    seconds: float = (
        0.0  # time the query process spent (evaluation and writing), charged to the client's budget
    )

    def __len__(self) -> int:  # the result cache bounds its memory by this
        return len(self.body)


class _Enough(Exception):
    """Raised by the line writer to stop pyoxigraph's serialization (and evaluation) early."""


class _Lines:
    """A binary writer that keeps the first `keep` lines and stops the writer after them."""

    def __init__(self, keep: int) -> None:
        self.keep, self.lines, self.chunks = keep, 0, []

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.chunks.append(chunk)
        self.lines += chunk.count(b"\n")
        if self.lines > self.keep:
            raise _Enough
        return len(chunk)

    def flush(self) -> None:
        pass

    def kept(self) -> tuple[bytes, bool]:
        """(the first `keep` lines, whether there were more)."""
        text = b"".join(self.chunks)
        if self.lines <= self.keep:
            return text, False
        return b"".join(line + b"\n" for line in text.split(b"\n")[: self.keep]), True


def _first_lines(results: Any, line_format: Any, keep: int) -> tuple[bytes, bool]:
    writer = _Lines(keep)
    try:
        results.serialize(writer, format=line_format)
    except _Enough:
        pass
    return writer.kept()


def serialize(
    results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, media_type: str, max_rows: int
) -> Answer:
    """`results` in `media_type`, cut at `max_rows` rows or triples (0: never cut)."""
    if isinstance(results, ox.QueryTriples):
        rdf_format = ox.RdfFormat.from_media_type(media_type)
        if rdf_format is None:
            raise ValueError(f"{media_type} is not an RDF format")
        if max_rows <= 0:
            return Answer(results.serialize(format=rdf_format))
        lines, cut = _first_lines(results, ox.RdfFormat.N_TRIPLES, max_rows)
        body = ox.serialize(ox.parse(lines, format=ox.RdfFormat.N_TRIPLES), format=rdf_format)
        return Answer(body, max_rows if cut else None)
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    if results_format is None:
        raise ValueError(f"{media_type} is not a SPARQL results format")
    if max_rows <= 0 or isinstance(results, ox.QueryBoolean):
        return Answer(results.serialize(format=results_format))
    lines, cut = _first_lines(
        results, ox.QueryResultsFormat.TSV, max_rows + 1
    )  # the header line, then the rows
    body = ox.parse_query_results(lines, format=ox.QueryResultsFormat.TSV).serialize(
        format=results_format
    )
    return Answer(body, max_rows if cut else None)

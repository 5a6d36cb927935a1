"""Read an article dump into plain records with exact positions.

The format is the one of the seed: a `= Title =` line, an `Infobox` block of `- Key: Value`
lines ending at the first blank line, then prose with `==Section==` headings. Every record keeps
the character offsets of its text in the file, because provenance points back into it.
No rdflib here: the graph is made later, from these records.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from election_kg.pipeline.errors import SourceError

TITLE = re.compile(r"^=\s*(?P<title>[^=].*?)\s*=$")
HEADING = re.compile(r"^==+\s*(?P<heading>.*?)\s*==+$")
INFOBOX_LINE = re.compile(r"^-\s*(?P<key>[^:]+?)\s*:(?:\s(?P<value>.*))?$")
# A sentence ends at . ! or ? followed by a space and an upper-case letter or a digit; the
# lookbehinds keep "i.e." and "e.g." from ending one.
SENTENCE_END = re.compile(r"(?<!\bi\.e\.)(?<!\be\.g\.)(?<=[.!?])\s+(?=[\"'A-Z0-9])")


@dataclass(frozen=True)
class Span:
    """Where a piece of text sits in its file: offsets in code points, line from 1."""

    start: int
    end: int
    line: int
    text: str


@dataclass(frozen=True)
class InfoboxEntry:
    key: str
    value: str
    span: Span  # the whole line, without its newline


@dataclass(frozen=True)
class Sentence:
    section: str
    span: Span


@dataclass
class Article:
    path: Path
    text: str
    title: str
    title_span: Span
    infobox: list[InfoboxEntry] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def stem(self) -> str:
        return self.path.stem


def read_article(path: Path) -> Article:
    """Parse one article file; raise SourceError naming the line for anything malformed."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            path, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from exc
    return parse_article(text, path)


def parse_article(text: str, path: Path) -> Article:
    lines = _lines_with_offsets(text)
    idx = _skip_blank(lines, 0)
    if idx >= len(lines):
        raise SourceError(
            path, None, None, "the file is empty; an article starts with a '= Title =' line"
        )
    start, line_text = lines[idx]
    match = TITLE.match(line_text.strip())
    if not match:
        raise SourceError(
            path, idx + 1, None, f"expected a '= Title =' line, found {line_text.strip()[:60]!r}"
        )
    title = match.group("title")
    title_start = start + line_text.index(title)
    article = Article(
        path, text, title, Span(title_start, title_start + len(title), idx + 1, title)
    )

    idx = _skip_blank(lines, idx + 1)
    if idx < len(lines) and lines[idx][1].strip() == "Infobox":
        idx = _read_infobox(article, lines, idx + 1)
    _read_prose(article, lines, idx)
    return article


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        out.append((pos, raw.rstrip("\r\n")))
        pos += len(raw)
    return out


def _skip_blank(lines: list[tuple[int, str]], idx: int) -> int:
    while idx < len(lines) and not lines[idx][1].strip():
        idx += 1
    return idx


def _read_infobox(article: Article, lines: list[tuple[int, str]], idx: int) -> int:
    seen: dict[str, InfoboxEntry] = {}
    while idx < len(lines) and lines[idx][1].strip():
        start, raw = lines[idx]
        match = INFOBOX_LINE.match(raw)
        if not match:
            raise SourceError(
                article.path,
                idx + 1,
                None,
                f"malformed infobox line {raw[:60]!r}; expected '- Key: Value'",
            )
        key, value = match.group("key").strip(), (match.group("value") or "").strip()
        entry = InfoboxEntry(key, value, Span(start, start + len(raw), idx + 1, raw))
        earlier = seen.get(key)
        if earlier and earlier.value != value:
            raise SourceError(
                article.path,
                idx + 1,
                key,
                f"duplicated key with a different value: {value!r} here, {earlier.value!r} on line {earlier.span.line}",
            )
        if not earlier:
            seen[key] = entry
            article.infobox.append(entry)
        idx += 1
    if idx >= len(lines):
        raise SourceError(
            article.path,
            idx,
            None,
            "the file ends inside the infobox (truncated?); the infobox ends at a blank line",
        )
    return idx


def _read_prose(article: Article, lines: list[tuple[int, str]], idx: int) -> None:
    section = ""
    for number in range(idx, len(lines)):
        start, raw = lines[number]
        if not raw.strip():
            continue
        heading = HEADING.match(raw.strip())
        if heading:
            section = heading.group("heading")
            continue
        for s_start, s_end in _sentence_bounds(raw):
            sentence = raw[s_start:s_end]
            article.sentences.append(
                Sentence(section, Span(start + s_start, start + s_end, number + 1, sentence))
            )


def _sentence_bounds(paragraph: str) -> list[tuple[int, int]]:
    bounds, begin = [], len(paragraph) - len(paragraph.lstrip())
    for match in SENTENCE_END.finditer(paragraph):
        bounds.append((begin, match.start()))
        begin = match.end()
    end = len(paragraph.rstrip())
    if begin < end:
        bounds.append((begin, end))
    return bounds

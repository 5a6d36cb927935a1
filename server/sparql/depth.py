"""How deeply a SPARQL query nests, read lexically before any parser sees it.

pyoxigraph's parser and evaluator recurse once per level of nesting, on the query process's
stack: 3,000 nested groups (18 KB, under `max_query_length`) overflow it and kill the process
(SIGSEGV); rdflib's parser (`guard`) recurses too. The scan below is linear and never recurses:
with the \\uXXXX escapes expanded first (SPARQL expands them anywhere, so `\\u007B` is a `{`), it
counts open brackets of every kind ({ ( [), adds each run of unary operators (! - + ^, as in
`!!!!?x` or `^^^^ex:p`) to the depth where it stands, and skips string literals (all four
quotings, with escapes), IRIs and comments, whose brackets mean nothing. It only ever counts too
much on text that is not SPARQL (an unterminated string's brackets are counted), never too little.
`max_query_depth` (a setting) bounds the result; the endpoint answers 400 past it.
"""

from __future__ import annotations

import re

from election_kg.server.sparql.guard import expand_escapes

_TOKEN = re.compile(
    r"""(?P<skip>\#[^\r\n]*+"""  # a comment
    r"""|'''(?>[^'\\]|\\.|'(?!''))*+'''|\"\"\"(?>[^"\\]|\\.|"(?!""))*+\"\"\""""  # long strings
    r"""|'(?>[^'\\\r\n]|\\.)*+'|"(?>[^"\\\r\n]|\\.)*+\""""  # short strings
    r"""|<[^<>"{}|^`\\\x00-\x20]*+>|!=)"""  # an IRI; `!=` is no negation
    r"""|(?P<open>[{(\[])|(?P<close>[})\]])|(?P<unary>(?:[!\-+^][ \t\r\n]*+)++)""",
    re.S,
)


def depth(text: str) -> int:
    """The deepest nesting in `text`: brackets, plus the longest run of unary operators at its level."""
    deepest = level = 0
    for token in _TOKEN.finditer(expand_escapes(text) or text):
        kind = token.lastgroup
        if kind == "open":
            level += 1
            deepest = max(deepest, level)
        elif kind == "close":
            level = max(0, level - 1)
        elif kind == "unary":
            run = sum(1 for c in token.group() if c in "!-+^")
            deepest = max(deepest, level + run)
    return deepest

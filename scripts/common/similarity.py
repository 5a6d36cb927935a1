"""Text similarity of names, one rule for every place that compares them.

The linker scores Wikidata candidates and the reconciliation service scores our own entities
against a person's query; both must agree on when two names are "the same once normalised" and
on how similar two different names are.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from election_kg.common import iris

STOP_WORDS = frozenset({"a", "an", "and", "de", "des", "du", "el", "for", "la", "le", "of", "the"})


def normalise(text: str) -> str:
    """The comparison key of a name: iris.slug's, so 'Workers’ Party', "Workers' Party" and 'workers party' agree."""
    try:
        return iris.slug(text)
    except ValueError:  # no letter or digit at all
        return text.strip().lower()


def similarity(a: str, b: str) -> float:
    """0 to 1: the mean of a character-sequence ratio and the share of words in common (small words aside).

    Names that carry different numbers ("2002 … election", "2012 … election") are different things: 0.
    """
    na, nb = normalise(a), normalise(b)
    words_a, words_b = set(na.split("-")) - STOP_WORDS, set(nb.split("-")) - STOP_WORDS
    if {w for w in words_a if w.isdigit()} != {w for w in words_b if w.isdigit()}:
        return 0.0
    overlap = len(words_a & words_b) / max(len(words_a), len(words_b), 1)
    return (SequenceMatcher(None, na, nb).ratio() + overlap) / 2

"""The extractor's words, read once from lexicon.toml (package data)."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def lexicon() -> dict[str, Any]:
    text = resources.files("election_kg.prose").joinpath("lexicon.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def pattern(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


def words_pattern(words: list[str]) -> str:
    """An alternation of phrases, longest first, each on word boundaries."""
    ordered = sorted(words, key=len, reverse=True)
    return r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + r")\b"

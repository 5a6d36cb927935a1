"""Prose facts: propose candidate facts from an article's sentences, review them, accept them.

`propose` reads the prose with sentence-level rules and the lexicon in `lexicon.toml`, resolves
names against the built graph's entities of the same country, and writes a review file (TSV);
`accept` turns the reviewed rows into `data/curated/<article>.ttl`, the format the build verifies.
"""

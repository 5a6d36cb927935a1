"""The `propose` and `accept` commands (registered by election_kg.cli)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from election_kg.common.cli_options import root_option
from election_kg.pipeline.errors import BuildError
from election_kg.prose.accept import accept
from election_kg.prose.propose import propose
from election_kg.prose.review import read_review, write_review

_ROOT = root_option()


@click.command("propose")
@click.argument("article", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Review file to write (default: data/review/<article>.tsv).",
)
@_ROOT
def propose_command(article: Path, out: Path | None, root: Path) -> None:
    """Propose the facts of ARTICLE's prose for review, each with its sentence."""
    try:
        _parsed, rows = propose(article, root)
    except BuildError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    out = out or root / "data" / "review" / f"{article.stem}.tsv"
    write_review(out, rows, str(article))
    counts = Counter(r.status for r in rows)
    click.echo(
        f"wrote {out}: {len(rows)} candidate facts ({counts['new']} new, {counts['in-graph']} already in the graph)"
    )


@click.command("accept")
@click.argument("review", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--all",
    "accept_all",
    is_flag=True,
    help="Accept every row (to evaluate the extractor, never to publish).",
)
@click.option(
    "--article",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The article, if not the one the review file names.",
)
@_ROOT
def accept_command(review: Path, accept_all: bool, article: Path | None, root: Path) -> None:
    """Write the accepted rows of REVIEW into data/curated/<article>.ttl."""
    named, rows = read_review(review)
    path = article or Path(named)
    if not path.exists():
        path = root / "data" / "sources" / Path(named).name
    try:
        target, added = accept(review, path, root, rows, accept_all=accept_all)
    except (BuildError, ValueError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"{target}: {added} new triples" if added else f"{target}: nothing new to add")

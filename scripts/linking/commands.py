"""The commands that connect the built graph to other datasets and stores: `link`, `export` and `load`.

Each reads the built dumps in data/dist/ (run `election-kg build` first) and never changes them.
Exit codes: 0 done; 1 no usable build; 2 wrong usage; 3 the remote service could not be reached;
4 the remote service answered with an error status.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from election_kg.common import credentials as store_credentials
from election_kg.common import release_files
from election_kg.common.cli_options import root_option
from election_kg.linking import candidates as reconcile
from election_kg.linking import graph_store, remote, wikidata_export

_ROOT = root_option("Project folder; the build is read from its data/dist/.")


def _dist(root: Path) -> Path:
    """The build folder under `root`; exits 1 with what to run when there is no build."""
    dist = root / "data" / "dist"
    if not (dist / release_files.MANIFEST).exists() or not (dist / "election-kg.nq").exists():
        click.echo(f"error: no build in {dist}; run `election-kg build` first", err=True)
        sys.exit(1)
    return dist


def _fail(exc: remote.RemoteError) -> NoReturn:
    click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


@click.command("link")
@click.option(
    "--endpoint",
    default=reconcile.WIKIDATA_QUERY_SERVICE,
    show_default=True,
    help="SPARQL endpoint holding Wikidata (or a Wikidata-shaped copy).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Review file to write [default: data/links/candidates.tsv under --root].",
)
@click.option("--timeout", default=60.0, show_default=True, help="Seconds to wait for each query.")
@_ROOT
def link_command(endpoint: str, output: Path | None, timeout: float, root: Path) -> None:
    """Propose Wikidata items for the graph's entities, scored, in a review file. Adds no link."""
    dist = _dist(root)
    output = output or root / "data" / "links" / "candidates.tsv"
    entities = reconcile.read_entities(dist)
    linked = sum(1 for e in entities if e.accepted)
    click.echo(
        f"read {len(entities)} entities from {dist / 'election-kg.nq'} ({linked} with an accepted Wikidata link)"
    )
    try:
        candidates = reconcile.find_candidates(entities, endpoint, timeout)
    except remote.RemoteError as exc:
        _fail(exc)
    reconcile.write_review(output, entities, candidates)
    best = {}
    for c in candidates:
        best.setdefault(c.entity.iri, c)
    confirmed = sum(1 for c in best.values() if c.status == "accepted")
    click.echo(
        f"wrote {output}: {len(candidates)} candidates for {len(best)} entities; {len(entities) - len(best)} have none"
    )
    click.echo(f"accepted links that are the best candidate: {confirmed} of {linked}")
    for c in best.values():
        if c.status != "accepted" and c.entity.accepted:
            click.echo(
                f"  check: {c.entity.label} is linked to {' '.join(sorted(c.entity.accepted))}, "
                f"but {c.item.item} {c.item.label} scores {c.score}"
            )
    new = [c for c in best.values() if not c.entity.accepted]
    if new:
        click.echo("best candidate of each entity not linked yet (for review):")
        for c in new:
            click.echo(
                f"  {c.score:>3}  {c.entity.kind.name} {c.entity.label} -> {c.item.item} {c.item.label}"
                + (f" ({c.item.description})" if c.item.description else "")
            )
    click.echo(
        "nothing was added to the graph: copy the links you accept, with their evidence, into "
        "data/links/accepted.ttl and run `election-kg build`"
    )


@click.command("export")
@click.option(
    "--quickstatements",
    "quickstatements",
    is_flag=True,
    required=True,
    help="Write QuickStatements (V1, tab-separated) for the facts Wikidata models.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write [default: standard output].",
)
@_ROOT
def export_command(quickstatements: bool, output: Path | None, root: Path) -> None:
    """Export the graph's facts for Wikidata, for items with a known Q-id only, each with its source URL."""
    dist = _dist(root)
    export = wikidata_export.quickstatements(dist)
    if output is None:
        click.echo(export.text, nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(export.text, encoding="utf-8")
        click.echo(
            f"wrote {output}: {export.statements} statements about {export.items} Wikidata items",
            err=True,
        )


@click.command("load")
@click.option(
    "--gsp",
    "gsp",
    required=True,
    metavar="URL",
    help="Graph Store Protocol URL of a SPARQL 1.1 store (Oxigraph server: http://HOST:PORT/store; "
    "Fuseki: http://HOST:3030/DATASET/data; Virtuoso: http://HOST:8890/sparql-graph-crud-auth).",
)
@click.option(
    "--user",
    default=None,
    help="Account on the store (Basic or Digest auth); the password comes from "
    f"{store_credentials.PASSWORD_VARIABLE} or ~/.netrc, never from the command line.",
)
@click.option("--timeout", default=300.0, show_default=True, help="Seconds to wait for each graph.")
@_ROOT
def load_command(gsp: str, user: str | None, timeout: float, root: Path) -> None:
    """Push the built graphs to a remote store, one PUT per named graph (repeatable: PUT replaces)."""
    dist = _dist(root)
    try:
        credentials = store_credentials.find(gsp, user)
    except store_credentials.CredentialsError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    try:
        for pushed in graph_store.push(dist, gsp, timeout, credentials):
            click.echo(f"PUT {pushed.graph}: {pushed.triples} triples (HTTP {pushed.status})")
    except graph_store.DumpError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except remote.RemoteError as exc:
        _fail(exc)

"""The `election-kg` command: one entry point for every step of the pipeline and the server."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from election_kg.common import iris, offline
from election_kg.common.cli_options import root_option
from election_kg.pipeline.assemble import ROOT, BuildSettings
from election_kg.pipeline.build import build, stderr_progress
from election_kg.pipeline.errors import BuildError


@click.group()
def main() -> None:
    """Build, check and publish the election knowledge graph."""
    offline.configure()  # whatever the command, rdflib's SPARQL never loads the graphs a FROM names


@main.command("build")
@click.option(
    "--base",
    default=iris.CANONICAL_BASE,
    show_default=True,
    help="Base IRI of the published resources.",
)
@root_option()
@click.option(
    "--strict",
    is_flag=True,
    help="Fail (publish nothing, exit 1) if any article is quarantined.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for the per-article work  [default: the number of cores]",
)
@click.option(
    "--quiet", is_flag=True, help="No progress counter (there is none unless stderr is a terminal)."
)
def build_command(base: str, root: Path, strict: bool, workers: int | None, quiet: bool) -> None:
    """Ingest every article in data/sources/, validate, and publish the dumps to data/dist/.

    A malformed article is quarantined (not published, named in the output and in the published
    validation report) and the others are published. Exit codes: 0 published (quarantined
    articles, if any, reported), 1 nothing published, 2 usage.
    """
    if not base.endswith("/"):
        raise click.BadParameter("the base IRI must end with '/'", param_hint="--base")
    try:
        build(
            BuildSettings(root=root, base=base, strict=strict, workers=workers),
            progress=stderr_progress(quiet),
        )
    except BuildError as exc:
        click.echo(f"error: {exc}", err=True)
        click.echo("nothing was published; data/dist/ is unchanged", err=True)
        sys.exit(1)


@main.command("vocab")
def vocab_command() -> None:
    """Regenerate the package's vocab module (election_kg/common/vocab.py) from ontology/election.ttl."""
    from election_kg.common import vocab, vocabgen

    target = Path(vocab.__file__)
    vocabgen.write(ROOT / "ontology" / "election.ttl", target)
    click.echo(f"wrote {target}")


def _register_commands() -> None:
    """Commands owned by other modules: the validator, the prose review and the server (which the pipeline never imports)."""
    from election_kg.linking.commands import export_command, link_command, load_command
    from election_kg.prose.commands import accept_command, propose_command
    from election_kg.server.serve import serve_command
    from election_kg.validation.command import validate_command

    main.add_command(serve_command)
    main.add_command(validate_command)
    for command in (link_command, export_command, load_command, propose_command, accept_command):
        main.add_command(command)


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    main()

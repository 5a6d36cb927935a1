"""Options every command shares, defined once so that they read and check alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

PROJECT = "Project folder holding ontology/, shapes/ and data/."


def root_option(help: str = PROJECT) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--root`: the project folder, the current directory unless given; it must exist."""
    return click.option(
        "--root",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        default=Path("."),
        show_default=True,
        help=help,
    )

"""The pipeline: sources -> records -> graph -> (validation gate) -> dumps in data/dist/.

Nothing is published unless every step succeeds: the dumps are written to a staging folder
under data/.builds/ and data/dist (a symlink) is switched to it only at the end.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from election_kg.common import iris, offline
from election_kg.common.vocabgen import NAMESPACE
from election_kg.pipeline import dumps
from election_kg.pipeline.assemble import BuildSettings, assemble, rebased
from election_kg.validation.shacl import gate


def build(settings: BuildSettings, log: Any = print) -> dict[str, Any]:
    """Build and publish; raise BuildError (nothing published) on any problem."""
    started = time.perf_counter()
    offline.configure()  # rdflib's SPARQL (the SHACL gate's) never loads FROM graphs in a build
    built = assemble(settings)
    extra = {"ontology.ttl": settings.ontology.read_text(encoding="utf-8")}
    if (moved := settings.root / "data" / "redirects.tsv").exists():  # moved IRIs: the 301s
        extra["redirects.tsv"] = moved.read_text(encoding="utf-8")
    if settings.validate:
        extra.update(gate(built, settings, log))
    published = rebased(built, settings.base)
    extra = {name: text.replace(iris.CANONICAL_BASE, settings.base) for name, text in extra.items()}
    settings.builds.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="tmp-", dir=settings.builds))
    staging.rmdir()
    try:
        manifest = dumps.write_dumps(
            published.dataset,
            published.union,
            staging,
            settings.base,
            iris.rebase(NAMESPACE, settings.base),
            extra,
        )
        dumps.publish(staging, settings.dist)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log(
        f"built {manifest['triples']} triples from {len(built.articles)} article(s) in "
        f"{time.perf_counter() - started:.2f} s; data version {manifest['dataVersion']} -> {settings.dist}"
    )
    return manifest

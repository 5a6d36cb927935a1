"""Run one read-only SPARQL query and serialize its results: the only place endpoint queries run.

Plain inputs (query text, dataset, media type), an `Answer` out (bytes, whether the results were cut
at `max_result_rows`, and the query process's time). Each query runs in a query process
(`query_pool`) under the `query_timeout` deadline, and its serialized answer is kept in the
result cache (`result_cache`), keyed by the normalised query, the dataset, the media type and
the data version, so a new build never serves an old answer. Serialization is pyoxigraph's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask, current_app

from election_kg.server.http import errors
from election_kg.server.sparql.cache import ResultCache, normalise
from election_kg.server.sparql.cap import Answer
from election_kg.server.sparql.pool import (
    RETRY_BUSY,
    Job,
    QueryBusy,
    QueryCrashed,
    QueryFailed,
    QueryPool,
    QueryTimeout,
)
from election_kg.server.store.release import get_release


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a query sees. None means the store's: every graph merged as the default graph,
    every named graph available to GRAPH."""

    default: tuple[str, ...] | None = None
    named: tuple[str, ...] | None = None


@dataclass
class Engine:
    version: str
    pool: QueryPool
    cache: ResultCache
    max_rows: int = 0  # results are cut past this many rows (see `result_cap`)
    # Queries that crashed a query process twice, refused at once (422) for the rest of this data
    # version (the engine is made per HTTP worker and build). Bounded: the oldest is forgotten first.
    crashed: dict[tuple, str] = field(default_factory=dict)
    max_crashed: int = 1024

    def execute(
        self, query: str, dataset: Dataset, media_type: str, base_iri: str | None = None
    ) -> tuple[Answer, bool]:
        """(the answer, whether it came from the cache). Raises ApiError for the client."""
        job = Job(query, dataset.default, dataset.named, media_type, base_iri, self.max_rows)
        key = (self.version, normalise(query), dataset.default, dataset.named, media_type, base_iri)
        crash_key = key[:4] + key[5:]  # a crash does not depend on the results format
        if crash_key in self.crashed:
            raise errors.unprocessable(self.crashed[crash_key])
        try:
            return self.cache.get_or_compute(key, lambda: self.pool.run(job))
        except SyntaxError as exc:
            raise errors.bad_request(f"the query is not valid SPARQL: {exc}") from exc
        except QueryTimeout as exc:
            raise errors.query_timeout(str(exc)) from exc
        except QueryBusy as exc:
            raise errors.busy(str(exc), RETRY_BUSY) from exc
        except QueryCrashed as exc:
            self.crashed[crash_key] = str(exc)
            while len(self.crashed) > self.max_crashed:
                del self.crashed[next(iter(self.crashed))]
            raise errors.unprocessable(str(exc)) from exc
        except QueryFailed as exc:
            raise errors.bad_gateway(f"the query failed: {exc}") from exc


def init_app(app: Flask) -> None:
    settings = app.config["SETTINGS"]
    with app.app_context():
        release = get_release()
    pool = QueryPool(release.spec, settings.query_workers, settings.query_timeout)
    pool.start()  # workers load the store now, not on the first query
    app.extensions["election_kg.engine"] = Engine(
        release.version, pool, ResultCache(settings.result_cache_size), settings.max_result_rows
    )


def get_engine() -> Engine:
    return current_app.extensions["election_kg.engine"]

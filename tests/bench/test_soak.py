"""The soak test, CI-sized, through the real `election_kg.bench.soak`: 20 clients for 8 s with a
query process killed every second; 8 clients with a SIGHUP every 2 s and crash-inducing queries in
the mix (the 60 s, 100-client run is `python -m election_kg.bench.soak --kill-every 5`)."""

from __future__ import annotations

import pytest

from election_kg.bench import soak


def test_a_short_soak_with_worker_kills_has_no_unexpected_5xx_and_no_failed_request(seed_built):
    """On the seed alone: the soak's query mix and its 2 s deadline are sized for it (the corpus
    build, five times larger, is left to `python -m election_kg.bench.soak`)."""
    report = soak.run(
        soak.Options(
            clients=20,
            seconds=8,
            kill_every=1,
            timeout=2,
            workers=2,
            warmup=2,
            dist=seed_built.dist,
        )
    )
    print(soak.render(report))
    assert report.kills >= 5
    assert report.unexpected_5xx == 0
    assert report.failures == []
    assert report.requests >= 150
    assert (
        report.statuses["valid 200"] > 0 and report.statuses["slow 503"] > 0
    )  # the mix ran, and slow queries met the deadline
    assert not [key for key in report.statuses if key.startswith("invalid 5")]


def test_a_short_soak_with_reloads_and_crash_inducing_queries_fails_nothing(built):
    report = soak.run(
        soak.Options(
            clients=8,
            seconds=12,
            timeout=2,
            workers=2,
            warmup=1,
            dist=built.dist,
            reload_every=2,
            crash=True,
        )
    )
    print(soak.render(report))
    assert report.reloads >= 4
    assert report.failures == [] and report.passed
    assert report.statuses["crash 400"] > 0 and report.statuses["valid 200"] > 0


@pytest.mark.parametrize(
    ("kind", "status", "content", "fails"),
    [
        ("valid", 200, b"{}", False),
        ("valid", 400, b'{"message": "the query is not valid SPARQL"}', True),  # a wrong 4xx
        ("valid", 404, b"", True),
        ("valid", 429, b"this client has used its query time budget", False),
        ("valid", 429, b"something else", True),
        ("valid", 503, b"the query ran for more than 2 s and was stopped", False),
        ("valid", 502, b"stopped unexpectedly 2 times", True),  # no kills in this run
        ("slow", 503, b"the query ran for more than 2 s and was stopped", False),
        ("slow", 500, b"", True),
        ("crash", 400, b"the limit is 100 (max_query_depth: ...)", False),
        ("crash", 422, b"crashed the query engine", True),
        ("crash", 502, b"", True),
        ("invalid", 403, b"", False),
        ("invalid", 500, b"", True),
    ],
)
def test_the_soak_counts_every_wrong_answer_as_a_failure(kind, status, content, fails):
    assert (soak.failure_of(kind, status, content) is not None) == fails
    if (kind, status) == ("valid", 502):
        assert soak.failure_of(kind, status, content, killing=True) is None  # documented then

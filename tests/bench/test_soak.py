"""The soak test, CI-sized: 20 clients for 8 s with a query process killed every second, through
the real `scripts/soak.py` (the 60 s, 100-client run is `python scripts/soak.py --kill-every 5`)."""

from __future__ import annotations

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
    assert report.killed_failures == 0
    assert report.failures == []
    assert report.requests >= 150
    assert (
        report.statuses["valid 200"] > 0 and report.statuses["slow 503"] > 0
    )  # the mix ran, and slow queries met the deadline
    assert not [key for key in report.statuses if key.startswith("invalid 5")]

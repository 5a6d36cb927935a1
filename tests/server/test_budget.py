"""The query-time budget's accounts: a leaky bucket per client, shared by processes through one file."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from election_kg.server.http.budget import Budget


def test_debt_drains_at_the_budget_rate_and_refuses_past_the_budget():
    budget = Budget(None, seconds=10, window=10)  # drains 1 s per s
    budget.charge("a", 6, now=100)
    assert budget.debt("a", now=100) == 6
    assert budget.debt("a", now=102) == 4
    assert budget.retry_after("a", now=102) is None
    budget.charge("a", 8, now=102)  # 4 + 8 = 12: 2 s over
    assert budget.retry_after("a", now=102) == 2
    assert (
        budget.retry_after("a", now=104) == 1
    )  # exactly at the budget: still refused, for a second
    assert budget.retry_after("a", now=104.5) is None
    assert budget.debt("a", now=1000) == 0


def test_clients_have_their_own_accounts():
    budget = Budget(None, seconds=1, window=60)
    budget.charge("127.0.0.2", 5, now=0)
    assert budget.retry_after("127.0.0.2", now=0) == 240  # 4 s over, draining 1/60 s per s
    assert budget.retry_after("127.0.0.3", now=0) is None


def _charge_many(path: str, client: str, times: int) -> None:
    budget = Budget(Path(path), seconds=1000, window=1000)
    for _ in range(times):
        budget.charge(client, 0.01, now=0)


def test_processes_share_the_accounts_and_no_charge_is_lost(tmp_path):
    path = tmp_path / "budget.sqlite"
    here = Budget(path, seconds=1000, window=1000)
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_charge_many, args=(str(path), "shared", 200)) for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert (
        abs(here.debt("shared", now=0) - 3 * 200 * 0.01) < 1e-6
    )  # every charge of every process, none lost

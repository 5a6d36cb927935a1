"""Kinds of sentences, each written here as an unseen article would write it."""

from __future__ import annotations

from pathlib import Path

import pytest

from election_kg.bench.prose import copy_without_curated
from election_kg.prose.propose import propose
from election_kg.prose.review import Candidate

TITLE = "2010 Tunisian parliamentary election"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_without_curated(tmp_path_factory.mktemp("sentences") / "project")


def proposals(project: Path, prose: str) -> list[Candidate]:
    path = project / "data" / "sources" / "2010_Tunisian_parliamentary_election.txt"
    path.write_text(f"= {TITLE} =\n\n{prose}\n", "utf-8")
    try:
        return propose(path, project)[1]
    finally:
        path.unlink()


def facts(rows: list[Candidate]) -> set[tuple[str, str, str]]:
    return {(r.property, r.value, r.qualifier) for r in rows}


def test_figures_keep_their_precision(project: Path) -> None:
    rows = proposals(
        project,
        "Parliamentary elections were held in Tunisia on 3 October 2010. Forty-four parties and "
        "fewer than 500 candidates contested the 217 seats. An estimated 4.1 million voters were "
        "registered. Nearly 12% of ballots were declared invalid.",
    )
    found = facts(rows)
    assert ("ek:partiesContesting", "44", "exact") in found
    assert ("ek:candidatesContesting", "500", "lessThan") in found
    assert ("ek:eligibleVoters", "4100000", "approximately") in found
    assert ("ek:spoiltBallotShare", "12", "approximately") in found
    assert ("ek:electionDate", "2010-10-03", "") in found


def test_a_boycott_list_with_its_reason(project: Path) -> None:
    rows = proposals(
        project,
        "Parliamentary elections were held in Tunisia on 3 October 2010. The Progressive "
        "Democratic Party and the Ettakatol Front boycotted the elections, citing the lack of "
        "independent oversight.",
    )
    callers = {r.value for r in rows if r.property == "ek:callMadeBy"}
    assert callers == {"party:progressive-democratic-party", "party:ettakatol-front"}
    reasons = {r.value for r in rows if r.property == "ek:reason"}
    assert reasons == {"the lack of independent oversight"}


def test_dated_events_take_the_year_from_the_context(project: Path) -> None:
    rows = proposals(
        project,
        "Parliamentary elections were held in Tunisia on 3 October 2010. The Constitutional Court "
        "confirmed the results on 9 October. It rejected all appeals on 14 October.",
    )
    dated = {(r.subject.split("-")[0], r.value) for r in rows if r.property == "schema:startDate"}
    assert ("e:certification", "2010-10-09") in dated
    assert ("e:appeal", "2010-10-14") in dated
    notes = {r.qualifier for r in rows if r.property == "schema:startDate"}
    assert notes == {"year 2010 taken from the context"}
    deciders = {r.value for r in rows if r.property == "ek:decidedBy"}
    assert deciders == {"organisation:constitutional-court"}


def test_an_attack_with_its_casualties(project: Path) -> None:
    rows = proposals(
        project,
        "Parliamentary elections were held in Tunisia on 3 October 2010. On 1 October, gunmen "
        "attacked a polling station in Sfax, killing three soldiers and wounding twelve people.",
    )
    found = facts(rows)
    assert ("ek:deaths", "3", "") in found and ("ek:injuries", "12", "") in found
    assert ("schema:location", "place:sfax", "") in found
    assert ("schema:startDate", "2010-10-01", "year 2010 taken from the context") in found


def test_an_alliance_and_its_member_parties(project: Path) -> None:
    rows = proposals(
        project,
        "The Popular Front, made up of the Workers' Party and the Democratic Patriots' Movement, "
        "won 15 seats.",
    )
    members = {(r.subject, r.value) for r in rows if r.property == "org:memberOf"}
    assert members == {
        ("party:workers-party", "party:popular-front"),
        ("party:democratic-patriots-movement", "party:popular-front"),
    }


def test_women_elected_and_a_leader(project: Path) -> None:
    rows = proposals(
        project,
        "The Democratic Constitutional Rally led by Mohamed Ghannouchi won a majority. Women won "
        "59 seats, a decrease of four.",
    )
    found = facts(rows)
    assert ("ek:seatsWon", "59", "") in found
    assert any(p == "ek:seatChange" and v == "-4" for p, v, _ in found)
    assert ("org:member", "person:mohamed-ghannouchi", "") in found

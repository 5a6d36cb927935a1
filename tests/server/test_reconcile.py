"""/reconcile: the W3C Reconciliation Service API (v0.2) against the real server, in the protocol's JSON shapes."""

from __future__ import annotations

import json

import pytest
import requests

EK = "http://127.0.0.1:5000/ontology#"
PARTY = EK + "PoliticalParty"
PERSON = "http://www.w3.org/ns/person#Person"
ORGANIZATION = "http://www.w3.org/ns/org#Organization"


def batch(url: str, queries: dict, method: str = "post") -> dict:
    send = requests.post if method == "post" else requests.get
    key = "data" if method == "post" else "params"
    response = send(url + "/reconcile", **{key: {"queries": json.dumps(queries)}}, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json()


def results(url: str, query: dict) -> list[dict]:
    return batch(url, {"q0": query})["q0"]["result"]


def test_manifest(url):
    response = requests.get(url + "/reconcile", timeout=10)
    assert response.status_code == 200
    manifest = response.json()
    assert manifest["versions"] == ["0.2"] and manifest["name"] == "election-kg"
    assert manifest["identifierSpace"] == "http://127.0.0.1:5000/id/"
    assert manifest["schemaSpace"] == EK
    assert manifest["view"]["url"] == "http://127.0.0.1:5000/id/{{id}}"
    assert manifest["preview"]["url"] == url + "/reconcile/preview?id={{id}}"
    assert manifest["preview"]["width"] > 0 and manifest["preview"]["height"] > 0
    types = {t["id"]: t["name"] for t in manifest["defaultTypes"]}
    assert (
        types[PARTY] == "political party"
        and PERSON in types
        and EK + "LegislativeElection" in types
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_batch_answers_every_query_by_its_key(url):
    answer = batch(
        url,
        {
            "q0": {"query": "Workers Party"},
            "q1": {"query": "Louisa Hanoune", "limit": 1},
            "q2": {"query": "zzzz"},
        },
    )
    assert set(answer) == {"q0", "q1", "q2"}
    assert len(answer["q1"]["result"]) == 1 and answer["q2"]["result"] == []
    for result in answer["q0"]["result"]:
        assert set(result) >= {"id", "name", "type", "score", "match"}
        assert isinstance(result["score"], int | float) and isinstance(result["match"], bool)
        assert all(set(t) == {"id", "name"} for t in result["type"])


def test_workers_party_without_apostrophe_is_the_party_first_with_a_high_score(url):
    found = results(url, {"query": "Workers Party", "type": PARTY})
    assert found[0]["id"] == "party/algeria/workers-party" and found[0]["name"] == "Workers' Party"
    assert found[0]["score"] == 95 and found[0]["match"] is True
    assert {"id": PARTY, "name": "political party"} in found[0]["type"]
    assert all(r["score"] < 95 and r["match"] is False for r in found[1:])


def test_exact_label_scores_100(url):
    found = results(url, {"query": "Workers' Party"})
    assert (found[0]["id"], found[0]["score"], found[0]["match"]) == (
        "party/algeria/workers-party",
        100,
        True,
    )


def test_fln_is_found_by_its_alternative_name(url):
    found = results(url, {"query": "FLN"})
    assert found[0]["id"] == "party/algeria/national-liberation-front" and found[0]["score"] == 90
    assert found[0]["match"] is False  # an abbreviation is not enough to be sure
    assert "FLN" in found[0]["description"]


def test_a_type_filter_excludes_other_types(url):
    assert results(url, {"query": "Louisa Hanoune"})[0]["id"] == "person/algeria/louisa-hanoune"
    assert results(url, {"query": "Louisa Hanoune", "type": PARTY}) == []
    parties = results(url, {"query": "Hanoune", "type": [PARTY]})
    assert all(PARTY in {t["id"] for t in r["type"]} for r in parties)


def test_a_type_includes_its_subclasses(url):
    found = results(
        url, {"query": "Workers Party", "type": ORGANIZATION}
    )  # a party is an org:FormalOrganization
    assert found[0]["id"] == "party/algeria/workers-party"
    elections = results(
        url, {"query": "2007 Algerian parliamentary election", "type": EK + "Election"}
    )
    assert (
        elections[0]["id"] == "election/2007-algerian-parliamentary-election"
        and elections[0]["score"] == 100
    )


def test_short_type_names_are_understood(url):
    assert results(url, {"query": "Louisa Hanoune", "type": "ek:PoliticalParty"}) == []
    assert (
        results(url, {"query": "Workers Party", "type": "PoliticalParty"})[0]["id"]
        == "party/algeria/workers-party"
    )


def test_accents_and_case_are_folded_and_years_are_not(url):
    found = results(url, {"query": "said sadi"})
    assert (
        found[0]["id"] == "person/algeria/said-sadi"
        and found[0]["name"] == "Saïd Sadi"
        and found[0]["score"] == 95
    )
    elections = results(url, {"query": "2002 Algerian parliamentary election"})
    assert elections[0]["id"] == "election/2002-algerian-parliamentary-election"
    assert "election/2007-algerian-parliamentary-election" not in {r["id"] for r in elections}


def test_similar_names_score_lower_than_exact_ones(url):
    found = results(url, {"query": "Movement of Society for Peace (MSP)"})
    assert (
        found[0]["id"] == "party/algeria/movement-of-society-for-peace"
        and 40 <= found[0]["score"] < 85
    )


def test_get_works_like_post_and_the_single_query_form(url):
    assert batch(url, {"q0": {"query": "FLN"}}, method="get") == batch(
        url, {"q0": {"query": "FLN"}}
    )
    single = requests.get(url + "/reconcile", params={"query": "FLN"}, timeout=10).json()
    assert single["result"][0]["id"] == "party/algeria/national-liberation-front"


def test_preview_is_an_html_card(url):
    response = requests.get(
        url + "/reconcile/preview",
        params={"id": "party/algeria/national-liberation-front"},
        timeout=10,
    )
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert "National Liberation Front" in response.text and "FLN" in response.text
    assert (
        'href="http://127.0.0.1:5000/id/party/algeria/national-liberation-front"' in response.text
    )
    assert (
        requests.get(
            url + "/reconcile/preview", params={"id": "party/nope"}, timeout=10
        ).status_code
        == 404
    )


def test_view_urls_dereference(url):
    manifest = requests.get(url + "/reconcile", timeout=10).json()
    view = manifest["view"]["url"].replace("{{id}}", results(url, {"query": "FLN"})[0]["id"])
    local = view.replace("http://127.0.0.1:5000", url)
    assert requests.get(local, headers={"Accept": "text/turtle"}, timeout=10).status_code == 200


@pytest.mark.parametrize(
    "queries",
    [
        '{"q0": ',
        '["Workers"]',
        '{"q0": {"query": 3}}',
        '{"q0": {"query": "x", "limit": 0}}',
        '{"q0": {"query": "x", "type": 7}}',
    ],
)
def test_bad_queries_are_400_with_a_message(url, queries):
    response = requests.post(
        url + "/reconcile",
        data={"queries": queries},
        headers={"Accept": "application/json"},
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json()["message"]

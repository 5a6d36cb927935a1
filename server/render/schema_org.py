"""schema.org JSON-LD for each page, embedded as `<script type="application/ld+json">` (data, not
script: a Content-Security-Policy without inline scripts still allows it), so that search engines
read what the page is about: its name, type, dates, place and the same things elsewhere."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin

from election_kg.server.render.election import ElectionPage
from election_kg.server.render.resource import ResourcePage

# Our classes (local names in the ek vocabulary, or full IRIs) and the schema.org type closest to each.
SCHEMA_TYPES = {
    "Election": "Event",
    "LegislativeElection": "Event",
    "ElectionEvent": "Event",
    "VotingDay": "Event",
    "Incident": "Event",
    "SecurityOperation": "Event",
    "Certification": "Event",
    "AppealRuling": "Event",
    "PoliticalParty": "PoliticalParty",
    "Legislature": "GovernmentOrganization",
    "ArmedGroup": "Organization",
    "Faction": "Organization",
    "IndependentCandidates": "Organization",
    "Allegation": "CreativeWork",
    "Retraction": "CreativeWork",
    "PublicStatement": "CreativeWork",
    "BoycottCall": "Action",
    "ProseExcerpt": "Quotation",
    "InfoboxLine": "Quotation",
    "SourceDocument": "Article",
    "http://www.w3.org/ns/person#Person": "Person",
    "http://www.w3.org/ns/org#Organization": "Organization",
    "https://schema.org/City": "City",
    "https://schema.org/Country": "Country",
}


def _schema_type(type_iris: list[str], ek: str) -> str:
    for iri in type_iris:
        key = iri[len(ek) :] if iri.startswith(ek) else iri
        if key in SCHEMA_TYPES:
            return SCHEMA_TYPES[key]
    return "Thing"


def dump(data: dict[str, Any]) -> str:
    """JSON that cannot end the <script> element it sits in."""
    return (
        json.dumps(data, ensure_ascii=False, indent=1)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def _absolute(page_url: str, href: str | None) -> str | None:
    """`href` made absolute against the page's own URL (scheme and host)."""
    if not href:
        return None
    return urljoin(page_url, href)


def for_resource(page: ResourcePage, url: str, ek: str) -> str:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": _schema_type([t.iri or "" for t in page.types], ek),
        "@id": page.iri,
        "name": page.label,
        "url": url,
    }
    if page.descriptions:
        data["description"] = page.descriptions[0].text
    same = [v.iri or v.href for row in page.elsewhere for v in row.values if (v.iri or v.href)]
    if same:
        data["sameAs"] = same
    for row in page.rows:
        if row.iri == "https://schema.org/startDate" and row.values:
            data["startDate"] = row.values[0].text
        if row.iri == "http://www.w3.org/2004/02/skos/core#altLabel":
            data["alternateName"] = [v.text for v in row.values]
    if page.excerpt:
        data["text"] = page.excerpt["text"]
    return dump(data)


def for_election(page: ElectionPage, url: str) -> str:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": page.iri,
        "name": page.label,
        "url": url,
    }
    if page.iso_date:
        data["startDate"] = page.iso_date
    for item in page.summary:
        if item.label == "Country" and item.values:
            data["location"] = {"@type": "Country", "name": item.values[0].text}
    if page.elsewhere:
        data["sameAs"] = [v.iri or v.href for v in page.elsewhere]
    events = [e for e in page.timeline if e.iso_date]
    if events:
        data["subEvent"] = [
            {
                "@type": "Event",
                "name": e.title.text,
                "startDate": e.iso_date,
                "url": _absolute(url, e.title.href),
            }
            for e in events
        ]
    return dump(data)


# The schema.org vocabulary as an inline context: readers (and our tests) never fetch schema.org.
DATASET_CONTEXT = {
    "@vocab": "https://schema.org/",
    **{name: {"@type": "@id"} for name in ("url", "license", "contentUrl", "isBasedOn", "sameAs")},
}
DATASET_NAME = "election-kg"
DATASET_DESCRIPTION = (
    "Elections as a knowledge graph built from English Wikipedia articles: results, parties, "
    "leaders and candidates, turnout and seats, each fact with the sentence or infobox line it "
    "was taken from. Also as CSV tables of every result and every election."
)


def coverage(rows: list[dict[str, Any]]) -> tuple[str | None, list[dict[str, Any]]]:
    """The temporal coverage (an ISO 8601 date, or an interval `first/last`) and the countries, from
    the rows of `coverage.rq` (values as plain strings)."""
    days = sorted(
        {r[k] for r in rows for k in ("date", "end") if r.get(k)}
        or {r["year"] for r in rows if r.get("year")}
    )
    temporal = None if not days else days[0] if days[0] == days[-1] else f"{days[0]}/{days[-1]}"
    countries: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.get("countryLabel"):
            place = countries.setdefault(
                r["countryLabel"], {"@type": "Country", "name": r["countryLabel"]}
            )
            if r.get("wikidata"):
                place["sameAs"] = r["wikidata"]
    return temporal, [countries[name] for name in sorted(countries)]


def for_dataset(
    iri: str,
    site: str,
    version: str,
    files: list[dict[str, Any]],
    sources: list[str],
    temporal: str | None,
    places: list[dict[str, Any]],
    license_url: str,
) -> dict[str, Any]:
    """The schema.org `Dataset` of the release, served at `site` (the server's root URL): name,
    description, licence, every published file as a `DataDownload` with its format and URL, the
    SPARQL endpoint, and the temporal and spatial coverage."""
    data: dict[str, Any] = {
        "@context": DATASET_CONTEXT,
        "@type": "Dataset",
        "@id": iri,
        "name": DATASET_NAME,
        "description": DATASET_DESCRIPTION,
        "url": f"{site}dataset",
        "license": license_url,
        "isAccessibleForFree": True,
        "version": version,
        "keywords": ["elections", "election results", "political parties", "linked data"],
        "creator": {"@type": "Organization", "name": DATASET_NAME, "url": site},
        "isBasedOn": sources,
        "distribution": [
            {
                "@type": "DataDownload",
                "name": f["file"],
                "encodingFormat": f["mediaType"],
                "contentUrl": f"{site}download/{f['file']}",
                "contentSize": f"{f['bytes']} B",
            }
            for f in files
        ]
        + [
            {
                "@type": "DataDownload",
                "name": "SPARQL endpoint",
                "encodingFormat": "application/sparql-results+json",
                "contentUrl": f"{site}sparql",
            }
        ],
    }
    if temporal:
        data["temporalCoverage"] = temporal
    if places:
        data["spatialCoverage"] = places
    return data

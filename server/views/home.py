"""The home page (the elections in the data) and what every page's layout needs to know."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

from election_kg.server.http import addresses
from election_kg.server.store import stored_queries
from election_kg.server.store.release import get_release
from election_kg.server.views import findable

blueprint = Blueprint("site", __name__)


@blueprint.app_context_processor
def layout() -> dict[str, Any]:
    return {"data_version": get_release().version}


@blueprint.get("/")
def home() -> str:
    """The elections by country (countries in alphabetical order), newest first within each; past
    `home_elections`, the countries alone, each with its count and years: a page of a thousand
    elections is megabytes that nobody reads, and the country pages list them."""
    release = get_release()
    countries: dict[str, dict[str, Any]] = {}
    for row in stored_queries.select(release, "elections"):
        country = row["country"].value if "country" in row else ""
        group = countries.setdefault(
            country,
            {
                "label": row["countryLabel"].value
                if "countryLabel" in row
                else "Country not stated",
                "href": addresses.href(release.base, country) if country else None,
                "elections": [],
            },
        )
        group["elections"].append(
            {
                "label": row["label"].value,
                "href": addresses.href(release.base, row["election"].value),
                "when": row["date"].value
                if "date" in row
                else (row["year"].value if "year" in row else ""),
                "legislature": row["legislatureLabel"].value if "legislatureLabel" in row else "",
                "results": int(row["results"].value),
            }
        )
    groups = list(countries.values())
    total = sum(len(group["elections"]) for group in groups)
    for group in groups:
        years = sorted(str(e["when"])[:4] for e in group["elections"] if e["when"])
        group["years"] = (
            f"{years[0]}–{years[-1]}" if years and years[0] != years[-1] else "".join(years[:1])
        )
    return render_template(
        "home.html",
        countries=groups,
        elections=total,
        summary=total > current_app.config["SETTINGS"].home_elections,
        triples=release.manifest.get("triples"),
        jsonld=findable.dataset_jsonld(),
    )

"""The home page (the elections in the data) and what every page's layout needs to know."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from election_kg.server.http import addresses
from election_kg.server.store import stored_queries
from election_kg.server.store.release import get_release

blueprint = Blueprint("site", __name__)


@blueprint.app_context_processor
def layout() -> dict[str, Any]:
    return {"data_version": get_release().version}


@blueprint.get("/")
def home() -> str:
    release = get_release()
    elections = []
    for row in stored_queries.select(release, "elections"):
        elections.append(
            {
                "label": row["label"].value,
                "href": addresses.href(release.base, row["election"].value),
                "when": row["date"].value
                if "date" in row
                else (row["year"].value if "year" in row else ""),
                "country": row["countryLabel"].value if "countryLabel" in row else "",
                "legislature": row["legislatureLabel"].value if "legislatureLabel" in row else "",
                "results": int(row["results"].value),
            }
        )
    return render_template(
        "home.html", elections=elections, triples=release.manifest.get("triples")
    )

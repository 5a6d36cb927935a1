"""`/health`: is the server up, and which data version does it serve."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from election_kg.server.store.release import get_release

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def health() -> Response:
    release = get_release()
    return jsonify(status="ok", dataVersion=release.version, triples=release.manifest["triples"])

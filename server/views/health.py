"""`/health`: is the server up, which data version does it serve, and can its store serve it.

With a remote store (`serve --store-endpoint`), the store is asked too (at most every few seconds): a
store that cannot be reached, or that no longer holds this release's graphs (restarted empty), makes
/health answer 503 with the reason, so that a load balancer stops sending pages that would fail.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from election_kg.server.store.release import check_store, get_release
from election_kg.server.store.remote import RemoteStoreError

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def health() -> tuple[Response, int]:
    release = get_release()
    facts = {"dataVersion": release.version, "triples": release.manifest["triples"]}
    try:
        check_store(release)
    except (RemoteStoreError, SyntaxError) as exc:
        return jsonify(status="unavailable", reason=str(exc), **facts), 503
    return jsonify(status="ok", **facts), 200

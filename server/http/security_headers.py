"""Security headers on every response: what a browser may run, load, frame and send on.

- `Content-Security-Policy`: scripts, styles, images and fonts from this origin only; no inline
  script, no inline style, no `eval`, no plugins, no `<base>` rewriting, forms post here only,
  fetches go to this origin only (YASGUI queries `/sparql`). The query page alone also allows, by
  hash, the one `<style>` element YASGUI's results table inserts (see `query_ui`). The pages hold no inline script:
  JSON-LD and the query page's examples are data blocks (`type="application/(ld+)json"`), which
  browsers never execute, so the policy needs no hashes. Escaping (Jinja's autoescape) keeps
  markup out of the pages; this policy is the second line if a value ever slipped through.
- `X-Content-Type-Options: nosniff`: a dump or a query answer is never run as a script or page.
- `X-Frame-Options: DENY` and `frame-ancestors 'none'`: no page can be framed (clickjacking).
  One exception: `/reconcile/preview`, the card OpenRefine shows in a frame of its own pages, which
  is the point of the Reconciliation API's preview; it is a read-only view of public data.
- `Referrer-Policy: no-referrer`: following a link to Wikidata tells it nothing about where from.
The headers are set when the view did not set its own, so a view can be stricter still.
"""

from __future__ import annotations

from flask import Flask, Response, request

POLICY = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
}
FRAMEABLE = ("/reconcile/preview",)  # shown by OpenRefine in a frame: see the module docstring


def content_security_policy(frameable: bool = False, style_hashes: tuple[str, ...] = ()) -> str:
    """The policy; `style_hashes` ('sha256-...') allow those exact inline `<style>` texts (see `query_ui`)."""
    policy = {**POLICY, "frame-ancestors": "*"} if frameable else dict(POLICY)
    if style_hashes:
        policy["style-src"] = " ".join((POLICY["style-src"], *style_hashes))
    return "; ".join(f"{name} {value}" for name, value in policy.items())


CSP = content_security_policy()
CSP_FRAMEABLE = content_security_policy(frameable=True)


# Every response's headers; frameable paths drop X-Frame-Options and allow any frame ancestor.
DEFAULTS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)
FRAMEABLE_DEFAULTS = (
    ("Content-Security-Policy", CSP_FRAMEABLE),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
)


def _secure(response: Response) -> Response:
    for name, value in FRAMEABLE_DEFAULTS if request.path in FRAMEABLE else DEFAULTS:
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_secure)

"""Talk to remote SPARQL services: SELECT through the SPARQL 1.1 Protocol, PUT through the Graph Store Protocol.

Every failure becomes one of two typed errors with its own exit code, so that a command can tell a
person whether the service could not be reached at all (wrong URL, down, timed out) or answered with
an error status (refused query, missing graph store, no permission), and scripts can tell them apart.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from election_kg.common import credentials as store_credentials
from election_kg.common.failures import first_line, reason

AGENT = "election-kg/0.1 (election knowledge graph; linking and loading tools)"
"""Sent as User-Agent: the Wikidata Query Service refuses clients that do not say who they are."""

Row = dict[str, str]


class RemoteError(RuntimeError):
    """A remote service could not do what was asked; `exit_code` is what the command exits with."""

    exit_code = 1


class Unreachable(RemoteError):
    """No HTTP answer: connection refused, unknown host or timeout."""

    exit_code = 3


class Refused(RemoteError):
    """The service answered with an HTTP error status."""

    exit_code = 4


def select(endpoint: str, query: str, timeout: float = 60.0) -> list[Row]:
    """Rows of a SELECT query sent by POST; each row maps a bound variable to its value's lexical form."""
    client = SPARQLWrapper(endpoint, agent=AGENT)
    client.setQuery(query)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(int(timeout))
    try:
        answer: Any = client.queryAndConvert()
    except urllib.error.HTTPError as exc:
        raise Refused(f"{endpoint} answered {exc.code} {exc.reason}: {_body(exc)}") from exc
    except (
        SPARQLWrapperException
    ) as exc:  # SPARQLWrapper's own wrappers of 400, 401, 404, 414 and 500
        raise Refused(f"{endpoint} refused the query: {first_line(str(exc))}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise Unreachable(f"cannot reach {endpoint}: {reason(exc)}") from exc
    if not isinstance(answer, dict) or "results" not in answer:
        raise Refused(f"{endpoint} did not answer with SPARQL JSON results")
    return [
        {name: cell["value"] for name, cell in binding.items()}
        for binding in answer["results"]["bindings"]
    ]


def put(
    url: str,
    body: bytes,
    media_type: str,
    timeout: float = 120.0,
    credentials: store_credentials.Credentials | None = None,
) -> int:
    """PUT `body` to `url`; the HTTP status on success (2xx). With `credentials`, the store's Basic
    or Digest challenge is answered."""
    try:
        authorization = store_credentials.authorization(url, "PUT", credentials, timeout)
    except store_credentials.CredentialsError as exc:
        raise Refused(f"PUT {urllib.parse.unquote(url)} answered 401 Unauthorized: {exc}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise Unreachable(f"cannot reach {urllib.parse.unquote(url)}: {reason(exc)}") from exc
    request = urllib.request.Request(
        url,
        data=body,
        method="PUT",
        headers={"Content-Type": media_type, "User-Agent": AGENT, **authorization},
    )
    opener = store_credentials.opener(url, credentials)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            hint = (
                "the user or password was refused"
                if credentials
                else "the store asks for credentials: pass --user, and the password in "
                f"{store_credentials.PASSWORD_VARIABLE} or ~/.netrc"
            )
            raise Refused(
                f"PUT {urllib.parse.unquote(url)} answered 401 Unauthorized: {hint}"
            ) from exc
        raise Refused(
            f"PUT {urllib.parse.unquote(url)} answered {exc.code} {exc.reason}: {_body(exc)}"
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise Unreachable(f"cannot reach {urllib.parse.unquote(url)}: {reason(exc)}") from exc


def _body(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read(500).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return first_line(text) or "(no message)"

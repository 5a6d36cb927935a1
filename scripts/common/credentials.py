"""Credentials for a store that asks for them: `load --gsp` and `serve --store-endpoint` with `--user`.

The account name comes from `--user`; the password never comes from the command line (where every
user of the machine can read it in the process list): it is the environment variable
`ELECTION_KG_STORE_PASSWORD`, or else the netrc file's entry for the store's host (`~/.netrc`, or
the file the `NETRC` variable names), which may also give the account when `--user` is not given.
Both HTTP schemes stores use are answered: Basic (Fuseki, GraphDB) and Digest (Virtuoso's
`/sparql-graph-crud-auth`), whichever the store's 401 asks for.
"""

from __future__ import annotations

import base64
import netrc
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PASSWORD_VARIABLE = "ELECTION_KG_STORE_PASSWORD"


class CredentialsError(ValueError):
    """A user was named but no password can be found for it."""


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    def __repr__(self) -> str:  # never print the password, even in a traceback
        return f"Credentials(user={self.user!r}, password=***)"


def _netrc_entry(host: str, environ: Mapping[str, str]) -> tuple[str, str] | None:
    path = Path(environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise CredentialsError(f"cannot read {path}: {exc}") from exc
    if entry is None:
        return None
    login, _, password = entry
    return login, password or ""


def find(
    url: str, user: str | None = None, environ: Mapping[str, str] | None = None
) -> Credentials | None:
    """The credentials to send to the store at `url`, or None when none are configured."""
    environ = os.environ if environ is None else environ
    password = environ.get(PASSWORD_VARIABLE)
    if user and password is not None:
        return Credentials(user, password)
    host = urllib.parse.urlsplit(url).hostname or ""
    entry = _netrc_entry(host, environ)
    if entry is not None and (not user or entry[0] == user):
        return Credentials(entry[0], entry[1])
    if user:
        raise CredentialsError(
            f"no password for user {user!r}: set {PASSWORD_VARIABLE}, or add "
            f"`machine {host} login {user} password ...` to ~/.netrc (the password is never "
            "taken from the command line)"
        )
    return None


def _passwords(url: str, credentials: Credentials) -> urllib.request.HTTPPasswordMgr:
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    parts = urllib.parse.urlsplit(url)
    site = f"{parts.scheme}://{parts.netloc}/"  # every path of the store: query, graph store, ...
    passwords.add_password(None, site, credentials.user, credentials.password)
    return passwords


def opener(url: str, credentials: Credentials | None) -> urllib.request.OpenerDirector:
    """A urllib opener that answers the store's Basic or Digest challenge with `credentials`."""
    if credentials is None:
        return urllib.request.build_opener()
    passwords = _passwords(url, credentials)
    return urllib.request.build_opener(
        urllib.request.HTTPDigestAuthHandler(passwords),
        urllib.request.HTTPBasicAuthHandler(passwords),
    )


def authorization(
    url: str, method: str, credentials: Credentials | None, timeout: float
) -> dict[str, str]:
    """The Authorization header for a `method` request to `url`, from the challenge of a bodiless probe.

    A store that refuses a request for want of credentials may close the connection before it has
    read the body (Virtuoso does), so a large PUT must carry its credentials the first time: a HEAD
    of the same URL fetches the challenge (Basic or Digest), answered here. Empty when the store asks
    for nothing (or when there are no credentials).
    """
    if credentials is None:
        return {}
    try:
        urllib.request.build_opener().open(
            urllib.request.Request(url, method="HEAD"), timeout=timeout
        ).close()
        return {}
    except urllib.error.HTTPError as exc:
        challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
    scheme, _, parameters = challenge.partition(" ")
    if scheme.lower() == "digest":
        handler = urllib.request.HTTPDigestAuthHandler(_passwords(url, credentials))
        fields = urllib.request.parse_keqv_list(
            filter(None, urllib.request.parse_http_list(parameters))
        )

        def header(verb: str) -> dict[str, str]:  # Digest signs the method: one answer per request
            answer = handler.get_authorization(urllib.request.Request(url, method=verb), fields)
            return {"Authorization": f"Digest {answer}"} if answer else {}

    elif scheme.lower() == "basic":
        token = base64.b64encode(f"{credentials.user}:{credentials.password}".encode()).decode()

        def header(verb: str) -> dict[str, str]:
            return {"Authorization": f"Basic {token}"}

    else:
        return {}
    try:  # the same probe with the answer: a refused account is told now, not as a broken pipe
        urllib.request.build_opener().open(
            urllib.request.Request(url, method="HEAD", headers=header("HEAD")), timeout=timeout
        ).close()
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            raise CredentialsError(
                f"the store refused user {credentials.user!r} and its password"
            ) from None
    return header(method)

"""Credentials as LiveChat accepts them today: OAuth bearer tokens and personal access tokens.

Web API: `Authorization: Bearer <token>` or `Authorization: Basic base64(<account_id>:<PAT>)`.
RTM `login`: `"token": "Bearer <token>"` or `"token": "Basic <base64>"` (a bare token is taken
as a bearer token, as the v3.0 emulator always did). Customers only have bearer tokens.

Every agent has an access token, an account id (a UUID, the Basic user name) and a PAT, all
persisted in the `agents` table; `ensure_credentials` gives them to agents that lack them (a
database written before PATs existed).
"""

from __future__ import annotations

import base64
import binascii
import secrets
import sqlite3
import uuid
from dataclasses import dataclass, field
from typing import Literal

from lcconsole.emulator.contract import ErrorReply, Principal
from lcconsole.emulator.world.ctx import loads

MAX_CREDENTIAL_CHARS = 512

Kind = Literal["agent", "customer"]


@dataclass(frozen=True)
class Credential:
    """A parsed credential; the secret parts stay out of the repr."""

    scheme: Literal["bearer", "basic"]
    token: str = field(default="", repr=False)  # bearer
    account_id: str = ""  # basic user name
    pat: str = field(default="", repr=False)  # basic password


def _invalid(message: str = "Invalid access token") -> ErrorReply:
    return ErrorReply("authentication", message)


def _usable(value: str) -> bool:
    return bool(value) and value.isprintable() and len(value) <= MAX_CREDENTIAL_CHARS


def parse(value: object, *, bare_is_bearer: bool) -> Credential:
    """`"Bearer <token>"` / `"Basic <base64(account_id:pat)>"` (and, when `bare_is_bearer`, a
    bare token) -> Credential; anything else -> `authentication`."""
    if not isinstance(value, str) or not value.strip():
        raise _invalid("Missing access token (Bearer or Basic)")
    scheme, sep, rest = value.strip().partition(" ")
    rest = rest.strip()
    if sep and scheme.lower() == "bearer":
        if not _usable(rest):
            raise _invalid()
        return Credential("bearer", token=rest)
    if sep and scheme.lower() == "basic":
        return _basic(rest)
    if bare_is_bearer and not sep and _usable(value.strip()):
        return Credential("bearer", token=value.strip())
    raise _invalid("Authorization must be 'Bearer <token>' or 'Basic <base64(account_id:PAT)>'")


def _basic(encoded: str) -> Credential:
    if not _usable(encoded):
        raise _invalid("Invalid Basic credentials")
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise _invalid("Invalid Basic credentials: not base64 of <account_id>:<PAT>") from None
    account_id, sep, pat = decoded.partition(":")
    if not sep or not _usable(account_id) or not _usable(pat):
        raise _invalid("Invalid Basic credentials: expected <account_id>:<PAT>")
    return Credential("basic", account_id=account_id, pat=pat)


def principal_for(conn: sqlite3.Connection, credential: Credential, kind: Kind) -> Principal:
    """The principal a credential belongs to (the caller holds the engine's lock)."""
    try:
        if kind == "customer":
            if credential.scheme != "bearer":
                raise _invalid("Customers authenticate with a Bearer token")
            row = conn.execute("SELECT id FROM customers WHERE token=?", (credential.token,)).fetchone()
            if row is None:
                raise _invalid()
            return Principal("customer", row["id"])
        if credential.scheme == "bearer":
            row = conn.execute("SELECT id, scopes FROM agents WHERE token=?", (credential.token,)).fetchone()
        else:
            row = conn.execute(
                "SELECT id, scopes, pat FROM agents WHERE account_id=?", (credential.account_id,)
            ).fetchone()
            if row is not None and not secrets.compare_digest(row["pat"].encode(), credential.pat.encode()):
                row = None
    except UnicodeEncodeError:  # lone surrogates cannot be looked up: no such credential
        row = None
    if row is None:
        raise _invalid()
    return Principal("agent", row["id"], frozenset(loads(row["scopes"], [])))


def new_account_id() -> str:
    """A LiveChat account id (a UUID)."""
    return str(uuid.uuid4())


def new_pat() -> str:
    """A personal access token in the data-center style of the real ones (`dal:...`)."""
    return "dal:" + secrets.token_urlsafe(27)


def basic_header(account_id: str, pat: str) -> str:
    """`Basic base64(account_id:pat)`, the Authorization value of a PAT."""
    return "Basic " + base64.b64encode(f"{account_id}:{pat}".encode()).decode("ascii")


def ensure_credentials(conn: sqlite3.Connection) -> None:
    """Give every agent without an account id or PAT a new one (inside the caller's transaction)."""
    rows = conn.execute("SELECT id, account_id, pat FROM agents WHERE account_id IS NULL OR pat IS NULL").fetchall()
    for row in rows:
        conn.execute(
            "UPDATE agents SET account_id=?, pat=? WHERE id=?",
            (row["account_id"] or new_account_id(), row["pat"] or new_pat(), row["id"]),
        )

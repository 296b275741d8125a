"""httpx clients for tests that talk to a local emulator over plain http.

httpx builds a certificate-verifying SSL context for every client it creates and loads the CA
bundle each time: about 16 ms on an idle machine and over half a second on a loaded two-core one.
Helpers that open a client per call paid that on every call, which was a large part of the UI
tests' time. These clients take the console's own context for the URL (`ssl_context_for`): for
plain http one without certificates (it is never used, and an https URL fails verification), for
https the shared verifying one. A test that needs its own context passes `verify=`.
"""

from __future__ import annotations

from typing import Any

import httpx

from lcconsole.api.base import ssl_context_for


def client(base_url: str = "", **kwargs: Any) -> httpx.Client:
    """An `httpx.Client` for `base_url` (or for absolute URLs on a local emulator)."""
    kwargs.setdefault("verify", ssl_context_for(base_url or "http:"))
    return httpx.Client(base_url=base_url, **kwargs)


def async_client(base_url: str = "", **kwargs: Any) -> httpx.AsyncClient:
    """The async twin of `client`."""
    kwargs.setdefault("verify", ssl_context_for(base_url or "http:"))
    return httpx.AsyncClient(base_url=base_url, **kwargs)


def request(method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request on a fresh client, like `httpx.request`."""
    with client(verify=kwargs.pop("verify", ssl_context_for(url)), timeout=kwargs.pop("timeout", 10)) as http:
        return http.request(method, url, **kwargs)


def post(url: str, **kwargs: Any) -> httpx.Response:
    """`httpx.post` without loading the CA bundle."""
    return request("POST", url, **kwargs)


def get(url: str, **kwargs: Any) -> httpx.Response:
    """`httpx.get` without loading the CA bundle."""
    return request("GET", url, **kwargs)

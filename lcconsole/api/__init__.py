"""Async client for the LiveChat Agent Chat Web API v3.0 (no Textual imported here).

Names are loaded on first use (PEP 562): `lcconsole.api.errors` alone (what the RTM client
needs) does not import httpx and the transport.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors
    from lcconsole.api.base import DEFAULT_BASE_URL, build_payload, shared_ssl_context
    from lcconsole.api.client import AgentClient
    from lcconsole.api.errors import (
        ERROR_CLASSES,
        ApiError,
        AuthenticationError,
        AuthorizationError,
        ClientClosedError,
        EntityTooLargeError,
        FileTooLargeError,
        InternalError,
        LiveChatConnectionError,
        LiveChatError,
        LiveChatTimeoutError,
        NotFoundError,
        RequestValidationError,
        ResponseValidationError,
        TooManyRequestsError,
        TransportError,
        ValidationError,
    )
    from lcconsole.api.retry import RetryPolicy

_HOME = {"DEFAULT_BASE_URL": "base", "build_payload": "base", "shared_ssl_context": "base",
         "AgentClient": "client", "RetryPolicy": "retry"}
_SUBMODULES = {"areas", "base", "client", "errors", "retry", "uploads"}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOME.get(name, 'errors')}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "DEFAULT_BASE_URL",
    "ERROR_CLASSES",
    "AgentClient",
    "ApiError",
    "AuthenticationError",
    "AuthorizationError",
    "ClientClosedError",
    "EntityTooLargeError",
    "FileTooLargeError",
    "InternalError",
    "LiveChatConnectionError",
    "LiveChatError",
    "LiveChatTimeoutError",
    "NotFoundError",
    "RequestValidationError",
    "ResponseValidationError",
    "RetryPolicy",
    "TooManyRequestsError",
    "TransportError",
    "ValidationError",
    "build_payload",
    "shared_ssl_context",
]

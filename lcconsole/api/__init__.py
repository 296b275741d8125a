"""Async client for the LiveChat Agent Chat Web API, v3.0 and (`AgentClient(version="3.6")`) v3.6
(no Textual imported here)."""

from lcconsole.api.base import DEFAULT_BASE_URL, build_payload, shared_ssl_context
from lcconsole.api.client import AgentClient
from lcconsole.api.retry import RetryPolicy
from lcconsole.errors import (
    ERROR_CLASSES,
    ApiError,
    ApiValidationError,
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
)

__all__ = [
    "DEFAULT_BASE_URL",
    "ERROR_CLASSES",
    "AgentClient",
    "ApiError",
    "ApiValidationError",
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
    "build_payload",
    "shared_ssl_context",
]

"""The client's one error tree, rooted at `LiveChatError` (Web API and RTM alike: no httpx here).

    LiveChatError(type, message, status, data)
    ├── ApiError                      the server answered with an error (unknown types land here)
    │   ├── ApiValidationError        one subclass per error type of docs/api-notes.md §3.2 …
    │   │   └── RequestValidationError    … raised client-side, before any request
    │   ├── EntityTooLargeError
    │   │   └── FileTooLargeError         … raised client-side, before any byte is sent
    │   ├── TooManyRequestsError (retry_after)
    │   └── …
    ├── TransportError                nothing usable came back
    │   ├── LiveChatConnectionError
    │   └── LiveChatTimeoutError
    ├── ResponseValidationError       a 2xx answer that does not match the response model
    └── ClientClosedError

`error_for(type, message, status, data)` picks the class from the registry; `error_from_status`
maps a non-JSON error body by its HTTP status. Messages never contain the bearer token (the client
scrubs them).
"""

from __future__ import annotations

from typing import Any, ClassVar

from lcconsole.wire.errors import ERROR_TYPES

ERROR_CLASSES: dict[str, type[ApiError]] = {}
"""Error type -> exception class, filled by `ApiError` subclasses declaring `error_type`."""


class LiveChatError(Exception):
    """Base of every error the client raises: `.type`, `.message`, `.status`, `.data`."""

    def __init__(
        self,
        type: str,
        message: str,
        status: int | None = None,
        data: dict[str, Any] | None = None,
        *,
        action: str | None = None,
    ) -> None:
        self.type = type
        self.message = message
        self.status = status
        self.data = data
        self.action = action
        super().__init__(type, message)

    def __str__(self) -> str:
        return f"{self.type}: {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(type={self.type!r}, message={self.message!r}, status={self.status!r})"


class ApiError(LiveChatError):
    """The server refused the request with `{"error": {"type", "message"}}` (generic / unknown type)."""

    error_type: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        error_type = cls.__dict__.get("error_type")
        if error_type:
            ERROR_CLASSES.setdefault(error_type, cls)


def _make(name: str, error_type: str, doc: str) -> type[ApiError]:
    return type(name, (ApiError,), {"error_type": error_type, "__doc__": doc, "__module__": __name__})


class ApiValidationError(ApiError):
    """`validation`: bad or missing parameters."""

    error_type: ClassVar[str | None] = "validation"


class RequestValidationError(ApiValidationError):
    """A request the client refuses to send (bad arguments, missing file); `.field` names the field."""

    error_type = None

    def __init__(self, message: str, *, field: str | None = None, action: str | None = None) -> None:
        super().__init__("validation", message, None, None, action=action)
        self.field = field


class EntityTooLargeError(ApiError):
    """`entity_too_large`: upload over the 10 MB limit."""

    error_type: ClassVar[str | None] = "entity_too_large"


class FileTooLargeError(EntityTooLargeError):
    """An upload refused by the client before any byte was sent."""

    error_type = None

    def __init__(self, message: str, *, size: int, limit: int, action: str | None = None) -> None:
        super().__init__("entity_too_large", message, None, {"size": size, "limit": limit}, action=action)
        self.size = size
        self.limit = limit


class TooManyRequestsError(ApiError):
    """`too_many_requests`: rate limited; `.retry_after` seconds from the Retry-After header."""

    error_type = "too_many_requests"

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after


class MisdirectedRequestError(ApiError):
    """`misdirected_request`: use the region in `.region` (from `data.region`)."""

    error_type = "misdirected_request"

    @property
    def region(self) -> str | None:
        return (self.data or {}).get("region")


InternalError = _make("InternalError", "internal", "`internal`: internal server error.")
AuthorizationError = _make("AuthorizationError", "authorization", "`authorization`: not allowed (scope/access).")
AuthenticationError = _make("AuthenticationError", "authentication", "`authentication`: invalid or expired token.")
RequestTimeoutError = _make("RequestTimeoutError", "request_timeout", "`request_timeout`: the server timed out (15 s).")
LicenseExpiredError = _make("LicenseExpiredError", "license_expired", "`license_expired`.")
UnsupportedVersionError = _make("UnsupportedVersionError", "unsupported_version", "`unsupported_version`.")
WrongProductVersionError = _make("WrongProductVersionError", "wrong_product_version", "`wrong_product_version`.")
LicenseNotFoundError = _make("LicenseNotFoundError", "license_not_found", "`license_not_found`.")
RequesterOfflineError = _make("RequesterOfflineError", "requester_offline", "`requester_offline`: RTM login needed.")
RequesterAlreadyOfflineError = _make(
    "RequesterAlreadyOfflineError", "requester_already_offline", "`requester_already_offline`."
)
ChatInactiveError = _make("ChatInactiveError", "chat_inactive", "`chat_inactive`: the chat has no active thread.")
LimitReachedError = _make("LimitReachedError", "limit_reached", "`limit_reached`: a resource limit.")
CustomerBannedError = _make("CustomerBannedError", "customer_banned", "`customer_banned`.")
NotFoundError = _make("NotFoundError", "not_found", "`not_found`: no such entity.")
AlreadyExistsError = _make("AlreadyExistsError", "already_exists", "`already_exists`.")
NotAllowedError = _make("NotAllowedError", "not_allowed", "`not_allowed`.")
MissingAccessError = _make("MissingAccessError", "missing_access", "`missing_access`.")
AgentOfflineError = _make("AgentOfflineError", "agent_offline", "`agent_offline`.")
ChatAnonymizedError = _make("ChatAnonymizedError", "chat_anonymized", "`chat_anonymized`.")
ServiceUnavailableError = _make("ServiceUnavailableError", "service_unavailable", "`service_unavailable`.")
PendingRequestsLimitReachedError = _make(
    "PendingRequestsLimitReachedError", "pending_requests_limit_reached", "`pending_requests_limit_reached`."
)
RequesterAwaitingApprovalError = _make(
    "RequesterAwaitingApprovalError", "requester_awaiting_approval", "`requester_awaiting_approval`."
)
RequesterSuspendedError = _make("RequesterSuspendedError", "requester_suspended", "`requester_suspended`.")
SeatsLimitExceededError = _make("SeatsLimitExceededError", "seats_limit_exceeded", "`seats_limit_exceeded`.")
UsersLimitReachedError = _make("UsersLimitReachedError", "users_limit_reached", "`users_limit_reached`.")
GroupNotFoundError = _make("GroupNotFoundError", "group_not_found", "`group_not_found`.")
GroupOfflineError = _make("GroupOfflineError", "group_offline", "`group_offline`.")
GroupUnavailableError = _make("GroupUnavailableError", "group_unavailable", "`group_unavailable`.")
GroupsOfflineError = _make("GroupsOfflineError", "groups_offline", "`groups_offline`.")
GreetingNotFoundError = _make("GreetingNotFoundError", "greeting_not_found", "`greeting_not_found`.")


class TransportError(LiveChatError):
    """No usable answer. `request_sent` is False when the request surely never reached the server."""

    def __init__(
        self, type: str, message: str, *, request_sent: bool, retryable: bool = True, action: str | None = None
    ) -> None:
        super().__init__(type, message, None, None, action=action)
        self.request_sent = request_sent
        self.retryable = retryable


class LiveChatConnectionError(TransportError):
    """Could not connect, or the connection broke."""


class LiveChatTimeoutError(TransportError):
    """The request timed out on the client side."""


class ResponseValidationError(LiveChatError):
    """A successful response that does not match the action's model; names action and field."""

    def __init__(self, action: str, field: str, problem: str, status: int | None = None) -> None:
        where = f"{field}: " if field else ""
        super().__init__(
            "response_validation", f"{action}: unexpected response: {where}{problem}", status, None, action=action
        )
        self.field = field
        self.problem = problem


class ClientClosedError(LiveChatError):
    """The client was used after `aclose()`."""

    def __init__(self) -> None:
        super().__init__("client_closed", "the AgentClient is closed")


_STATUS_TYPES = {
    400: "validation",
    401: "authentication",
    402: "license_expired",
    403: "authorization",
    404: "not_found",
    409: "already_exists",
    413: "entity_too_large",
    421: "misdirected_request",
    429: "too_many_requests",
    500: "internal",
    502: "service_unavailable",
    503: "service_unavailable",
    504: "request_timeout",
}


TRANSIENT_TYPES = frozenset({"internal", "service_unavailable", "request_timeout", "too_many_requests"})


def is_transient(error: LiveChatError) -> bool:
    """The failure may pass by itself: connection trouble, timeouts, 5xx and rate limits (worth
    trying again later; whether the client may re-send it at once is `api.retry.classify`)."""
    if isinstance(error, TransportError):
        return True
    return error.type in TRANSIENT_TYPES or (error.status or 0) >= 500


def error_for(
    error_type: str,
    message: str | None,
    status: int | None = None,
    data: dict[str, Any] | None = None,
    *,
    action: str | None = None,
    retry_after: float | None = None,
) -> ApiError:
    """The exception for a server error of `error_type` (ApiError for unknown types)."""
    cls = ERROR_CLASSES.get(error_type, ApiError)
    text = message or ERROR_TYPES.get(error_type, ("Error",))[0]
    if issubclass(cls, TooManyRequestsError):
        return cls(error_type, text, status, data, action=action, retry_after=retry_after)
    return cls(error_type, text, status, data, action=action)


def type_for_status(status: int) -> str:
    """The error type a bare HTTP status stands for: `internal` for other 5xx, `validation` for
    other 4xx, `unexpected_status` (a generic ApiError) for anything else, e.g. a redirect."""
    if status in _STATUS_TYPES:
        return _STATUS_TYPES[status]
    if status >= 500:
        return "internal"
    return "validation" if status >= 400 else "unexpected_status"


def error_from_status(
    status: int, reason: str, body_excerpt: str = "", *, action: str | None = None, retry_after: float | None = None
) -> ApiError:
    """An error for a non-JSON (or non-envelope) error body, typed by its HTTP status."""
    text = f"HTTP {status} {reason}".strip()
    if body_excerpt:
        text = f"{text}: {body_excerpt}"
    return error_for(type_for_status(status), text, status, None, action=action, retry_after=retry_after)

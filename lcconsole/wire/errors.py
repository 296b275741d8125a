"""LiveChat error types (docs/api-notes.md §3.2) with their default messages and the HTTP status we use.

The spec documents no status per type (docs/api-notes.md §3.3); these are the obvious ones, shared by the
emulator (which answers with them) and the client (which falls back on them when a body is
unreadable).
"""

from __future__ import annotations

from typing import Any

ERROR_TYPES: dict[str, tuple[str, int]] = {
    "internal": ("Internal server error", 500),
    "validation": ("Wrong format of request", 400),
    "authorization": ("Authorization error", 403),
    "authentication": ("Authentication error", 401),
    "request_timeout": ("Request timed out", 504),
    "license_expired": ("License expired", 402),
    "unsupported_version": ("Unsupported version", 400),
    "misdirected_request": ("Wrong region", 421),
    "entity_too_large": ("Upload limit exceeded (10MB)", 413),
    "wrong_product_version": ("Wrong product version", 400),
    "license_not_found": ("License not found", 404),
    "requester_offline": ("Requester offline", 400),
    "requester_already_offline": ("Requester is already offline", 400),
    "chat_inactive": ("Chat is inactive", 400),
    "too_many_requests": ("Too many requests", 429),
    "limit_reached": ("Limit reached", 429),
    "customer_banned": ("Customer is banned", 403),
    "not_found": ("Not found", 404),
    "already_exists": ("Already exists", 409),
    "not_allowed": ("Not allowed", 403),
    "missing_access": ("Missing access", 403),
    "agent_offline": ("Agent is offline", 400),
    "chat_anonymized": ("Chat is anonymized", 400),
    "service_unavailable": ("Service unavailable", 503),
    "pending_requests_limit_reached": ("Pending requests limit reached", 429),
    "requester_awaiting_approval": ("Requester is awaiting approval", 403),
    "requester_suspended": ("Requester is suspended", 403),
    "seats_limit_exceeded": ("Seats limit exceeded", 402),
    "users_limit_reached": ("Users limit reached", 400),
    "group_not_found": ("Group not found", 404),
    "group_offline": ("Group is offline", 400),
    "group_unavailable": ("Group is unavailable", 400),
    "groups_offline": ("Groups are offline", 400),
    "greeting_not_found": ("Greeting not found", 404),
}


def status_for(error_type: str) -> int:
    """HTTP status for an error type (500 for unknown types)."""
    return ERROR_TYPES.get(error_type, ("", 500))[1]


def envelope(error_type: str, message: str | None = None, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """The LiveChat error body: `{"error": {"type", "message", "data"?}}`."""
    error: dict[str, Any] = {"type": error_type, "message": message or ERROR_TYPES.get(error_type, ("Error", 0))[0]}
    if data:
        error["data"] = data
    return {"error": error}

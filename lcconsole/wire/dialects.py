"""The client's one seam between API versions: a `Dialect` per version.

A dialect says where a version lives (action and RTM paths), which actions it has (the version's
action table), how uploads are sent, and where its request, response and push models are. The
Web client (`lcconsole.api`) and the RTM connection (`lcconsole.rtm`) take everything
version-specific from here; the facts themselves stay in the version's modules (`wire.*` for
v3.0, `wire.v36.*` for v3.6). Model modules are imported on first use (start-up time).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, get_args, get_origin

if TYPE_CHECKING:
    from pydantic import BaseModel


LIVECHAT_HOST = "api.livechatinc.com"
"""LiveChat's own API host (regional hosts are `api-<region>.livechatinc.com`)."""
DEFAULT_BASE_URL = f"https://{LIVECHAT_HOST}"
"""Where LiveChat serves the API: the base URL when none is configured."""


def build_list_items_first(model: type[BaseModel]) -> type[BaseModel]:
    """Build the models of `model`'s list items (e.g. the login's `ChatSummary`) ahead of it.

    The models are `defer_build`: each builds its validator on first use. An item model used
    on its own later (the store keeps every chat summary as JSON) would otherwise build its
    schema a second time; built first, it is reused by `model`'s (~18 ms less CPU before the
    chat list shows)."""
    for field in model.model_fields.values():
        if get_origin(field.annotation) is list:
            for item in get_args(field.annotation):
                if isinstance(item, type) and not getattr(item, "__pydantic_complete__", True):
                    item.model_rebuild()  # type: ignore[attr-defined]
    return model


@dataclass(frozen=True, eq=False)
class Dialect:
    """One Agent Chat API version as the client speaks it."""

    version: str
    actions_module: str
    requests_module: str
    responses_module: str
    pushes_module: str
    form_prefix: str = ""
    """Prefix of multipart form field names (`payload.` in v3.0)."""
    check_action: str = "list_chats"
    """A cheap read every agent may call: `lcconsole login` checks credentials with it."""

    @property
    def action_path(self) -> str:
        """`/v3.x/agent/action/` (the action name follows)."""
        return f"/v{self.version}/agent/action/"

    @property
    def rtm_path(self) -> str:
        """The agent RTM websocket path."""
        return f"/v{self.version}/agent/rtm/ws"

    @cached_property
    def actions(self) -> Mapping[str, Any]:
        """Web action name -> its spec (`idempotent`, `multipart`, `scopes`, `area`)."""
        table = importlib.import_module(self.actions_module).ACTIONS
        return {name: spec for name, spec in table.items() if getattr(spec, "web", True)}

    @cached_property
    def upload_parts(self) -> Mapping[str, str]:
        """Actions that take a file -> the name of their file part (from the action table)."""
        return {name: spec.file_part for name, spec in self.actions.items() if spec.file_part}

    @cached_property
    def request_models(self) -> Mapping[str, type[BaseModel]]:
        """Action -> request model (Web and RTM actions)."""
        models: Mapping[str, type[BaseModel]] = importlib.import_module(self.requests_module).REQUEST_MODELS
        return models

    @cached_property
    def response_models(self) -> Mapping[str, type[BaseModel] | None]:
        """Action -> response model, None for actions without a response payload."""
        models: Mapping[str, type[BaseModel] | None] = importlib.import_module(self.responses_module).RESPONSE_MODELS
        return models

    @cached_property
    def login_response(self) -> type[BaseModel]:
        """The model of the RTM login response (its list items' models built first)."""
        model: type[BaseModel] = importlib.import_module(self.responses_module).LoginResponse
        return build_list_items_first(model)

    @cached_property
    def parse_push(self) -> Callable[..., Any]:
        """`parse_push(action, payload, request_id)` of this version."""
        parse: Callable[..., Any] = importlib.import_module(self.pushes_module).parse_push
        return parse

    @cached_property
    def disconnect_rules(self) -> tuple[frozenset[str], dict[str, str]] | None:
        """(reasons not to reconnect after, human sentences) for `agent_disconnected`, when the
        version's push module defines its own (`STOP_REASONS`, `REASON_TEXT`); else None."""
        module = importlib.import_module(self.pushes_module)
        stop = getattr(module, "STOP_REASONS", None)
        return (frozenset(stop), dict(getattr(module, "REASON_TEXT", {}))) if stop is not None else None

    def __repr__(self) -> str:
        return f"Dialect({self.version!r})"


V30 = Dialect(
    "3.0",
    "lcconsole.wire.actions",
    "lcconsole.wire.requests",
    "lcconsole.wire.objects",
    "lcconsole.wire.pushes",
    "payload.",
    "get_chats_summary",
)
V36 = Dialect(
    "3.6",
    "lcconsole.wire.v36.actions",
    "lcconsole.wire.v36.requests",
    "lcconsole.wire.v36.responses",
    "lcconsole.wire.v36.push_models",
)

DIALECTS: dict[str, Dialect] = {d.version: d for d in (V36, V30)}
"""Every version the client speaks; 3.6 is what LiveChat serves, 3.0 only the local emulator."""


def dialect(version: str | Dialect) -> Dialect:
    """The dialect of `version` ("3.6", "v3.6", "3.0"); ValueError for others."""
    if isinstance(version, Dialect):
        return version
    key = str(version).strip().lstrip("v")
    try:
        return DIALECTS[key]
    except KeyError:
        raise ValueError(f"unsupported API version {version!r} (use {' or '.join(DIALECTS)})") from None

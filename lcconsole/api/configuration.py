"""`ConfigurationClient`: the Configuration API action the console reads (group names).

LiveChat's Configuration API sits beside the Agent Chat API on the same host, with the same
credentials: `POST /v3.6/configuration/action/<action>`. The console needs one action of it,
`list_groups` (scope `groups--all:ro`), to show group names instead of numbers. It is sent over
an agent client's connection, so the token, TLS settings and error tree are that client's.
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from lcconsole.api.base import BaseClient
from lcconsole.errors import LiveChatError, ResponseValidationError
from lcconsole.wire.validation import first_problem

CONFIGURATION_VERSION = "3.6"
"""The Configuration API version spoken (its versions do not follow the Agent Chat API's)."""


class Group(BaseModel):
    """One group of `list_groups` (unknown fields kept)."""

    model_config = ConfigDict(extra="allow")
    id: int
    name: str = ""
    language_code: str | None = None
    routing_status: str | None = None
    agent_priorities: dict[str, str] | None = None


class ConfigurationClient:
    """`ConfigurationClient(agent_client).list_groups()` -> `[Group]`; failures are
    `LiveChatError`s like the agent client's (httpx exceptions never leak)."""

    def __init__(self, agent: BaseClient, *, version: str = CONFIGURATION_VERSION) -> None:
        self._agent = agent
        self.version = version

    def __repr__(self) -> str:
        return f"ConfigurationClient(version={self.version!r}, base_url={self._agent.base_url!r})"

    async def list_groups(self, *, fields: list[str] | None = None) -> list[Group]:
        """Every group of the account (`fields`: `routing_status`, `agent_priorities`)."""
        raw = await self._post("list_groups", {"fields": fields} if fields else {})
        if not isinstance(raw, list):
            raise ResponseValidationError("list_groups", "", "the body is not a JSON array")
        try:
            return [Group.model_validate(item) for item in raw]
        except PydanticValidationError as exc:
            field, problem = first_problem(exc)
            raise ResponseValidationError("list_groups", field, problem) from None

    async def _post(self, action: str, body: dict[str, Any]) -> Any:
        agent = self._agent
        url = f"{agent.base_url}/v{self.version}/configuration/action/{action}"
        failure: LiveChatError | None = None
        try:
            response = await agent._http().post(url, json=body)
        except httpx.HTTPError as exc:
            failure = agent._transport_error(exc, action)
        if failure is not None:  # raised outside the except block: no httpx exception chained
            raise failure
        if not response.is_success:
            raise agent._error_from_response(response, action)
        try:
            return response.json()
        except ValueError:
            raise ResponseValidationError(action, "", "the body is not JSON", response.status_code) from None

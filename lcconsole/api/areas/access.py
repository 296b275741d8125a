"""chat access: grant_access, revoke_access, set_access."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from lcconsole.api.areas import Invoker

if TYPE_CHECKING:  # annotations only: the request models load on the first request
    from lcconsole.wire import requests as rq

Resource = Literal["chat", "customer"]


class AccessMixin:
    """Changing which groups or agents can see a chat or customer."""

    async def grant_access(
        self: Invoker, *, resource: Resource, id: str, access: rq.AccessChange | dict[str, Any]
    ) -> None:
        """Grant access (`access={"type": "group", "id": 1}`)."""
        await self._invoke("grant_access", {"resource": resource, "id": id, "access": access})

    async def revoke_access(
        self: Invoker, *, resource: Resource, id: str, access: rq.AccessChange | dict[str, Any]
    ) -> None:
        """Revoke access."""
        await self._invoke("revoke_access", {"resource": resource, "id": id, "access": access})

    async def set_access(
        self: Invoker, *, resource: Resource, id: str, access: rq.AccessChange | dict[str, Any]
    ) -> None:
        """Replace the access with the given one."""
        await self._invoke("set_access", {"resource": resource, "id": id, "access": access})

"""customers: ban_customer, create_customer, get_customers, update_customer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lcconsole.api.areas import Invoker
from lcconsole.wire import objects as o

if TYPE_CHECKING:  # annotations only: the request models load on the first request
    from lcconsole.wire import requests as rq


class CustomersMixin:
    """Customer records and bans."""

    async def ban_customer(self: Invoker, *, customer_id: str, ban: rq.Ban | dict[str, Any]) -> None:
        """Ban a customer for `ban={"days": n}`."""
        await self._invoke("ban_customer", {"customer_id": customer_id, "ban": ban})

    async def create_customer(
        self: Invoker,
        *,
        name: str | None = None,
        email: str | None = None,
        avatar: str | None = None,
        fields: dict[str, str] | None = None,
    ) -> o.Customer:
        """Create a customer; returns it."""
        return await self._invoke("create_customer", {"name": name, "email": email, "avatar": avatar, "fields": fields})

    async def get_customers(
        self: Invoker,
        *,
        page_id: str | None = None,
        limit: int | None = None,
        order: rq.Order | None = None,
        filters: rq.CustomerFilters | dict[str, Any] | None = None,
    ) -> o.GetCustomersResponse:
        """List customers, filtered and paginated by `page_id`."""
        return await self._invoke(
            "get_customers", {"page_id": page_id, "limit": limit, "order": order, "filters": filters}
        )

    async def update_customer(
        self: Invoker,
        *,
        customer_id: str,
        name: str | None = None,
        email: str | None = None,
        avatar: str | None = None,
        fields: dict[str, str] | None = None,
    ) -> o.Customer:
        """Update a customer; returns it."""
        return await self._invoke(
            "update_customer",
            {"customer_id": customer_id, "name": name, "email": email, "avatar": avatar, "fields": fields},
        )

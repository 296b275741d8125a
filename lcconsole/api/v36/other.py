"""v3.6 customers, status and the docs' "Other" group."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lcconsole.api.areas import Invoker

if TYPE_CHECKING:  # annotations only: the models load on the first request
    from lcconsole.wire.v36 import requests as rq
    from lcconsole.wire.v36 import responses as r


class OtherMixin36:
    """Customers, routing status, seen markers, indicators, multicast, transfer candidates and
    AI thread summaries."""

    async def get_customer(self: Invoker, *, id: str) -> r.Customer:
        """One customer, with `chat_ids` and visit details."""
        return await self._invoke("get_customer", {"id": id})

    async def update_customer(
        self: Invoker,
        *,
        id: str,
        name: str | None = None,
        email: str | None = None,
        avatar: str | None = None,
        session_fields: list[dict[str, str]] | None = None,
        phone_number: str | None = None,
        omnichannel: dict[str, Any] | None = None,
        address: dict[str, str] | None = None,
    ) -> None:
        """Change a customer's details (at least one of them)."""
        await self._invoke(
            "update_customer",
            {
                "id": id,
                "name": name,
                "email": email,
                "avatar": avatar,
                "session_fields": session_fields,
                "phone_number": phone_number,
                "omnichannel": omnichannel,
                "address": address,
            },
        )

    async def ban_customer(self: Invoker, *, id: str, ban: rq.Ban | dict[str, Any]) -> None:
        """Ban a customer for `ban={"days": n}`."""
        await self._invoke("ban_customer", {"id": id, "ban": ban})

    async def set_routing_status(self: Invoker, *, status: str, agent_id: str | None = None) -> None:
        """`accepting_chats` / `not_accepting_chats` for me or `agent_id`."""
        await self._invoke("set_routing_status", {"status": status, "agent_id": agent_id})

    async def list_routing_statuses(
        self: Invoker, *, filters: rq.GroupFilters | dict[str, Any] | None = None
    ) -> r.ListRoutingStatusesResponse:
        """Every agent's routing status (iterable of `agent_id`, `status`)."""
        return await self._invoke("list_routing_statuses", {"filters": filters})

    async def mark_events_as_seen(self: Invoker, *, chat_id: str, seen_up_to: str) -> None:
        """Mark the chat's events as seen up to an RFC 3339 time."""
        await self._invoke("mark_events_as_seen", {"chat_id": chat_id, "seen_up_to": seen_up_to})

    async def send_thinking_indicator(
        self: Invoker,
        *,
        chat_id: str,
        title: str | None = None,
        description: str | None = None,
        visibility: str | None = None,
        custom_id: str | None = None,
    ) -> None:
        """Show that an answer is being prepared."""
        await self._invoke(
            "send_thinking_indicator",
            {
                "chat_id": chat_id,
                "title": title,
                "description": description,
                "visibility": visibility,
                "custom_id": custom_id,
            },
        )

    async def send_typing_indicator(
        self: Invoker, *, chat_id: str, is_typing: bool, visibility: str | None = None
    ) -> None:
        """Tell the chat the agent is (not) typing."""
        await self._invoke(
            "send_typing_indicator", {"chat_id": chat_id, "is_typing": is_typing, "visibility": visibility}
        )

    async def multicast(
        self: Invoker, *, recipients: rq.MulticastRecipients | dict[str, Any], content: Any, type: str | None = None
    ) -> None:
        """Send arbitrary JSON `content` to agents (`recipients={"agents": {"all": True}}`)."""
        await self._invoke("multicast", {"recipients": recipients, "content": content, "type": type})

    async def list_agents_for_transfer(self: Invoker, *, chat_id: str) -> r.ListAgentsForTransferResponse:
        """Agents the chat can go to, fewest active chats first (iterable of `agent_id`,
        `total_active_chats`)."""
        return await self._invoke("list_agents_for_transfer", {"chat_id": chat_id})

    async def request_thread_summary(self: Invoker, *, chat_id: str, thread_id: str) -> None:
        """Ask for an AI summary of a thread; it arrives as `thread_summary_set` (or `incoming_error`)."""
        await self._invoke("request_thread_summary", {"chat_id": chat_id, "thread_id": thread_id})

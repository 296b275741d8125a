"""The gateway in Agent Chat API v3.0 (the local emulator's first dialect): the v3.0 client's
actions; its models are the canonical ones already."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import Any

from lcconsole.gateway.base import Capability, Gateway, start_chat_body

SEARCH_LIMIT = 20  # customers a search shows
SEARCH_SCAN = 100  # newest customers matched by substring when no exact filter finds one
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def customer_filters(query: str) -> dict[str, Any] | None:
    """Customer-list filters for a picker query: e-mail if it has '@', id if a UUID, else name."""
    q = query.strip()
    if not q:
        return None
    key = "email" if "@" in q else "customer_id" if _UUID.match(q) else "name"
    return {key: {"values": [q]}}


class Gateway30(Gateway):
    """Every wish through `AgentClient(version="3.0")` and its RTM connection."""

    version = "3.0"
    capabilities = frozenset(
        {Capability.ACCESS, Capability.CUSTOMER_LIST, Capability.NEW_CUSTOMER, Capability.SEND_AS_IMAGE}
    )

    # --- reading --------------------------------------------------------------------------------

    async def chat_summaries(self, *, limit: int, page_id: str | None = None) -> Any:
        return await self.client.get_chats_summary(limit=limit, page_id=page_id)

    async def chat(self, chat_id: str, thread_id: str | None = None) -> Any:
        """`get_chat_threads`, its events held compact for the store (`wire.compact_events`)."""
        from lcconsole.wire.compact_events import chat_threads_answer

        payload: dict[str, Any] = {"chat_id": chat_id}
        if thread_id:
            payload["thread_ids"] = [thread_id]
        raw = await self.client.call("get_chat_threads", payload, undecoded=True)  # parsed as validated
        return self.client.parse_response("get_chat_threads", raw, chat_threads_answer).chat

    async def thread_ids(self, chat_id: str) -> tuple[list[tuple[str, int]], bool]:
        resp = await self.client.get_chat_threads_summary(chat_id=chat_id, order="desc", limit=100)
        return [(t.id or "", t.order or 0) for t in resp.threads_summary], not resp.next_page_id

    async def archives(self, *, filters: dict[str, Any] | None = None, pagination: dict[str, int] | None = None) -> Any:
        return await self.client.get_archives(filters=filters, pagination=pagination)

    async def customers(self, **request: Any) -> Any:
        return await self.client.get_customers(**request)

    async def search_customers(self, query: str) -> list[Any]:
        """The query first goes to the customer list as an exact filter (`customer_filters`:
        e-mail, id or name); when that finds nobody, the newest customers are matched by
        substring of name, e-mail or id (the API has no substring filter), so "jan" finds "Jane"."""
        filters = customer_filters(query)
        if filters:
            found = (await self.client.get_customers(limit=SEARCH_LIMIT, filters=filters)).customers
            if found:
                return list(found)
        resp = await self.client.get_customers(limit=SEARCH_SCAN if filters else SEARCH_LIMIT)
        q = query.casefold().strip()
        return [c for c in resp.customers if not q or any(q in (v or "").casefold() for v in (c.name, c.email, c.id))][
            :SEARCH_LIMIT
        ]

    # --- chats ----------------------------------------------------------------------------------

    async def take(self, chat_id: str, my_id: str) -> None:
        await self.client.add_user_to_chat(chat_id=chat_id, user_id=my_id, user_type="agent")

    async def close(self, chat_id: str) -> None:
        await self.client.close_thread(chat_id=chat_id)

    async def reopen(self, chat_id: str) -> Any:
        return (await self.client.activate_chat(chat={"id": chat_id})).chat

    async def follow(self, chat_id: str) -> None:
        await self.client.follow_chat(chat_id=chat_id)

    async def unfollow(self, chat_id: str) -> None:
        await self.client.unfollow_chat(chat_id=chat_id)

    async def transfer(self, chat_id: str, request: Any) -> None:
        await self.client.transfer_chat(
            chat_id=chat_id, target={"type": request.target_type, "ids": list(request.ids)}, force=request.force
        )

    async def add_user(self, chat_id: str, user_id: str, user_type: str = "agent") -> None:
        await self.client.add_user_to_chat(chat_id=chat_id, user_id=user_id, user_type=user_type)

    async def remove_user(self, chat_id: str, user_id: str, user_type: str = "agent") -> None:
        await self.client.remove_user_from_chat(chat_id=chat_id, user_id=user_id, user_type=user_type)

    async def change_access(self, chat_id: str, action: str, group_id: int) -> None:
        call = {"grant": self.client.grant_access, "revoke": self.client.revoke_access, "set": self.client.set_access}[
            action
        ]
        await call(resource="chat", id=chat_id, access={"type": "group", "id": group_id})

    async def tag(self, chat_id: str, thread_id: str, tag: str) -> None:
        await self.client.tag_chat_thread(chat_id=chat_id, thread_id=thread_id, tag=tag)

    async def untag(self, chat_id: str, thread_id: str, tag: str) -> None:
        await self.client.untag_chat_thread(chat_id=chat_id, thread_id=thread_id, tag=tag)

    async def _properties(
        self, verb: str, level: str, properties: Any, chat_id: str, thread_id: str | None, event_id: str | None
    ) -> None:
        ids: dict[str, Any] = {"chat_id": chat_id}
        if level != "chat":
            ids["thread_id"] = thread_id
        if level == "event":
            ids["event_id"] = event_id
        prefix = {"chat": "chat", "thread": "chat_thread", "event": "event"}[level]
        await getattr(self.client, f"{verb}_{prefix}_properties")(properties=properties, **ids)

    async def start_chat(self, request: Any) -> Any:
        return (await self.client.start_chat(chat=start_chat_body(request, "recipients"))).chat

    # --- events ---------------------------------------------------------------------------------

    async def send_text(
        self, chat_id: str, text: str, *, custom_id: str, note: bool = False, recipients: str = "all"
    ) -> tuple[str, Any] | None:
        event = {"type": "message", "text": text, "recipients": recipients, "custom_id": custom_id}
        resp = await self.client.send_event(chat_id=chat_id, event=event, attach_to_last_thread=True if note else None)
        return (resp.thread_id, resp.event) if resp.event is not None else None

    async def attach(
        self, chat_id: str, path: Path, *, custom_id: str, as_image: bool = False
    ) -> tuple[str, Any] | None:
        if not as_image:
            await self.client.send_file(chat_id=chat_id, file=path, custom_id=custom_id)
            return None
        image = await self.client.upload_image(image=path)
        event = {
            "type": "file",
            "url": image.url,
            "name": path.name,
            "custom_id": custom_id,
            "content_type": mimetypes.guess_type(path.name)[0] or "application/octet-stream",
            "size": path.stat().st_size,
            "recipients": "all",
        }
        resp = await self.client.send_event(chat_id=chat_id, event=event)
        return (resp.thread_id, resp.event) if resp.event is not None else None

    async def press_button(self, chat_id: str, thread_id: str, event_id: str, postback_id: str, toggled: bool) -> None:
        await self.client.send_rich_message_postback(
            chat_id=chat_id, thread_id=thread_id, event_id=event_id, postback={"id": postback_id, "toggled": toggled}
        )

    async def typing(self, chat_id: str, is_typing: bool) -> None:
        await self.client.send_typing_indicator(chat_id=chat_id, is_typing=is_typing)

    async def mark_seen(self, chat_id: str) -> int | None:
        resp = await self.client.update_last_seen_timestamp(chat_id=chat_id)
        return resp.timestamp if resp is not None else None

    # --- customers and the console --------------------------------------------------------------

    async def update_customer(self, data: Any) -> Any:
        return await self.client.update_customer(customer_id=data.customer_id, **_customer_fields(data))

    async def new_customer(self, data: Any) -> Any:
        return await self.client.create_customer(**_customer_fields(data))

    async def ban(self, customer_id: str, days: int) -> None:
        await self.client.ban_customer(customer_id=customer_id, ban={"days": days})

    async def multicast(self, request: Any) -> None:
        scopes: dict[str, Any] = {}
        if agents := _agents_scope(request):
            scopes["agents"] = agents
        if request.customer_ids:
            scopes["customers"] = {"ids": list(request.customer_ids)}
        await self.client.multicast(scopes=scopes, content=request.content, type=request.type or None)

    async def set_routing(self, agent_id: str, status: str) -> None:
        await self.client.update_agent(agent_id=agent_id, routing_status=status)


def _agents_scope(request: Any) -> dict[str, Any]:
    """The `agents` part of a multicast's recipients (only what was chosen)."""
    agents: dict[str, Any] = {}
    if request.all_agents:
        agents["all"] = True
    if request.agent_ids:
        agents["ids"] = list(request.agent_ids)
    if request.group_ids:
        agents["groups"] = list(request.group_ids)
    return agents


def _customer_fields(data: Any) -> dict[str, Any]:
    return {k: getattr(data, k) for k in ("name", "email", "avatar", "fields") if getattr(data, k) is not None}

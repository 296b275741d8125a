"""The gateway in Agent Chat API v3.6 (what LiveChat serves): the v3.6 client's actions, every
answer and push converted to the canonical model by `wire.v36.canonical`."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from lcconsole.gateway.base import Capability, Gateway, ended_threads_of, start_chat_body
from lcconsole.wire import objects as o
from lcconsole.wire.v36 import canonical as cv
from lcconsole.wire.v36 import canonical_json as cj


class Gateway36(Gateway):
    """Every wish through `AgentClient(version="3.6")` and its RTM connection."""

    version = "3.6"
    capabilities = frozenset(
        {
            Capability.THREAD_SUMMARY,
            Capability.THINKING_INDICATOR,
            Capability.VISITORS,
            Capability.TRANSFER_CANDIDATES,
            Capability.ROUTING_STATUSES,
        }
    )

    def __init__(self, client: Any, rtm: Any) -> None:
        super().__init__(client, rtm)
        self._archive_pages: dict[tuple[str, int], str] = {}

    # the login read as the canonical model at once: the v3.6 one is neither imported nor built
    # before the chat list (a malformed answer is still checked by it: `cv.read_login`)
    read_login = staticmethod(cv.read_login)

    def canonical_login(self, login: Any) -> Any:
        return login if isinstance(login, o.LoginResponse) else cv.login(login)

    def canonical_pushes(self, push: Any) -> list[Any]:
        from lcconsole.wire.v36.canonical_pushes import push as canonical  # with the first push

        return canonical(push)

    # --- reading --------------------------------------------------------------------------------

    async def chat_summaries(self, *, limit: int, page_id: str | None = None) -> Any:
        from lcconsole.wire.objects import GetChatsSummaryResponse

        # a page_id carries the first request's limit and filters: sending them again is refused
        resp = await (self.client.list_chats(page_id=page_id) if page_id else self.client.list_chats(limit=limit))
        return GetChatsSummaryResponse(
            chats_summary=cv.summaries(resp.chats_summary),
            found_chats=resp.found_chats,
            next_page_id=resp.next_page_id,
            previous_page_id=resp.previous_page_id,
        )

    async def chat(self, chat_id: str, thread_id: str | None = None) -> Any:
        return cv.chat(await self.client.get_chat(chat_id=chat_id, thread_id=thread_id))

    async def thread_ids(self, chat_id: str) -> tuple[list[tuple[str, int]], bool]:
        resp = await self.client.list_threads(chat_id=chat_id, sort_order="desc", limit=100)
        return ([(t.id or "", cj.order_of(t.created_at) or 0) for t in resp.threads], not resp.next_page_id)

    async def archives(self, *, filters: dict[str, Any] | None = None, pagination: dict[str, int] | None = None) -> Any:
        page = int((pagination or {}).get("page") or 1)
        limit = (pagination or {}).get("limit")
        key = json.dumps(filters or {}, sort_keys=True, default=str)
        page_id = self._archive_pages.get((key, page)) if page > 1 else None
        if page_id:
            resp = await self.client.list_archives(page_id=page_id)
        else:
            page = 1
            resp = await self.client.list_archives(filters=_archive_filters(filters or {}), limit=limit)
        if resp.next_page_id:
            self._archive_pages[(key, page + 1)] = resp.next_page_id
        return cv.archives(resp, page)

    async def customer_archives(self, customer: Any) -> list[Any]:
        resp = await self.client.list_archives(filters={"customer_id": customer.id}, limit=100)
        return ended_threads_of(cv.archives(resp, 1).chats, customer.id)

    async def search_customers(self, query: str) -> list[Any]:
        """v3.6 has no customer list: an exact customer id finds that customer, else nothing."""
        from lcconsole.errors import ApiError

        q = query.strip()
        if len(q) < 8 or " " in q or "@" in q:
            return []
        try:
            return [cv.customer(await self.client.get_customer(id=q))]
        except ApiError:
            return []

    # --- chats ----------------------------------------------------------------------------------

    async def take(self, chat_id: str, my_id: str) -> None:
        await self.client.add_user_to_chat(
            chat_id=chat_id, user_id=my_id, user_type="agent", visibility="all", ignore_requester_presence=True
        )

    async def close(self, chat_id: str) -> None:
        await self.client.deactivate_chat(id=chat_id, ignore_requester_presence=True)

    async def reopen(self, chat_id: str) -> Any:
        resumed = await self.client.resume_chat(chat={"id": chat_id})
        return await self.chat(chat_id, resumed.thread_id)

    async def follow(self, chat_id: str) -> None:
        await self.client.follow_chat(id=chat_id)

    async def unfollow(self, chat_id: str) -> None:
        await self.client.unfollow_chat(id=chat_id)

    async def transfer(self, chat_id: str, request: Any) -> None:
        await self.client.transfer_chat(
            id=chat_id,
            target={"type": request.target_type, "ids": list(request.ids)},
            ignore_agents_availability=bool(request.force),
            ignore_requester_presence=True,
        )

    async def add_user(self, chat_id: str, user_id: str, user_type: str = "agent") -> None:
        await self.client.add_user_to_chat(
            chat_id=chat_id, user_id=user_id, user_type=user_type, visibility="all", ignore_requester_presence=True
        )

    async def remove_user(self, chat_id: str, user_id: str, user_type: str = "agent") -> None:
        await self.client.remove_user_from_chat(
            chat_id=chat_id, user_id=user_id, user_type=user_type, ignore_requester_presence=True
        )

    async def tag(self, chat_id: str, thread_id: str, tag: str) -> None:
        await self.client.tag_thread(chat_id=chat_id, thread_id=thread_id, tag=tag)

    async def untag(self, chat_id: str, thread_id: str, tag: str) -> None:
        await self.client.untag_thread(chat_id=chat_id, thread_id=thread_id, tag=tag)

    async def _properties(
        self, verb: str, level: str, properties: Any, chat_id: str, thread_id: str | None, event_id: str | None
    ) -> None:
        if level == "chat":
            await getattr(self.client, f"{verb}_chat_properties")(id=chat_id, properties=properties)
        elif level == "thread":
            await getattr(self.client, f"{verb}_thread_properties")(
                chat_id=chat_id, thread_id=thread_id, properties=properties
            )
        else:
            await getattr(self.client, f"{verb}_event_properties")(
                chat_id=chat_id, thread_id=thread_id, event_id=event_id, properties=properties
            )

    async def start_chat(self, request: Any) -> Any:
        started = await self.client.start_chat(chat=start_chat_body(request, "visibility"))
        return await self.chat(started.chat_id, started.thread_id)

    # --- events ---------------------------------------------------------------------------------

    async def send_text(
        self, chat_id: str, text: str, *, custom_id: str, note: bool = False, recipients: str = "all"
    ) -> tuple[str, Any] | None:
        event = {"type": "message", "text": text, "visibility": recipients, "custom_id": custom_id}
        await self.client.send_event(chat_id=chat_id, event=event, attach_to_last_thread=True if note else None)
        return None  # v3.6 answers with the id only: the event arrives by push

    async def attach(
        self, chat_id: str, path: Path, *, custom_id: str, as_image: bool = False
    ) -> tuple[str, Any] | None:
        uploaded = await self.client.upload_file(file=path)
        await self.client.send_event(
            chat_id=chat_id, event={"type": "file", "url": uploaded.url, "custom_id": custom_id, "visibility": "all"}
        )
        return None

    async def press_button(self, chat_id: str, thread_id: str, event_id: str, postback_id: str, toggled: bool) -> None:
        await self.client.send_rich_message_postback(
            chat_id=chat_id, thread_id=thread_id, event_id=event_id, postback={"id": postback_id, "toggled": toggled}
        )

    async def typing(self, chat_id: str, is_typing: bool) -> None:
        await self.client.send_typing_indicator(chat_id=chat_id, is_typing=is_typing)

    async def mark_seen(self, chat_id: str) -> int | None:
        now = time.time()
        await self.client.mark_events_as_seen(chat_id=chat_id, seen_up_to=cj.rfc3339(now))
        return int(now)

    # --- customers and the console --------------------------------------------------------------

    async def update_customer(self, data: Any) -> Any:
        fields = None if data.fields is None else [{k: v} for k, v in data.fields.items()]
        await self.client.update_customer(
            id=data.customer_id, name=data.name, email=data.email, avatar=data.avatar, session_fields=fields
        )
        return cv.customer(await self.client.get_customer(id=data.customer_id))

    async def ban(self, customer_id: str, days: int) -> None:
        await self.client.ban_customer(id=customer_id, ban={"days": days})

    async def multicast(self, request: Any) -> None:
        if request.customer_ids:
            raise self._unsupported("a multicast to customers")
        agents: dict[str, Any] = {}
        if request.all_agents:
            agents["all"] = True
        if request.agent_ids:
            agents["ids"] = list(request.agent_ids)
        if request.group_ids:
            agents["groups"] = list(request.group_ids)
        await self.client.multicast(recipients={"agents": agents}, content=request.content, type=request.type or None)

    async def set_routing(self, agent_id: str, status: str) -> None:
        await self.client.set_routing_status(status=status, agent_id=agent_id)

    # --- only in v3.6 ---------------------------------------------------------------------------

    async def request_summary(self, chat_id: str, thread_id: str) -> None:
        await self.client.request_thread_summary(chat_id=chat_id, thread_id=thread_id)

    async def transfer_candidates(self, chat_id: str) -> list[tuple[str, int]]:
        resp = await self.client.list_agents_for_transfer(chat_id=chat_id)
        return [(a.agent_id, a.total_active_chats or 0) for a in resp]

    async def routing_statuses(self) -> dict[str, str]:
        return {s.agent_id: s.status or "" for s in await self.client.list_routing_statuses()}

    async def watch_visitors(self, group_ids: list[int] | None = None) -> tuple[str, list[Any]]:
        resp = await self.rtm.subscribe_customers(group_ids=group_ids)
        return resp.subscription_id, [cv.customer(c) for c in resp.customers]

    async def unwatch_visitors(self, subscription: str) -> None:
        await self.rtm.unsubscribe_customers(subscription_id=subscription)

    async def thinking(self, chat_id: str, title: str | None = None, description: str | None = None) -> None:
        await self.client.send_thinking_indicator(chat_id=chat_id, title=title, description=description)


def _archive_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """The archives browser's filters (dates `YYYY-MM-DD`, `agent_ids`, `tags` list) in v3.6."""
    out: dict[str, Any] = {}
    for key, value in filters.items():
        if value in (None, "", [], {}):
            continue
        if key == "date_from":
            out["from"] = f"{value}T00:00:00.000000Z"
        elif key == "date_to":
            out["to"] = f"{value}T23:59:59.999999Z"
        elif key == "agent_ids":
            out["agents"] = {"values": list(value)}
        elif key == "tags":
            out["tags"] = value if isinstance(value, dict) else {"values": list(value)}
        else:
            out[key] = value
    return out

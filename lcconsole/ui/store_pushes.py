"""Applying canonical pushes (`wire.pushes`, `wire.canonical`) to the `Store`, idempotently.

`apply_push(store, push)` returns the `Changes` (empty when the push changed nothing, e.g. the
same push twice or an event that was already fetched) and notifies the store's listeners. A push
is handled by its canonical class, whatever API version sent it (the gateway converted it). Every
handler changes a chat's summary through `Store.edit_chat`, naming the parts it touches, so a
fetch that was in flight cannot undo the push (`store_merge`). A push class without a handler
is logged once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from lcconsole.ui import store_extras as extras
from lcconsole.ui.store import Changes, Store
from lcconsole.wire import canonical as wc
from lcconsole.wire import pushes as wp

log = logging.getLogger(__name__)


def _set_props(obj: Any, properties: Any, deleted: dict | None = None) -> bool:
    from lcconsole.wire.objects import Properties

    current = obj.properties or Properties({})
    new = current.without(deleted) if deleted is not None else current.merged(properties)
    if new == current or (not new and obj.properties is None):
        return False
    obj.properties = new
    return True


def _thread(store: Store, chat_id: str, thread_id: str | None) -> Any:
    return store.threads.get(chat_id, {}).get(thread_id or "")


def _last_thread(summary: Any, thread_id: str | None) -> Any:
    last = summary.last_thread_summary if summary is not None else None
    return last if last is not None and last.id == thread_id else None


def _event(store: Store, chat_id: str, thread_id: str, event_id: str) -> Any:
    thread = _thread(store, chat_id, thread_id)
    for event in thread.events if thread else ():
        if event.id == event_id:
            return event
    return None


def _on_chat_thread(store: Store, p: Any) -> Changes:
    store.touch(p.chat.id or "", "users", "thread", "events", "properties", "access", "is_followed")
    return store._merge_chat(p.chat)


def _on_event(store: Store, p: Any) -> Changes:
    store.touch(p.chat_id, "events")
    changes = store._add_event(p.chat_id, p.thread_id, p.event)
    author = getattr(p.event, "author_id", None)
    typing = store.typing.get(p.chat_id)
    if typing and typing.author_id == author:
        store.typing.pop(p.chat_id, None)
        changes.typing.add(p.chat_id)
    if p.chat_id not in store.chats:
        changes.refetch.add(p.chat_id)
    return changes


def _on_postback(store: Store, p: Any) -> Changes:
    store.touch(p.chat_id, "events")
    event = _event(store, p.chat_id, p.thread_id, p.event_id)
    changed = False
    for element in getattr(event, "elements", None) or ():
        for button in element.buttons:
            if button.postback_id != p.postback.id:
                continue
            has = p.user_id in button.user_ids
            if p.postback.toggled and not has:
                button.user_ids.append(p.user_id)
                changed = True
            elif not p.postback.toggled and has:
                button.user_ids.remove(p.user_id)
                changed = True
    return Changes().event_changed(p.chat_id, p.thread_id, p.event_id) if changed else Changes()


def _on_typing(store: Store, p: Any) -> Changes:
    ti = p.typing_indicator
    if ti.author_id == store.my_id:
        return Changes()
    on = (ti.model_extra or {}).get("is_typing", True) is not False
    typing = store.typing.get(p.chat_id)
    if on and typing and typing.author_id == ti.author_id:
        typing.until = max(typing.until, store.typing.ttl_from_now())
        return Changes()
    if on:
        store.typing.start(p.chat_id, ti.author_id, typing.text if typing else None)
    elif store.typing.pop(p.chat_id, None) is None:
        return Changes()
    return Changes(typing={p.chat_id})


def _on_sneak_peek(store: Store, p: Any) -> Changes:
    sp = p.sneak_peek
    typing = store.typing.get(p.chat_id)
    if typing and typing.author_id == sp.author_id and typing.text == sp.text:
        return Changes()
    store.typing.start(p.chat_id, sp.author_id, sp.text)
    return Changes(typing={p.chat_id})


def _on_thread_closed(store: Store, p: Any) -> Changes:
    changes = Changes()
    with store.edit_chat(p.chat_id, "thread") as summary:
        loaded = _thread(store, p.chat_id, p.thread_id)
        for obj in (loaded, _last_thread(summary, p.thread_id)):
            if obj is not None and obj.active is not False:
                obj.active = False
                changes.chats.add(p.chat_id)
                if obj is loaded:
                    changes.thread_changed(p.chat_id, p.thread_id)
        if summary is not None and _last_thread(summary, p.thread_id) is None:
            changes.refetch.add(p.chat_id)
    return changes


def _on_access(store: Store, p: Any) -> Changes:
    from lcconsole.wire.objects import Access

    if p.resource != "chat":
        return Changes()
    with store.edit_chat(p.id, "access") as summary:
        if summary is None:
            return Changes()
        had = set(summary.access.group_ids if summary.access else ())
        if isinstance(p, wp.AccessSetPush):
            groups = sorted(set(p.access.group_ids))
        elif isinstance(p, wp.AccessGrantedPush):
            groups = sorted(had | set(p.access.group_ids))
        else:
            groups = sorted(had - set(p.access.group_ids))
        if summary.access is not None and sorted(summary.access.group_ids) == groups:
            return Changes()
        summary.access = Access(group_ids=groups)
    return Changes(chats={p.id}, refetch={p.id})


def _on_transferred(store: Store, p: Any) -> Changes:
    store.touch(p.chat_id)
    return Changes(chats={p.chat_id}, refetch={p.chat_id}) if p.chat_id in store.chats else Changes()


def _on_user_added(store: Store, p: Any) -> Changes:
    if not p.user.id:
        return Changes(refetch={p.chat_id})
    changes = Changes()
    with store.edit_chat(p.chat_id, "users", "thread") as summary:
        if summary is None:
            return Changes(refetch={p.chat_id})
        if not any(u.id == p.user.id for u in summary.users):
            summary.users.append(p.user)
            changes.chats.add(p.chat_id)
        for obj in (_thread(store, p.chat_id, p.thread_id), _last_thread(summary, p.thread_id)):
            if obj is not None and p.user.id not in obj.user_ids:
                obj.user_ids.append(p.user.id)
                changes.chats.add(p.chat_id)
    if getattr(p.user, "type", None) == "agent":
        store.put_agents([p.user])
    if p.user.id == store.my_id and changes:  # it became mine: read what was said before I joined
        changes.refetch.add(p.chat_id)
    return changes


def _on_user_removed(store: Store, p: Any) -> Changes:
    changes = Changes()
    with store.edit_chat(p.chat_id, "users", "thread") as summary:
        if summary is None:
            return Changes()
        users = [u for u in summary.users if u.id != p.user_id]
        if len(users) != len(summary.users):
            summary.users = users
            changes.chats.add(p.chat_id)
        for obj in (_thread(store, p.chat_id, p.thread_id), _last_thread(summary, p.thread_id)):
            if obj is not None and p.user_id in obj.user_ids:
                obj.user_ids.remove(p.user_id)
                changes.chats.add(p.chat_id)
    return changes


def _on_props(store: Store, p: Any) -> Changes:
    deleted = p.properties if isinstance(p, wp.ChatPropertiesDeletedPush) else None
    props = None if deleted is not None else p.properties
    part = "events" if hasattr(p, "event_id") else "thread" if hasattr(p, "thread_id") else "properties"
    changed = False
    with store.edit_chat(p.chat_id, part) as summary:
        if part == "properties":
            targets = [summary]
        elif part == "thread":
            targets = [_thread(store, p.chat_id, p.thread_id), _last_thread(summary, p.thread_id)]
        else:
            targets = [_event(store, p.chat_id, p.thread_id, p.event_id)]
        for obj in targets:
            if obj is not None:
                changed |= _set_props(obj, props, deleted)
    if not changed:
        return Changes()
    changes = Changes(chats={p.chat_id})
    if part == "events":
        changes.event_changed(p.chat_id, p.thread_id, p.event_id)
    elif part == "thread" and targets[0] is not None:
        changes.thread_changed(p.chat_id, p.thread_id)
    return changes


def _on_tag(store: Store, p: Any) -> Changes:
    changes = Changes()
    with store.edit_chat(p.chat_id, "thread") as summary:
        loaded = _thread(store, p.chat_id, p.thread_id)
        for obj in (loaded, _last_thread(summary, p.thread_id)):
            if obj is None:
                continue
            untag = isinstance(p, wp.ChatThreadUntaggedPush)
            if untag == (p.tag in obj.tags):
                if untag:
                    obj.tags.remove(p.tag)
                else:
                    obj.tags.append(p.tag)
                changes.chats.add(p.chat_id)
                if obj is loaded:
                    changes.thread_changed(p.chat_id, p.thread_id)
    return changes


def _on_last_seen(store: Store, p: Any) -> Changes:
    store.touch(p.chat_id)
    return store._set_last_seen(p.chat_id, p.user_id, p.timestamp)


def _on_customer(store: Store, p: Any) -> Changes:
    from lcconsole.wire.objects import Customer

    if isinstance(p, wp.CustomerCreatedPush):
        return store._put_customer(p.customer)
    if isinstance(p, wp.CustomerUpdatedPush):
        return store._put_customer(Customer.model_validate(p.to_payload() | {"type": "customer"}))
    if isinstance(p, wp.CustomerBannedPush):
        return store._put_customer(Customer(id=p.customer_id, banned=True))
    old = store.customers.get(p.customer_id)
    if old is None:
        return Changes()
    visit = old.last_visit.model_dump(exclude_unset=True) if old.last_visit else {}
    if isinstance(p, wp.CustomerVisitStartedPush):
        visit = {
            "started_at": p.started_at,
            "ip": p.ip,
            "user_agent": p.user_agent,
            "geolocation": p.geolocation.model_dump() if p.geolocation else None,
            "last_pages": [],
        }
    elif isinstance(p, wp.CustomerVisitEndedPush):
        visit["ended_at"] = p.ended_at
    else:
        pages = list(visit.get("last_pages") or [])
        page = {"opened_at": p.opened_at, "url": p.url, "title": p.title}
        if page in pages:
            return Changes()
        visit["last_pages"] = pages + [page]
    return store._put_customer(Customer(id=p.customer_id, last_visit=visit))


def _on_agent(store: Store, p: Any) -> Changes:
    agent = store.agents.get(p.agent_id)
    changes = Changes()
    if agent is not None and agent.routing_status != p.routing_status:
        agent.routing_status = p.routing_status
        changes.profile = True
    if store.me is not None and store.me.id == p.agent_id and store.me.routing_status != p.routing_status:
        store.me.routing_status = p.routing_status
        changes.profile = True
    return changes


def _on_multicast(store: Store, p: Any) -> Changes:
    store.multicasts.append(p)
    author = p.author_id or "system"
    return Changes(notices=[f"multicast from {author}: {p.content!r}"[:300]])


def _on_unfollowed(store: Store, p: Any) -> Changes:
    with store.edit_chat(p.chat_id, "is_followed") as summary:
        if summary is None or summary.is_followed is False:
            return Changes()
        summary.is_followed = False
    return Changes(chats={p.chat_id}, refetch={p.chat_id})


def _on_summary(store: Store, p: Any) -> Changes:
    thread = _thread(store, p.chat_id, p.thread_id)
    if thread is None:
        return Changes(refetch={p.chat_id}) if p.chat_id in store.chats else Changes()
    if thread.summary == p.summary:
        return Changes()
    thread.summary = p.summary
    return Changes().thread_changed(p.chat_id, p.thread_id)


HANDLERS: dict[type, Callable[[Store, Any], Changes]] = {
    wp.IncomingChatThreadPush: _on_chat_thread,
    wp.IncomingEventPush: _on_event,
    wp.EventUpdatedPush: _on_event,
    wp.IncomingRichMessagePostbackPush: _on_postback,
    wp.IncomingMulticastPush: _on_multicast,
    wp.IncomingTypingIndicatorPush: _on_typing,
    wp.IncomingSneakPeekPush: _on_sneak_peek,
    wp.ThreadClosedPush: _on_thread_closed,
    wp.AccessGrantedPush: _on_access,
    wp.AccessRevokedPush: _on_access,
    wp.AccessSetPush: _on_access,
    wp.ChatTransferredPush: _on_transferred,
    wp.ChatUserAddedPush: _on_user_added,
    wp.ChatUserRemovedPush: _on_user_removed,
    wp.ChatPropertiesUpdatedPush: _on_props,
    wp.ChatPropertiesDeletedPush: _on_props,
    wp.ChatThreadPropertiesUpdatedPush: _on_props,
    wp.ChatThreadPropertiesDeletedPush: _on_props,
    wp.EventPropertiesUpdatedPush: _on_props,
    wp.EventPropertiesDeletedPush: _on_props,
    wp.ChatThreadTaggedPush: _on_tag,
    wp.ChatThreadUntaggedPush: _on_tag,
    wp.LastSeenTimestampUpdatedPush: _on_last_seen,
    wp.CustomerCreatedPush: _on_customer,
    wp.CustomerUpdatedPush: _on_customer,
    wp.CustomerBannedPush: _on_customer,
    wp.CustomerVisitStartedPush: _on_customer,
    wp.CustomerVisitEndedPush: _on_customer,
    wp.CustomerPageUpdatedPush: _on_customer,
    wp.AgentUpdatedPush: _on_agent,
    wc.ChatUnfollowed: _on_unfollowed,
    wc.ThreadSummaryReady: _on_summary,
    wc.ThreadSummaryFailed: lambda store, p: Changes(notices=["the AI summary of a thread could not be made"]),
    wc.ThinkingIndicator: lambda store, p: extras.apply_thinking(
        store, p.chat_id, p.author_id or "", p.title, p.description
    ),
    wc.EventDeleted: lambda store, p: extras.apply_deleted_event(store, p.chat_id, p.thread_id, p.event_id),
    wc.VisitorsSeen: lambda store, p: extras.apply_visitors_seen(store, p.customers),
    wc.VisitorLeft: lambda store, p: extras.apply_visitor_left(store, p.customer_id, p.left_at),
}
"""Canonical push class -> handler (AgentDisconnectedPush is the connection's business)."""

IGNORED: tuple[type, ...] = (wp.AgentDisconnectedPush,)


def apply_push(store: Store, push: Any) -> Changes:
    """Apply one canonical push; a push the store has no handler for changes nothing (and is
    logged, once per kind and store)."""
    handler = HANDLERS.get(type(push))
    if handler is None:
        if not isinstance(push, IGNORED):
            _log_unhandled(store, push)
        return Changes()
    store.tick()
    return store.emit(handler(store, push))


def _log_unhandled(store: Store, push: Any) -> None:
    name = getattr(push, "action", "") or getattr(push, "kind", "") or type(push).__name__
    if name not in store.unhandled_pushes:
        store.unhandled_pushes.add(name)
        log.info("push %s not applied (the console has no use for it yet)", name)

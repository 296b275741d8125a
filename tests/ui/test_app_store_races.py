"""Property: any interleaving of pushes and fetch answers ends in the server's state.

A small model server changes chats (new chats, messages, members, tags, close, reopen,
properties), each change queueing the push the real API sends. The client side begins fetches
(a full resync or one chat) at random moments; the server computes each answer at a later
random moment; answers and pushes are then delivered in a random order (pushes keep their order,
as on one socket). Once everything is delivered the store must equal the server, and every
chat-list row built only from the changes the store announced must equal the row the store's
final state gives (no change left unannounced).

Some chats exist before the console starts: the store knows them from the login's summaries
only (no thread loaded), as after a real start.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from lcconsole.ui.chat_items import chat_list_item
from lcconsole.ui.store import Store
from lcconsole.wire.objects import ChatSummary, GetChatThreadsResponse, MyProfile
from lcconsole.wire.pushes import parse_push

ME, OTHER = "me@x", "other@x"
AGENTS = {ME: "Me", OTHER: "Other"}


@dataclass
class Server:
    chats: dict[str, dict] = field(default_factory=dict)
    clock: int = 0
    pushes: list[tuple[str, dict]] = field(default_factory=list)

    def tick(self) -> int:
        self.clock += 1
        return self.clock

    def _user(self, uid: str) -> dict:
        if uid.startswith("cust"):
            return {"id": uid, "type": "customer", "name": uid}
        return {"id": uid, "type": "agent", "name": AGENTS[uid]}

    def _event(self, chat: dict, author: str, text: str) -> dict:
        order = self.tick()
        event = {
            "id": f"{chat['thread']['id']}_{order}",
            "order": order,
            "type": "message",
            "text": text,
            "author_id": author,
            "recipients": "all",
            "created_at": f"2026-01-01T00:00:{order:06d}Z",
        }
        chat["thread"]["events"].append(event)
        return event

    def _thread_obj(self, chat: dict) -> dict:
        t = chat["thread"]
        return {
            "id": t["id"],
            "order": t["order"],
            "active": t["active"],
            "tags": sorted(t["tags"]),
            "user_ids": sorted(t["user_ids"]),
            "events": copy.deepcopy(t["events"]),
        }

    def chat_obj(self, cid: str) -> dict:
        chat = self.chats[cid]
        return {
            "id": cid,
            "users": [self._user(u) for u in chat["users"]],
            "properties": copy.deepcopy(chat["properties"]),
            "thread": self._thread_obj(chat),
        }

    def summary(self, cid: str) -> dict:
        chat = self.chats[cid]
        t = chat["thread"]
        last = max((e for e in t["events"]), key=lambda e: e["order"])
        return {
            "id": cid,
            "users": [self._user(u) for u in chat["users"]],
            "properties": copy.deepcopy(chat["properties"]),
            "last_thread_summary": {
                "id": t["id"],
                "order": t["order"],
                "active": t["active"],
                "tags": sorted(t["tags"]),
                "user_ids": sorted(t["user_ids"]),
            },
            "last_event_per_type": {
                "message": {"thread_id": t["id"], "thread_order": t["order"], "event": copy.deepcopy(last)}
            },
        }

    # --- changes (each queues its push) ---

    def start(self) -> None:
        cid = f"C{len(self.chats)}"
        customer = f"cust{len(self.chats)}"
        chat = {
            "users": [customer],
            "properties": {},
            "thread": {
                "id": f"{cid}T{self.tick()}",
                "order": self.clock,
                "active": True,
                "tags": set(),
                "user_ids": {customer},
                "events": [],
            },
        }
        self.chats[cid] = chat
        self._event(chat, customer, "hello")
        self.pushes.append(("incoming_chat_thread", {"chat": self.chat_obj(cid)}))

    def apply(self, op: str, cid: str, arg: int) -> None:
        chat = self.chats[cid]
        t = chat["thread"]
        agent = (ME, OTHER)[arg % 2]
        if op == "say":
            author = agent if arg % 3 else chat["users"][0]
            event = self._event(chat, author, f"m{arg}")
            self.pushes.append(("incoming_event", {"chat_id": cid, "thread_id": t["id"], "event": event}))
        elif op == "add" and agent not in chat["users"]:
            chat["users"].append(agent)
            t["user_ids"].add(agent)
            self.pushes.append(
                (
                    "chat_user_added",
                    {"chat_id": cid, "thread_id": t["id"], "user": self._user(agent), "user_type": "agent"},
                )
            )
        elif op == "remove" and agent in chat["users"]:
            chat["users"].remove(agent)
            t["user_ids"].discard(agent)
            self.pushes.append(
                ("chat_user_removed", {"chat_id": cid, "thread_id": t["id"], "user_id": agent, "user_type": "agent"})
            )
        elif op == "tag":
            tag = f"t{arg % 3}"
            action = "chat_thread_untagged" if tag in t["tags"] else "chat_thread_tagged"
            t["tags"].symmetric_difference_update({tag})
            self.pushes.append((action, {"chat_id": cid, "thread_id": t["id"], "tag": tag}))
        elif op == "close" and t["active"]:
            t["active"] = False
            self.pushes.append(("thread_closed", {"chat_id": cid, "thread_id": t["id"]}))
        elif op == "reopen" and not t["active"]:
            chat["thread"] = {
                "id": f"{cid}T{self.tick()}",
                "order": self.clock,
                "active": True,
                "tags": set(),
                "user_ids": set(chat["users"]),
                "events": [],
            }
            self._event(chat, chat["users"][0], "again")
            self.pushes.append(("incoming_chat_thread", {"chat": self.chat_obj(cid)}))
        elif op == "prop":
            chat["properties"] = {"ns": {"v": {"value": arg}}}
            self.pushes.append(
                ("chat_properties_updated", {"chat_id": cid, "properties": {"ns": {"v": {"value": arg}}}})
            )


@dataclass
class Fetch:
    kind: str  # "all" (a complete resync) or a chat id
    since: int
    answer: object = None


def _snapshot(server: Server, fetch: Fetch) -> None:
    if fetch.kind == "all":
        fetch.answer = [ChatSummary.model_validate(server.summary(c)) for c in server.chats]
    else:
        fetch.answer = GetChatThreadsResponse.model_validate({"chat": server.chat_obj(fetch.kind)}).chat


def _deliver(store: Store, fetch: Fetch) -> None:
    if fetch.kind == "all":
        store.set_summaries(fetch.answer, since=fetch.since)
        store.retain({s.id for s in fetch.answer}, since=fetch.since)
    else:
        store.merge_chat(fetch.answer, since=fetch.since)


def _state(store: Store) -> dict:
    out = {}
    for cid in store.chats:
        s = store.chats[cid]
        t = s.last_thread_summary
        out[cid] = (
            {u.id for u in s.users},
            t.id,
            bool(t.active),
            sorted(t.tags),
            sorted(t.user_ids),
            s.last_event_per_type["message"].event.id,
            (s.properties.plain() if s.properties else {}),
        )
    return out


def _expected(server: Server) -> dict:
    out = {}
    for cid, chat in server.chats.items():
        t = chat["thread"]
        out[cid] = (
            set(chat["users"]),
            t["id"],
            t["active"],
            sorted(t["tags"]),
            sorted(t["user_ids"]),
            max(t["events"], key=lambda e: e["order"])["id"],
            {ns: {n: p["value"] for n, p in names.items()} for ns, names in chat["properties"].items()},
        )
    return out


STEP = st.sampled_from(["change", "change", "push", "push", "begin", "snapshot", "answer"])
OPS = st.sampled_from(["start", "say", "add", "remove", "tag", "close", "reopen", "prop"])


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_interleaving_ends_in_the_servers_state(data) -> None:
    server, store = Server(), Store()
    store.set_profile(MyProfile(id=ME, name="Me"))
    rows: dict[str, object] = {}

    def repaint(changes) -> None:  # what the screen does with an announcement
        for cid in changes.removed:
            rows.pop(cid, None)
        for cid in changes.chats:
            if cid in store.chats:
                rows[cid] = chat_list_item(store.chats[cid], ME)

    store.subscribe(repaint)
    for _ in range(data.draw(st.integers(0, 3), label="chats before the start")):
        server.start()
        cid = sorted(server.chats)[-1]
        for arg in range(data.draw(st.integers(0, 2))):
            server.apply("say", cid, arg)
    server.pushes.clear()  # the console was not connected yet
    store.set_summaries(
        [ChatSummary.model_validate(server.summary(c)) for c in server.chats], since=store.begin_fetch()
    )
    if not server.chats:
        server.start()
    fetches: list[Fetch] = []
    delivered = 0
    for _ in range(data.draw(st.integers(5, 40), label="steps")):
        step = data.draw(STEP)
        if step == "change":
            op = data.draw(OPS)
            if op == "start" or not server.chats:
                server.start()
            else:
                cid = data.draw(st.sampled_from(sorted(server.chats)))
                server.apply(op, cid, data.draw(st.integers(0, 5)))
        elif step == "push" and delivered < len(server.pushes):
            from lcconsole.ui.store_pushes import apply_push

            apply_push(store, parse_push(*server.pushes[delivered]))
            delivered += 1
        elif step == "begin":
            kind = data.draw(st.sampled_from(["all", *sorted(server.chats)]))
            fetches.append(Fetch(kind, store.begin_fetch()))
        elif step == "snapshot":
            waiting = [f for f in fetches if f.answer is None]
            if waiting:
                _snapshot(server, waiting[data.draw(st.integers(0, len(waiting) - 1))])
        elif step == "answer":
            ready = [f for f in fetches if f.answer is not None]
            if ready:
                fetch = ready[data.draw(st.integers(0, len(ready) - 1))]
                fetches.remove(fetch)
                _deliver(store, fetch)
    # the rest, in a random interleaving: every answer computed at some point, pushes in order
    for fetch in fetches:
        if fetch.answer is None:
            _snapshot(server, fetch)
    from lcconsole.ui.store_pushes import apply_push

    while fetches or delivered < len(server.pushes):
        if fetches and (delivered == len(server.pushes) or data.draw(st.booleans())):
            _deliver(store, fetches.pop(data.draw(st.integers(0, len(fetches) - 1))))
        else:
            apply_push(store, parse_push(*server.pushes[delivered]))
            delivered += 1
    expected = _expected(server)
    have = _state(store)
    assert {c: have.get(c) for c in expected} == expected
    assert set(have) <= set(expected)
    assert rows == {cid: chat_list_item(store.chats[cid], ME) for cid in store.chats}

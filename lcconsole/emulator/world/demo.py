"""The demo world: agents in groups, ~40 customers, ~25 chats in every state, every event type.

Deterministic (random.Random(7)) apart from tokens and file paths; timestamps are relative to
the moment of seeding. Chats: queued (no agent), mine (agent1), assigned to others (two of them
followed by agent1), and closed/archived ones (some with several threads).
"""

from __future__ import annotations

import random
import struct
import uuid
import zlib
from collections.abc import Sequence
from typing import Any

from lcconsole.emulator.contract import UploadedFile
from lcconsole.emulator.world.ctx import Ctx, dumps, iso
from lcconsole.emulator.world.customers import insert_customer
from lcconsole.emulator.world.files import store_file
from lcconsole.emulator.world.seed import ensure_agent
from lcconsole.emulator.world.threads import add_chat_user, insert_event, open_thread, system_event

ADMIN = "agent1@example.com"
OTHERS = [
    ("agent2@example.com", "Priya Shah", (1,)),
    ("agent3@example.com", "Tomás García", (2,)),
    ("agent4@example.com", "Mei Chen", (1, 2)),
]
ACCESS_SCOPES = (
    "chats--access:ro",
    "chats--access:rw",
    "chats.conversation--access:rw",
    "customers:ro",
    "customers:rw",
    "agents--my:rw",
    "multicast:rw",
)
FIRST = [
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "Lucas",
    "Sofia",
    "Mateo",
    "Hannah",
    "Yuki",
    "Aarav",
    "Chloé",
    "Jonas",
    "Amara",
    "Diego",
    "Ingrid",
    "Kwame",
    "Leila",
    "Marek",
    "Nora",
]
LAST = [
    "Novak",
    "Okafor",
    "Lindqvist",
    "Tanaka",
    "Moreau",
    "Kowalski",
    "Silva",
    "Haddad",
    "Fischer",
    "O'Brien",
    "Rossi",
    "Nguyen",
    "Patel",
    "Jensen",
    "Dubois",
    "Costa",
]
PLACES = [
    ("United States", "US", "California", "San Francisco", "America/Los_Angeles"),
    ("United States", "US", "New York", "New York", "America/New_York"),
    ("Poland", "PL", "Lesser Poland", "Kraków", "Europe/Warsaw"),
    ("Germany", "DE", "Berlin", "Berlin", "Europe/Berlin"),
    ("Brazil", "BR", "São Paulo", "São Paulo", "America/Sao_Paulo"),
    ("Japan", "JP", "Tokyo", "Tokyo", "Asia/Tokyo"),
    ("India", "IN", "Karnataka", "Bengaluru", "Asia/Kolkata"),
    ("United Kingdom", "GB", "England", "London", "Europe/London"),
    ("Nigeria", "NG", "Lagos", "Lagos", "Africa/Lagos"),
    ("Canada", "CA", "Ontario", "Toronto", "America/Toronto"),
]
PAGES = [
    ("https://shop.example.com/", "Example Shop — Home"),
    ("https://shop.example.com/pricing", "Pricing"),
    ("https://shop.example.com/checkout", "Checkout"),
    ("https://shop.example.com/help/returns", "Returns and refunds"),
    ("https://shop.example.com/account/billing", "Billing settings"),
    ("https://shop.example.com/products/desk-lamp", "Aurora desk lamp"),
]
OPENERS = [
    "Hi, my order hasn't arrived yet",
    "Can I change the plan on my account?",
    "I was charged twice this month",
    "Do you ship to Canada?",
    "The checkout page keeps failing",
    "How do I return a lamp?",
    "Is there a discount for teams?",
    "I can't log in to my account",
]
CUSTOMER_LINES = [
    "Thanks!",
    "Order #48213",
    "It says 'payment declined'",
    "ok, one moment",
    "Yes, that's the one",
    "Could you check again?",
    "Great, that works now 🎉",
]
AGENT_LINES = [
    "Hello! Let me check that for you.",
    "Could you share your order number?",
    "I've refunded the duplicate charge; it will show in 3–5 days.",
    "Done — anything else I can help with?",
    "I'll pass this to our billing team.",
    "Thanks for waiting, I have an update.",
]


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A tiny solid-colour PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _ev(etype: str, recipients: str = "all", text: str | None = None, **body: Any) -> dict[str, Any]:
    if text is not None:
        body["text"] = text
    return {"type": etype, "custom_id": None, "recipients": recipients, "properties": {}, "body": body, "text": text}


class _Demo:
    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.rng = random.Random(7)
        self.now = ctx.now
        ctx.rng = self.rng

    def at(self, ts: float) -> None:
        self.ctx.now = ts

    def customers(self, count: int = 40) -> list[str]:
        ids = []
        for i in range(count):
            first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
            place = self.rng.choice(PLACES)
            created = self.now - self.rng.uniform(1, 180) * 86400
            started = self.now - self.rng.uniform(0, 3) * 86400
            pages = self.rng.sample(PAGES, 3)
            visit = {
                "started_at": iso(started),
                "referrer": self.rng.choice(["https://www.google.com/", "https://news.example.org/", ""]),
                "ip": f"203.0.113.{i + 10}",
                "user_agent": "Mozilla/5.0 (X11; Linux x86_64)",
                "geolocation": dict(
                    zip(("country", "country_code", "region", "city", "timezone"), place, strict=False)
                ),
                "last_pages": [
                    {"opened_at": iso(started + k * 40), "url": u, "title": t} for k, (u, t) in enumerate(pages)
                ],
            }
            cid = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
            email = f"{first}.{last}".lower().replace("'", "").replace("é", "e") + "@mail.example"
            insert_customer(
                self.ctx,
                customer_id=cid,
                name=f"{first} {last}",
                email=email,
                avatar=f"https://cdn.example.com/customers/{i}.png",
                fields={"plan": self.rng.choice(["free", "pro", "team"]), "account_id": str(40000 + i)},
                created_at=iso(created),
                last_visit=visit,
                visits_count=self.rng.randint(1, 30),
            )
            ids.append(cid)
        return ids

    def chat(
        self,
        customer: str,
        agents: list[str],
        groups: list[int],
        start: float,
        closed: bool,
        threads: int = 1,
        rich: bool = False,
        tags: Sequence[str] = (),
        followers: Sequence[str] = (),
        props: dict[str, Any] | None = None,
    ) -> str:
        ctx = self.ctx
        self.at(start)
        chat_id = ctx.new_id("chats")
        seq = ctx.row("SELECT COALESCE(MAX(seq), 0) + 1 FROM chats")[0]
        chat_props = {"source": {"type": "website"}, **(props or {})}
        ctx.x(
            "INSERT INTO chats(id, seq, customer_id, properties, active, last_order, created)"
            " VALUES (?, ?, ?, ?, 0, ?, ?)",
            (chat_id, seq, customer, dumps(chat_props), ctx.order(), int(start)),
        )
        ctx.conn.executemany("INSERT INTO chat_access(chat_id, group_id) VALUES (?, ?)", [(chat_id, g) for g in groups])
        add_chat_user(ctx, chat_id, customer, "customer")
        ctx.x("UPDATE customers SET chats_count = chats_count + 1 WHERE id=?", (customer,))
        t = start
        for n in range(threads):
            last = n == threads - 1
            t_props = {"routing": {"start_url": self.rng.choice(PAGES)[0]}}
            thread_id = open_thread(ctx, chat_id, t_props, list(tags) if last else ["follow-up"])
            for agent in agents:
                add_chat_user(ctx, chat_id, agent, "agent")
            t = self._conversation(chat_id, thread_id, customer, agents, t, rich and last)
            if not last or closed:
                self.at(t + 60)
                who = agents[0] if agents else None
                name = ctx.row("SELECT name FROM agents WHERE id=?", (who,))[0] if who else "Bot"
                insert_event(
                    ctx,
                    chat_id,
                    thread_id,
                    None,
                    system_event("manual_archived_agent", "%agent% archived the chat", {"agent": name}),
                )
                ctx.x("UPDATE threads SET active=0 WHERE id=?", (thread_id,))
                ctx.x("UPDATE chats SET active=0 WHERE id=?", (chat_id,))
                if not last:
                    ctx.x(
                        "UPDATE threads SET properties=? WHERE id=?",
                        (dumps({**t_props, "rating": {"score": self.rng.randint(0, 1)}}), thread_id),
                    )
                t += self.rng.uniform(3600, 86400)
        for follower in followers:
            ctx.x("INSERT OR IGNORE INTO followers(chat_id, agent_id) VALUES (?, ?)", (chat_id, follower))
        return chat_id

    def _name(self, agent_id: str) -> str:
        name: str = self.ctx.row("SELECT name FROM agents WHERE id=?", (agent_id,))[0]
        return name

    def _conversation(
        self, chat_id: str, thread_id: str, customer: str, agents: list[str], t: float, rich: bool
    ) -> float:
        ctx, rng = self.ctx, self.rng

        def put(author: str | None, ev: dict[str, Any], gap: tuple[float, float] = (5, 90)) -> dict[str, Any]:
            nonlocal t
            t += rng.uniform(*gap)
            self.at(t)
            return insert_event(ctx, chat_id, thread_id, author, ev)

        put(
            customer,
            _ev(
                "filled_form",
                form_id="prechat",
                fields=[
                    {"type": "name", "id": "n", "label": "Your name", "answer": "—"},
                    {"type": "question", "id": "q", "label": "How can we help?", "answer": rng.choice(OPENERS)},
                ],
            ),
            gap=(0, 1),
        )
        put(customer, _ev("message", text=rng.choice(OPENERS)))
        if not agents:
            put(customer, _ev("message", text=rng.choice(CUSTOMER_LINES)))
            return t
        agent = agents[0]
        put(
            None,
            _ev(
                "system_message",
                text="%agent% joined the chat",
                system_message_type="agent_joined",
                text_vars={"agent": self._name(agent)},
            ),
        )
        put(agent, _ev("message", text=rng.choice(AGENT_LINES)))
        reply = _ev("message", text=rng.choice(CUSTOMER_LINES))
        reply["properties"] = {"insights": {"sentiment": rng.choice(["positive", "neutral"])}}
        put(customer, reply)
        put(
            agent, _ev("message", recipients="agents", text="Note: customer is on the team plan, check invoices first.")
        )
        if rich:
            image = store_file(ctx, UploadedFile("screenshot.png", "image/png", _png(64, 48, (40, 120, 200))), "att")
            put(customer, _ev("file", **image["body"]))
            pdf = store_file(
                ctx, UploadedFile("invoice-4821.pdf", "application/pdf", b"%PDF-1.4\n% demo invoice\n%%EOF\n"), "att"
            )
            put(agent, _ev("file", **pdf["body"]))
            put(
                agent,
                _ev(
                    "rich_message",
                    template_id="quick_replies",
                    elements=[
                        {
                            "title": "Was this helpful?",
                            "subtitle": "Pick one",
                            "buttons": [
                                {
                                    "text": "Yes",
                                    "postback_id": "helpful_yes",
                                    "user_ids": [customer],
                                    "type": "message",
                                    "value": "yes",
                                },
                                {
                                    "text": "No",
                                    "postback_id": "helpful_no",
                                    "user_ids": [],
                                    "type": "message",
                                    "value": "no",
                                },
                            ],
                        }
                    ],
                ),
            )
            put(agent, _ev("custom", content={"kind": "order_card", "order_id": "48213", "status": "shipped"}))
        put(customer, _ev("message", text=rng.choice(CUSTOMER_LINES)))
        return t


def build_demo(ctx: Ctx) -> None:
    """Insert the demo world into an already seeded database."""
    ctx.x("INSERT OR IGNORE INTO agent_groups(agent_id, group_id) VALUES (?, 1)", (ADMIN,))
    for email, name, groups in OTHERS:
        ensure_agent(ctx, email, ACCESS_SCOPES, name=name, groups=groups, replace_scopes=False)
    ctx.x("UPDATE agents SET present=1, last_seen=? WHERE id IN (?, ?)", (int(ctx.now), OTHERS[0][0], OTHERS[1][0]))
    demo = _Demo(ctx)
    now = demo.now
    people = demo.customers()
    others = [a for a, _, _ in OTHERS]
    rng = demo.rng
    # closed / archived chats (oldest first so orders follow time)
    for i in range(10):
        start = now - (10 - i) * 86400 * rng.uniform(0.8, 1.2)
        demo.chat(
            people[i],
            [ADMIN if i % 2 == 0 else others[i % 3]],
            [0 if i % 3 else 1],
            start,
            closed=True,
            threads=1 + i % 3,
            rich=i % 4 == 0,
            tags=[rng.choice(["billing", "shipping", "refund", "bug_report"])],
            props={"rating": {"score": i % 2}} if i % 3 == 0 else None,
        )
    # assigned to other agents; the first two followed by agent1
    for i in range(4):
        demo.chat(
            people[10 + i],
            [others[i % 3]],
            [1 if i % 2 == 0 else 2],
            now - 3600 + i * 300,
            closed=False,
            rich=i == 0,
            tags=["sales"],
            followers=[ADMIN] if i < 2 else [],
        )
    # mine: active chats with agent1
    for i in range(7):
        demo.chat(
            people[14 + i],
            [ADMIN],
            [0],
            now - 2400 + i * 240,
            closed=False,
            rich=i < 3,
            tags=["vip"] if i == 0 else [],
            props={"routing": {"pinned": True}} if i == 1 else None,
        )
    # queued: active, no agent yet
    for i in range(4):
        demo.chat(people[21 + i], [], [0 if i < 3 else 1], now - 600 + i * 45, closed=False)
    ctx.x("UPDATE customers SET ban_days=3, ban_until=? WHERE id=?", (now + 3 * 86400, people[39]))
    ctx.x("UPDATE customers SET present=1 WHERE id IN (SELECT customer_id FROM chats WHERE active=1)")
    ctx.now = now

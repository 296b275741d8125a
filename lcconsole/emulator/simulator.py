"""Simulated customers: traffic through the engine as customer principals, fanned out by the hub.

Every `1/rate` seconds (jittered) the simulator takes one step: a new customer arrives on the
website (a visit starts on a landing page: customer_visit_started, customer_page_updated) and
starts a chat, or a customer of an open chat types (typing indicator and sneak peeks first, then
the message), opens another page of the shop (customer_page_updated, `last_visit.last_pages`),
sends a small file, or leaves (closes the thread and ends the visit: customer_visit_ended).
Customers answer agent messages after a short delay and press a button of an agent's rich
message. With a `seed` the sequence of steps, customers and texts is the same run after run
(agents' actions, of course, add their own timing).

With the demo world, `start` also plays the other demo agents (not agent1): they are marked
present and accepting chats (`Engine.simulate_agents`, undone by `stop`), so routing and
transfer_chat reach them, and now and then they write in their own active chats and answer
their simulated customers. With the empty world, or when the simulator is not started, no agent
is touched.

`dialect` picks the API version the simulated customers and agents speak (`sim_dialects.py`):
"3.0", "3.6", or "mixed" (every other customer and agent in v3.6). The world and every push are
the same whichever version acts; only the calls differ.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from lcconsole.emulator.contract import AddressedPush, ErrorReply, Principal, UploadedFile
from lcconsole.emulator.hub import Hub
from lcconsole.emulator.sim_dialects import VOICES, Call, Voice30, visit_call, voice_for

log = logging.getLogger("lcconsole.emulator.simulator")

FIRST_NAMES = (
    "Ada",
    "Bruno",
    "Chiara",
    "Dev",
    "Elif",
    "Farah",
    "Goran",
    "Hana",
    "Ivo",
    "Jun",
    "Kofi",
    "Lena",
    "Mateo",
    "Nia",
    "Oskar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tove",
)
LAST_NAMES = (
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Silva",
    "Novak",
    "Haddad",
    "Kowalski",
    "Berg",
    "Costa",
    "Ibrahim",
    "Larsen",
)
OPENERS = (
    "Hi! I was charged twice for my last order, can you help?",
    "Hello, my package says delivered but I can't find it.",
    "Is the Pro plan available with monthly billing?",
    "Hi there, how do I reset my password? The link expired.",
    "Can I change the shipping address on order 4471?",
    "Good morning — does the blue jacket come in size XL?",
    "Hey, the app crashes when I open settings on Android.",
    "I'd like to return a pair of shoes, what's the process?",
)
FOLLOW_UPS = (
    "I'm still here, by the way.",
    "Order number is 88213.",
    "Thanks, I'll wait.",
    "Is there any update?",
    "I tried that already, no luck.",
    "Could you check again please?",
)
REPLIES = (
    "Thank you!",
    "Great, that works.",
    "Hmm, it still doesn't work for me.",
    "OK, one moment.",
    "Perfect, thanks a lot!",
    "Sure, here you go.",
    "Could you explain that again?",
)

SITE = (
    ("https://shop.example.com/", "Example Shop — Home"),
    ("https://shop.example.com/pricing", "Pricing"),
    ("https://shop.example.com/products/desk-lamp", "Aurora desk lamp"),
    ("https://shop.example.com/products/jacket", "Blue rain jacket"),
    ("https://shop.example.com/checkout", "Checkout"),
    ("https://shop.example.com/help/returns", "Returns and refunds"),
    ("https://shop.example.com/account/orders", "Your orders"),
)
AGENT_LINES = (
    "Thanks for waiting — let me check that for you.",
    "Could you share your order number?",
    "I've updated your order; you'll get an e-mail shortly.",
    "Anything else I can help with?",
    "One moment please, I'm looking into it.",
    "That should be fixed now, could you try again?",
)
REFERRERS = ("https://www.google.com/", "https://news.example.org/", "")
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/126.0 Mobile",
)
PLACES = (
    ("Poland", "PL", "Lesser Poland", "Kraków", "Europe/Warsaw", 50.06, 19.94),
    ("Germany", "DE", "Berlin", "Berlin", "Europe/Berlin", 52.52, 13.40),
    ("Brazil", "BR", "São Paulo", "São Paulo", "America/Sao_Paulo", -23.55, -46.63),
    ("Japan", "JP", "Tokyo", "Tokyo", "Asia/Tokyo", 35.68, 139.69),
    ("United States", "US", "New York", "New York", "America/New_York", 40.71, -74.01),
)
GEO_KEYS = ("country", "country_code", "region", "city", "timezone", "latitude", "longitude")


@dataclass
class SimChat:
    """One simulated customer and their chat."""

    principal: Principal
    name: str
    voice: Voice30 = VOICES["3.0"]
    chat_id: str | None = None
    thread_id: str | None = None
    active: bool = False
    busy: bool = False


class Simulator:
    """Simulated customers acting through `hub` at about `rate` actions a second."""

    def __init__(
        self, hub: Hub, *, seed: int | None = None, rate: float = 1.0, max_chats: int = 6, dialect: str = "mixed"
    ) -> None:
        voice_for(dialect, 0)  # an unknown dialect fails here, not in the first step
        self.dialect = dialect
        self.hub = hub
        self.engine = hub.engine
        self.rate = rate
        self.max_chats = max_chats
        self.rng = random.Random(seed)
        self.reply_rng = random.Random(None if seed is None else seed + 1)
        self.agent_rng = random.Random(None if seed is None else seed + 2)
        self.agents: list[Principal] = []
        self.agent_voices: dict[str, Voice30] = {}
        self.chats: list[SimChat] = []
        self.by_customer: dict[str, SimChat] = {}
        self.steps = 0
        self._task: asyncio.Task[None] | None = None
        self._side: set[asyncio.Task[None]] = set()

    # --- lifecycle -------------------------------------------------------------------------

    def listen(self) -> None:
        """React to agents (replies, button presses) without taking steps of its own."""
        self.hub.add_customer_listener(self._on_push)

    async def start(self) -> None:
        """Start acting on the running loop (and play the demo agents, see the module doc)."""
        self.listen()
        await self.play_agents()
        self._task = asyncio.create_task(self._run(), name="lcconsole-simulator")

    async def play_agents(self) -> None:
        """Mark the demo world's other agents present and accepting; they act from now on."""
        names = await self.hub.call(getattr(self.engine, "demo_agents", lambda: []))
        if not names:
            return
        self.hub.deliver(await self.hub.call(self.engine.simulate_agents, names))
        creds = {c["id"]: c for c in await self.hub.call(self.engine.agent_credentials)}
        self.agents = [Principal("agent", n, frozenset(creds[n]["scopes"])) for n in names if n in creds]
        self.agent_voices = {a.id: voice_for(self.dialect, i) for i, a in enumerate(self.agents)}

    async def stop(self) -> None:
        """Stop every pending action; the played agents get their presence back."""
        self.hub.remove_customer_listener(self._on_push)
        if self.agents:
            self.agents = []
            connected = self.hub.connected_agents()
            self.hub.deliver(await self.hub.call(self.engine.release_agents, connected.__contains__))
        tasks = [t for t in (self._task, *self._side) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._side.clear()

    def _later(self, delay: float, coro_fn: Callable[..., Awaitable[object]], *args: Any) -> None:
        async def run() -> None:
            await asyncio.sleep(delay)
            try:
                await coro_fn(*args)
            except Exception:
                log.exception("simulated action failed")

        task = asyncio.create_task(run())
        self._side.add(task)
        task.add_done_callback(self._side.discard)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.rng.uniform(0.5, 1.5) / self.rate)
            try:
                await self.step()
            except Exception:
                log.exception("simulator step failed")

    # --- calls -----------------------------------------------------------------------------

    async def _call(self, chat: SimChat, call: Call) -> dict[str, Any] | None:
        try:
            return (await self.hub.execute(chat.principal, call.action, call.payload, call.files, call.version)).payload
        except ErrorReply as error:
            log.debug("simulated %s failed: %s", call.action, error.type)
            if error.type in ("chat_inactive", "customer_banned", "not_found"):
                chat.active = False
            return None

    # --- steps -----------------------------------------------------------------------------

    async def step(self) -> None:
        """Take one simulated action."""
        self.steps += 1
        if self.agents and self.agent_rng.random() < 0.2:
            await self.agent_step()
            return
        rng = self.rng
        active = [c for c in self.chats if c.active and not c.busy]
        if not active or (sum(c.active for c in self.chats) < self.max_chats and rng.random() < 0.3):
            await self.start_chat()
            return
        chat = rng.choice(active)
        roll = rng.random()
        if roll < 0.5:
            await self.write(chat, rng.choice(FOLLOW_UPS))
        elif roll < 0.6:
            await self.browse(chat)
        elif roll < 0.7:
            await self.send_file(chat)
        elif roll < 0.8:
            await self.leave(chat)
        else:
            await self._call(chat, chat.voice.typing(chat.chat_id, True))

    async def _customer(self) -> SimChat:
        idle = [c for c in self.chats if not c.active and not c.busy]
        if idle and (len(self.chats) >= 2 * self.max_chats or self.rng.random() < 0.3):
            return self.rng.choice(idle)
        name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
        email = f"{name.lower().replace(' ', '.')}{len(self.chats) + 1}@customer.example"
        outcome = await self.hub.call(self.engine.create_customer_token, name, email)
        self.hub.deliver(outcome.pushes)
        creds = outcome.payload
        principal = await self.hub.call(self.engine.authenticate, creds["access_token"], "customer")
        chat = SimChat(principal, name, voice_for(self.dialect, len(self.chats)))
        self.chats.append(chat)
        self.by_customer[chat.principal.id] = chat
        return chat

    async def start_chat(self) -> None:
        """A customer starts a chat (or comes back to their old one) with an opening message."""
        chat = await self._customer()
        await self.arrive(chat)
        voice = chat.voice
        event = voice.message(self.rng.choice(OPENERS))
        if chat.chat_id is None:
            result = await self._call(chat, voice.start_chat(event))
        else:
            result = await self._call(chat, voice.resume_chat(chat.chat_id, event))
        if result:
            chat_id, thread_id = voice.started(result, chat.chat_id)
            chat.chat_id, chat.thread_id = chat_id, thread_id or chat.thread_id
            chat.active = chat.chat_id is not None

    async def arrive(self, chat: SimChat) -> None:
        """The customer's visit starts on a landing page (from somewhere in the world)."""
        rng = self.rng
        url, title = rng.choice(SITE[:3])
        await self._call(
            chat,
            visit_call(
                "start_visit",
                {
                    "ip": f"198.51.100.{rng.randint(1, 254)}",
                    "user_agent": rng.choice(USER_AGENTS),
                    "geolocation": dict(zip(GEO_KEYS, rng.choice(PLACES), strict=True)),
                    "referrer": rng.choice(REFERRERS),
                    "url": url,
                    "title": title,
                },
            ),
        )

    async def browse(self, chat: SimChat) -> None:
        """The customer opens another page of the shop."""
        url, title = self.rng.choice(SITE)
        await self._call(chat, visit_call("update_customer_page", {"url": url, "title": title}))

    async def write(self, chat: SimChat, text: str) -> None:
        """Typing indicator and sneak peeks first, then the message."""
        chat.busy = True
        await self._call(chat, chat.voice.typing(chat.chat_id, True))
        pause = self.rng.uniform(0.3, 0.8) / self.rate
        cut = max(1, len(text) // 2)
        self._later(pause, self._peek, chat, text[:cut])
        self._later(2 * pause, self._send, chat, text)

    async def _peek(self, chat: SimChat, partial: str) -> None:
        await self._call(chat, chat.voice.sneak_peek(chat.chat_id, partial))

    async def _send(self, chat: SimChat, text: str) -> None:
        chat.busy = False
        await self._call(chat, chat.voice.send_event(chat.chat_id, chat.voice.message(text)))
        await self._call(chat, chat.voice.typing(chat.chat_id, False))

    async def send_file(self, chat: SimChat) -> None:
        """A small text file (a made-up receipt)."""
        number = self.rng.randint(10000, 99999)
        data = f"Receipt {number}\nCustomer: {chat.name}\nTotal: {number % 500}.00 EUR\n".encode()
        upload = UploadedFile(f"receipt-{number}.txt", "text/plain", data)
        uploaded = await self._call(chat, chat.voice.upload(chat.chat_id, upload))
        then = chat.voice.file_event(chat.chat_id, uploaded) if uploaded else None
        if then is not None:
            await self._call(chat, then)

    async def leave(self, chat: SimChat) -> None:
        """The customer closes the thread and leaves the website."""
        await self._call(chat, chat.voice.leave(chat.chat_id))
        await self._call(chat, visit_call("end_visit", {}))
        chat.active = False

    # --- simulated agents ------------------------------------------------------------------

    def _voice(self, agent: Principal) -> Voice30:
        return self.agent_voices.get(agent.id, VOICES["3.0"])

    async def _agent_call(self, agent: Principal, call: Call) -> dict[str, Any] | None:
        try:
            return (await self.hub.execute(agent, call.action, call.payload, call.files, call.version)).payload
        except ErrorReply as error:
            log.debug("simulated agent %s failed: %s", call.action, error.type)
            return None

    async def agent_chats(self, agent: Principal) -> list[str]:
        """Ids of the active chats the agent is a member of."""
        voice = self._voice(agent)
        return voice.active_chats_of(await self._agent_call(agent, voice.my_chats()) or {}, agent.id)

    async def agent_step(self) -> None:
        """A played agent writes in one of its active chats (when it has any)."""
        agent = self.agent_rng.choice(self.agents)
        chats = await self.agent_chats(agent)
        if chats:
            await self.agent_write(agent, self.agent_rng.choice(chats))

    async def agent_write(self, agent: Principal, chat_id: str) -> None:
        """Typing indicator, then a message a moment later."""
        voice = self._voice(agent)
        await self._agent_call(agent, voice.typing(chat_id, True))
        event = voice.message(self.agent_rng.choice(AGENT_LINES))
        self._later(self.agent_rng.uniform(0.5, 1.5) / self.rate, self._agent_send, agent, chat_id, event)

    async def _agent_send(self, agent: Principal, chat_id: str, event: dict[str, Any]) -> None:
        await self._agent_call(agent, self._voice(agent).send_event(chat_id, event))

    async def _agent_answer(self, chat_id: str) -> None:
        for agent in self.agents:
            if chat_id in await self.agent_chats(agent):
                await self.agent_write(agent, chat_id)
                return

    # --- reactions -------------------------------------------------------------------------

    def _on_push(self, customer_id: str, push: AddressedPush) -> None:
        chat = self.by_customer.get(customer_id)
        if chat is None:
            return
        if push.action == "thread_closed":
            chat.active = False
            return
        if push.action != "incoming_event":
            return
        payload = push.fields
        event = payload.get("event") or {}
        if (
            event.get("author_id") == customer_id
            and event.get("type") == "message"
            and self.agents
            and self.agent_rng.random() < 0.5
        ):  # a played agent answers
            delay = self.agent_rng.uniform(1.0, 3.0) / self.rate
            self._later(delay, self._agent_answer, payload.get("chat_id", chat.chat_id))
        if event.get("author_id") in (None, customer_id):
            return
        chat.thread_id = payload.get("thread_id", chat.thread_id)
        delay = self.reply_rng.uniform(1.0, 3.0) / self.rate
        if event.get("type") == "rich_message":
            buttons = [b for el in event.get("elements", []) for b in el.get("buttons", [])]
            if buttons:
                button = self.reply_rng.choice(buttons)
                self._later(delay, self._press, chat, payload.get("thread_id"), event.get("id"), button)
                return
        if event.get("type") in ("message", "file") and self.reply_rng.random() < 0.8:
            text = self.reply_rng.choice(REPLIES)
            self._later(delay, self._reply, chat, text)

    async def _reply(self, chat: SimChat, text: str) -> None:
        if chat.active and not chat.busy:
            await self.write(chat, text)

    async def _press(self, chat: SimChat, thread_id: str | None, event_id: str | None, button: dict[str, Any]) -> None:
        postback = {"id": str(button.get("postback_id", "")), "toggled": True}
        await self._call(chat, chat.voice.postback(chat.chat_id, thread_id, event_id, postback))

"""The hostile corpus through the whole console: a customer sends every text over the real API."""

from __future__ import annotations

import uuid

from app_harness import Customer, console, open_chat, server, wait_for  # noqa: F401  (fixtures, used by parameter name)
from hostile_corpus import HOSTILE, forbidden_in

from lcconsole.ui.widgets.chat_list import ChatList
from lcconsole.ui.widgets.transcript import Transcript


def painted(widget) -> str:
    return "\n".join("".join(s.text for s in widget.render_line(y)) for y in range(widget.size.height))


async def test_every_hostile_text_is_shown_safely(server, tmp_path):
    customer = Customer(server.info.base_url, "H" + uuid.uuid4().hex[:5])
    customer.start_chat("start")
    sent = []
    for text in HOSTILE:
        if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
            continue  # not encodable as UTF-8 JSON: no customer can send it
        resp = customer.http.post(
            "/v3.0/customer/action/send_event",
            json={"chat_id": customer.chat_id, "event": {"type": "message", "text": text}},
            headers={"Authorization": f"Bearer {customer.token}"},
        )
        if resp.status_code == 200:
            sent.append(text)
    assert len(sent) >= 45
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        transcript = screen.query_one(Transcript)
        await wait_for(
            pilot,
            lambda: len([e for e in transcript.entries if e.kind == "customer"]) >= len(sent),
            timeout=10,
            what="every message listed",
        )
        seen = set()
        transcript.focus()
        for _ in range(400):  # page through the whole thread from the top, checking each screen
            frame = painted(transcript)
            assert not forbidden_in(frame), forbidden_in(frame)
            seen.add(frame)
            if transcript.scroll_y <= 0:
                break
            await pilot.press("pageup")
        assert len(seen) > 5
        frame = painted(screen.query_one(ChatList))
        assert not forbidden_in(frame)
        # while the customer keeps writing, the console stays responsive
        customer.say("[@click=app.quit]still here")
        await wait_for(pilot, lambda: transcript.entries[-1].text == "[@click=app.quit]still here", what="live message")
        assert app.is_running

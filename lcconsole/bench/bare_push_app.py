"""A bare Textual app showing pushed messages: the in-run baseline of push_to_screen.

It logs in on the agent RTM websocket with the `websockets` library and writes the text of every
`incoming_event` push into a Textual `Log`, so it measures what any Textual client pays between a
push on the socket and its text on the pty. It imports nothing of lcconsole.

`python bare_push_app.py WS_URL`, the login token (`Bearer ...`) in LCCONSOLE_BENCH_TOKEN.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

import websockets
from textual.app import App, ComposeResult
from textual.widgets import Log

LOGGED_IN = "bare app logged in"
PING_EVERY = 15.0  # the server drops a socket silent for 60 s


class BarePushApp(App):
    """A `Log` fed by the RTM socket's incoming_event pushes."""

    def __init__(self, url: str, token: str) -> None:
        super().__init__()
        self.url, self.token = url, token

    def compose(self) -> ComposeResult:
        yield Log()

    def on_mount(self) -> None:
        self.run_worker(self.listen(), exclusive=True)

    async def listen(self) -> None:
        """Log in, then write each pushed event's text as a line."""
        log = self.query_one(Log)
        async with websockets.connect(self.url) as ws:
            login = {"request_id": "login", "action": "login", "payload": {"token": self.token}}
            await ws.send(json.dumps(login))
            pinger = asyncio.create_task(self.ping(ws))
            try:
                async for raw in ws:
                    frame = json.loads(raw)
                    if frame.get("action") == "login" and frame.get("type") == "response":
                        log.write_line(LOGGED_IN if frame.get("success") else f"login failed: {raw[:200]}")
                    elif frame.get("action") == "incoming_event":
                        event = (frame.get("payload") or {}).get("event") or {}
                        log.write_line(str(event.get("text", "")))
            finally:
                pinger.cancel()

    async def ping(self, ws) -> None:
        while True:
            await asyncio.sleep(PING_EVERY)
            await ws.send(json.dumps({"action": "ping", "payload": {}}))


if __name__ == "__main__":
    BarePushApp(sys.argv[1], os.environ["LCCONSOLE_BENCH_TOKEN"]).run()

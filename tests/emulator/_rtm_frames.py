"""Reading RTM frames in the emulator's websocket tests."""

from __future__ import annotations

import asyncio
import json


async def recv(ws, timeout: float = 5.0) -> dict:
    """The next frame, decoded."""
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def until(ws, predicate, limit: int = 100) -> tuple[dict, list[dict]]:
    """Frames up to and including the first matching one: (match, frames before it)."""
    seen = []
    for _ in range(limit):
        frame = await recv(ws)
        if predicate(frame):
            return frame, seen
        seen.append(frame)
    raise AssertionError(f"no matching frame in {seen}")


def response_to(request_id):
    """A predicate matching the response frame to `request_id`."""
    return lambda f: f.get("type") == "response" and f.get("request_id") == request_id

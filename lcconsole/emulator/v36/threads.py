"""v3.6 `list_threads` (agent and customer sides): a chat's threads with their events, paged.

`sort_order` desc by default (newest first), `limit` 3 by default (max 100), `page_id`s that
carry the first request's query (`pages.py`; keyset underneath), or `min_events_count`: as
many of the newest threads as it takes to hold that many events in total (not together with
`limit`). Agents may filter by the threads' creation time (`filters.from`/`filters.to`).
"""

from __future__ import annotations

from typing import Any

from lcconsole.emulator.contract import ErrorReply, Outcome
from lcconsole.emulator.v36 import pages, render
from lcconsole.emulator.v36.extras import with_summary
from lcconsole.emulator.world import chats
from lcconsole.emulator.world.access import load_chat
from lcconsole.emulator.world.ctx import Ctx, parse_iso
from lcconsole.emulator.world.pages import keyset_page
from lcconsole.wire import requests as rq
from lcconsole.wire.v36 import requests as rq36

DEFAULT_LIMIT = 3


def _order_bound(value: str, field: str) -> int:
    """The `order` (µs since the epoch) of an RFC 3339 time, as threads are ordered."""
    from datetime import datetime

    stamp = parse_iso(value, field)
    return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1_000_000)


def list_threads(ctx: Ctx, req: rq36.ListThreads) -> Outcome:
    """`{"threads", "found_threads", "next_page_id"?, "previous_page_id"?}`."""
    chat = load_chat(ctx, req.chat_id)
    if req.limit is not None and req.min_events_count is not None:
        raise ErrorReply("validation", "min_events_count: cannot be used together with limit")
    dates = getattr(req, "filters", None)
    fresh = {
        "chat_id": chat["id"],
        "limit": req.limit,
        "sort_order": req.sort_order,
        "from": dates.from_ if dates is not None else None,
        "to": dates.to if dates is not None else None,
    }
    query, cursor = pages.unwrap("threads", req, fresh, ("filters", "limit", "sort_order"))
    if query["chat_id"] != chat["id"]:
        raise ErrorReply("validation", "page_id: made for another chat")
    where, args = ["chat_id = ?"], [chat["id"]]
    if query["from"] is not None:
        where.append("ord >= ?")
        args.append(_order_bound(query["from"], "filters.from"))
    if query["to"] is not None:
        where.append("ord <= ?")
        args.append(_order_bound(query["to"], "filters.to"))
    found = ctx.row(f"SELECT COUNT(*) FROM threads WHERE {' AND '.join(where)}", args)[0]
    out: dict[str, Any] = {}
    if req.min_events_count is not None:
        rows, total = [], 0
        for row in ctx.q(
            f"SELECT id, ord, events_count FROM threads WHERE {' AND '.join(where)}"
            " ORDER BY ord DESC, id DESC LIMIT 100",
            args,
        ):
            rows.append(row)
            total += row["events_count"]
            if total >= req.min_events_count:
                break
        if req.sort_order == "asc":
            rows.reverse()
    else:
        rows, next_id, prev_id, _, _ = keyset_page(
            ctx,
            "SELECT id, ord, events_count FROM threads",
            where,
            args,
            ("ord", "id"),
            query["sort_order"],
            query["limit"],
            cursor,
            default_limit=DEFAULT_LIMIT,
        )
        out = {
            k: pages.wrap("threads", query, v)
            for k, v in (("next_page_id", next_id), ("previous_page_id", prev_id))
            if v
        }
    ids = [r["id"] for r in rows]
    every = [r[0] for r in ctx.q("SELECT id FROM threads WHERE chat_id=? ORDER BY ord", (chat["id"],))]
    threads: list[dict[str, Any]] = []
    if ids:
        obj = chats.get_chat_threads(
            ctx, rq.GetChatThreads.model_validate({"chat_id": chat["id"], "thread_ids": ids})
        ).payload["chat"]
        by_id = {t["id"]: t for t in render.chat(obj, every)["threads"]}
        threads = [with_summary(ctx, by_id[i]) if ctx.is_agent else by_id[i] for i in ids]
    return Outcome({"threads": threads, "found_threads": found, **out})

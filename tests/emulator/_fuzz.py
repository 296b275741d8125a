"""What the engine fuzzers (v3.0 and v3.6 bodies) share: the answer-or-LiveChat-error check, the
near-valid mutation of a sample body and the world's integrity check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from hypothesis import strategies as st

from lcconsole.emulator.contract import ErrorReply
from lcconsole.emulator.engine import Engine
from lcconsole.wire.errors import ERROR_TYPES

REFUSED = object()
"""What `answer_or_livechat_error` gives for a request refused with a LiveChat error."""


def answer_or_livechat_error(
    execute: Callable[..., Any], engine: Engine, who: Any, action: str, payload: Any, upload: Any = None
) -> Any:
    """`execute(engine, who, action, payload, upload)`'s answer payload, or REFUSED when it was
    refused with a LiveChat error type (never `internal`)."""
    try:
        return execute(engine, who, action, payload, upload).payload
    except ErrorReply as error:
        assert error.type in ERROR_TYPES and error.type != "internal", (action, payload, error.message)
        return REFUSED


def paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every path into a JSON value (the root's is `()`)."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from paths(v, prefix + (i,))


def mutate(draw: Callable[..., Any], payload: Any, values: st.SearchStrategy, *, delete: bool = True) -> Any:
    """Up to two random mutations of `payload`, in place: a value replaced by one of `values`, or
    (with `delete`) a key of an object left out."""
    for _ in range(draw(st.integers(0, 2))):
        inner = [p for p in paths(payload) if p]
        if not inner:
            break
        path = draw(st.sampled_from(inner))
        parent = payload
        for part in path[:-1]:
            parent = parent[part]
        if delete and isinstance(parent, dict) and draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(values)
    return payload


def consistent(engine: Engine) -> None:
    """The world's invariants hold: SQLite integrity, one active thread a chat, thread event
    counts, chat activity, the last-event index, one customer a chat."""
    q = engine.conn.execute
    assert q("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert q("PRAGMA foreign_key_check").fetchall() == []
    assert (
        q(
            "SELECT COUNT(*) FROM (SELECT chat_id FROM threads WHERE active=1 GROUP BY chat_id HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        == 0
    )
    assert (
        q(
            "SELECT COUNT(*) FROM threads t WHERE events_count !="
            " (SELECT COUNT(*) FROM events e WHERE e.thread_id=t.id)"
        ).fetchone()[0]
        == 0
    )
    assert (
        q(
            "SELECT COUNT(*) FROM chats c LEFT JOIN threads t ON t.id=c.last_thread_id"
            " WHERE c.active != COALESCE(t.active, 0)"
        ).fetchone()[0]
        == 0
    )
    assert (
        q(
            "SELECT COUNT(*) FROM chat_last_event l LEFT JOIN events e ON e.id=l.event_id"
            " WHERE e.id IS NULL OR e.type != l.type"
        ).fetchone()[0]
        == 0
    )
    assert (
        q(
            "SELECT COUNT(*) FROM (SELECT chat_id FROM chat_users WHERE user_type='customer'"
            " GROUP BY chat_id HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        == 0
    )

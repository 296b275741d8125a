"""Opaque page ids and keyset pagination shared by the summary and customer listings."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from typing import Any

from lcconsole.emulator.contract import ErrorReply
from lcconsole.emulator.world.ctx import Ctx, dumps, iso

_SAMPLE_PAGE = re.compile(r"^([1-9][0-9]{0,5}):(asc|desc)$")
_SAMPLE_TIME = re.compile(r"^[0-9]{10,16}$")


def encode(cursor: dict[str, Any]) -> str:
    """Cursor dict -> base64 page id."""
    return base64.b64encode(dumps(cursor).encode()).decode()


def decode(page_id: str, field: str = "page_id") -> dict[str, Any]:
    """Base64 page id -> cursor dict, or a validation error naming the field."""
    try:
        cursor = json.loads(base64.b64decode(page_id.encode(), validate=True).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ErrorReply("validation", f"{field}: invalid page id") from None
    if (
        not isinstance(cursor, dict)
        or cursor.get("d") not in ("n", "p")
        or not isinstance(cursor.get("k"), list)
        or len(cursor["k"]) != 2
        or not all(_scalar(k) for k in cursor["k"])
        or cursor.get("o") not in ("asc", "desc")
        or not _scalar(cursor.get("l"))
        or not 1 <= cursor["l"] <= 100
    ):
        raise ErrorReply("validation", f"{field}: invalid page id")
    return cursor


def _scalar(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    return isinstance(value, str)


def sample_cursor(page_id: str) -> dict[str, Any] | None:
    """Page ids shaped like the spec's samples, which are not ours: base64 of "<page>:<order>"
    ("MjpkZXNj" = "2:desc") -> {"page", "o"}, or of a Unix time in ms ("MTUxNzM5ODEzMTQ5Ng==")
    -> {"ms"}. None for anything else."""
    try:
        text = base64.b64decode(page_id.encode(), validate=True).decode()
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    match = _SAMPLE_PAGE.match(text)
    if match:
        return {"page": int(match[1]), "o": match[2]}
    return {"ms": int(text)} if _SAMPLE_TIME.match(text) else None


def keyset_page(
    ctx: Ctx,
    select: str,
    where: Sequence[str],
    args: Sequence[Any],
    keys: tuple[str, str],
    order: str | None,
    limit: int | None,
    page_id: str | None,
    default_limit: int = 10,
) -> tuple[list[Any], str | None, str | None, int, str]:
    """One page by (key1, key2): rows, next_page_id, previous_page_id, limit, order.

    `select` is `SELECT ... FROM ...`; `where` are AND-ed conditions with `args`. Page ids carry
    the direction, the boundary key, the order and the limit of the page they lead to.
    Sample-style page ids (`sample_cursor`) are honoured too: a page number in an order, or a
    time in ms before (desc) / after (asc) which the page starts.
    """
    sample = sample_cursor(page_id) if page_id else None
    cursor = decode(page_id) if page_id and sample is None else None
    if cursor:
        order = cursor["o"]
        limit = limit or cursor["l"]
    order = (sample or {}).get("o") or order or "desc"
    limit = limit or default_limit
    conds = list(where)
    params = list(args)
    offset = (sample["page"] - 1) * limit if sample and "page" in sample else 0
    if sample and "ms" in sample:
        bound = iso(sample["ms"] / 1000) if keys[0].endswith("created_at") else sample["ms"] * 1000
        conds.append(f"{keys[0]} {'<' if order == 'desc' else '>'} ?")
        params.append(bound)
    backwards = bool(cursor and cursor["d"] == "p")
    if cursor:
        forward_op = "<" if order == "desc" else ">"
        op = forward_op if not backwards else (">" if forward_op == "<" else "<")
        conds.append(f"({keys[0]}, {keys[1]}) {op} (?, ?)")
        params.extend(cursor["k"])
    direction = "DESC" if (order == "desc") != backwards else "ASC"
    sql = select
    if conds:
        sql += " WHERE " + " AND ".join(f"({c})" for c in conds)
    sql += f" ORDER BY {keys[0]} {direction}, {keys[1]} {direction} LIMIT ? OFFSET ?"
    rows = ctx.q(sql, params + [limit + 1, offset])
    more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    has_next = (more and not backwards) or backwards
    has_prev = (more and backwards) or (bool(cursor) and not backwards) or offset > 0 or bool(sample and "ms" in sample)
    next_id = prev_id = None
    k0, k1 = (k.split(".")[-1] for k in keys)
    if rows and has_next:
        last = rows[-1]
        next_id = encode({"d": "n", "k": [last[k0], last[k1]], "o": order, "l": limit})
    if rows and has_prev:
        first = rows[0]
        prev_id = encode({"d": "p", "k": [first[k0], first[k1]], "o": order, "l": limit})
    return rows, next_id, prev_id, limit, order

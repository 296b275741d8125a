"""Canned responses with slots: `[canned]` templates such as "Hi {customer.name}, I'm
{agent.name}." filled from the open chat.

Slots: `customer.name`, `customer.email`, `customer.id`, `agent.name`, `agent.email`, `chat.id`,
`thread.id`, and any chat or thread property as `property.<namespace>.<name>` (thread properties
win). A slot that cannot be filled stays in the text as typed and is reported, so it is never
sent silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

SLOT = re.compile(r"\{([A-Za-z0-9_.-]+)\}")


def fill(template: str, values: Mapping[str, str]) -> tuple[str, list[str]]:
    """`template` with its slots filled; returns (text, unfilled slots as `{name}`)."""
    missing: list[str] = []

    def one(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        if value in (None, ""):
            missing.append(match.group(0))
            return match.group(0)
        return str(value)

    return SLOT.sub(one, template), list(dict.fromkeys(missing))


def _properties(values: dict[str, str], properties: Any) -> None:
    for namespace, names in (properties.plain() if properties is not None else {}).items():
        for name, value in names.items():
            if value is not None and not isinstance(value, (dict, list)):
                values[f"property.{namespace}.{name}"] = str(value)


def slot_values(store: Any, chat_id: str | None, thread: Any = None) -> dict[str, str]:
    """Every slot the open chat can fill (empty values left out)."""
    values: dict[str, str] = {}
    me = store.me
    if me is not None:
        values["agent.name"] = me.name or ""
        values["agent.email"] = getattr(me, "email", None) or me.id or ""
    if chat_id:
        values["chat.id"] = chat_id
        customer = store.customer_of(chat_id)
        if customer is not None:
            values["customer.name"] = customer.name or ""
            values["customer.email"] = customer.email or ""
            values["customer.id"] = customer.id or ""
        summary = store.chats.get(chat_id)
        _properties(values, getattr(summary, "properties", None))
        if thread is not None:
            values["thread.id"] = thread.id or ""
            _properties(values, getattr(thread, "properties", None))
    return {k: v for k, v in values.items() if v}


def completions(canned: Mapping[str, str], prefix: str) -> list[str]:
    """Names of canned responses starting with `prefix` (case-insensitive), sorted."""
    low = prefix.lower()
    return sorted(name for name in canned if name.lower().startswith(low))

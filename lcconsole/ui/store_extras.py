"""Store updates for what only newer API versions tell: thinking indicators, deleted events, the
visitors on the website. Each returns the `Changes` it made (the caller emits them);
`store_pushes` applies the canonical pushes with them."""

from __future__ import annotations

from typing import Any

from lcconsole.ui.changes import Changes
from lcconsole.ui.store import Store


def apply_thinking(
    store: Store, chat_id: str, author_id: str, title: str | None = None, description: str | None = None
) -> Changes:
    """Someone (usually a bot) is preparing an answer: shown like typing until it answers or the
    indicator goes quiet."""
    text = " — ".join(t for t in (title, description) if t) or None
    store.typing.start(chat_id, author_id, text, kind="thinking")
    return Changes(typing={chat_id})


def apply_deleted_event(store: Store, chat_id: str, thread_id: str, event_id: str) -> Changes:
    """An event was deleted: it stays in its place, shown as deleted (its content is gone)."""
    from lcconsole.wire.objects import DeletedEvent

    store.touch(chat_id, "events")
    thread = store.threads.get(chat_id, {}).get(thread_id)
    old = next((e for e in thread.events if e.id == event_id), None) if thread else None
    if old is None or isinstance(old, DeletedEvent):
        return Changes()
    gone = DeletedEvent(
        id=old.id,
        custom_id=old.custom_id,
        order=old.order,
        type=old.type,
        author_id=old.author_id,
        timestamp=old.timestamp,
        recipients=old.recipients,
    )
    return store._add_event(chat_id, thread_id, gone)


def apply_visitors_seen(store: Store, customers: Any) -> Changes:
    """Customers on the website (a subscription's answer or a push): kept as visitors."""
    changes = Changes()
    for customer in customers:
        if customer.id:
            store.visitor_ids.setdefault(customer.id, None)
            changes.update(store._put_customer(customer))
            changes.customers.add(customer.id)
    return changes


def apply_visitor_left(store: Store, customer_id: str, left_at: str | None = None) -> Changes:
    """A customer left the website: their visit ends, they are no visitor any more."""
    from lcconsole.wire.objects import Customer

    known = store.visitor_ids.pop(customer_id, 0) is None
    changes = Changes(customers={customer_id}) if known else Changes()
    old = store.customers.get(customer_id)
    if old is not None and old.last_visit is not None and left_at:
        visit = old.last_visit.model_dump(exclude_unset=True) | {"ended_at": left_at}
        changes.update(store._put_customer(Customer(id=customer_id, last_visit=visit)))
    return changes

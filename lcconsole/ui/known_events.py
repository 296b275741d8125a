"""The events the store knows per chat, and the unread counts over them."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from lcconsole.ui.chat_items import count_unread
from lcconsole.ui.store_merge import order_of


class KnownEvents:
    """Per chat, the events the store knows: its loaded threads' and pushed ones, and its
    summary's last ones as `EventStub`s. They tell a new event from one already shown, whether
    an outbox send arrived (`find_custom_id`) and how many customer messages are unread.

    A chat knowing one event holds it bare: most chats know only their summary's last message,
    and a dict for it would cost more than the stub."""

    def __init__(self) -> None:
        self._events: dict[str, Any] = {}  # chat -> event, or event id -> event
        # chat -> (my last-seen time, unread count): `unread` without a walk over every known
        # event of a chat that knows many, per row update; dropped whenever the chat's events or
        # customers change
        self._unread: dict[str, tuple[int, int]] = {}

    def of(self, chat_id: str) -> Iterable[Any]:
        """The known events of a chat."""
        known = self._events.get(chat_id)
        return () if known is None else known.values() if type(known) is dict else (known,)

    def get(self, chat_id: str, event_id: str | None) -> Any | None:
        """The known event of a chat with this id, or None."""
        known = self._events.get(chat_id)
        if type(known) is dict:
            return known.get(event_id)
        return known if known is not None and known.id == event_id else None

    def put(self, chat_id: str, event: Any) -> None:
        """Know `event` (replacing a known one with its id)."""
        known = self._events.get(chat_id)
        if type(known) is dict:
            known[event.id] = event
        elif known is None or known.id == event.id:
            self._events[chat_id] = event
        else:
            self._events[chat_id] = {known.id: known, event.id: event}
        self._unread.pop(chat_id, None)

    def remember(self, chat_id: str, event: Any) -> bool:
        """Know `event` unless its id is known already; True when it was new."""
        if self.get(chat_id, event.id) is not None:
            return False
        self.put(chat_id, event)
        return True

    def drop(self, chat_id: str) -> None:
        """Forget a chat's events."""
        self._events.pop(chat_id, None)
        self._unread.pop(chat_id, None)

    def customers_changed(self, chat_id: str) -> None:
        """A chat's customers changed: its unread count is to be counted again."""
        self._unread.pop(chat_id, None)

    def find_custom_id(self, chat_id: str, custom_id: str) -> Any | None:
        """A known event of the chat with this custom_id (outbox delivery check)."""
        for event in self.of(chat_id):
            if getattr(event, "custom_id", None) == custom_id:
                return event
        return None

    def count_newer(self, chat_id: str, order: int) -> int:
        """How many known events of a chat have an order above `order`."""
        return sum(1 for e in self.of(chat_id) if order_of(e) > order)

    def max_order(self, chat_id: str) -> int:
        """The highest event order known for a chat (-1 when none)."""
        return max((order_of(e) for e in self.of(chat_id)), default=-1)

    def unread(self, chat_id: str, customers: Collection[str], seen: int) -> int:
        """The customers' messages (any customer event but system messages) after `seen` among
        the chat's known events."""
        memo = self._unread.get(chat_id)
        if memo is not None and memo[0] == seen:
            return memo[1]
        count = count_unread(self.of(chat_id), customers, seen)
        if type(self._events.get(chat_id)) is dict:  # a walk worth saving (one event is not)
            self._unread[chat_id] = (seen, count)
        return count

"""The store's index of its chats: the tags and access groups in use, and each customer's chats.

Kept small because it holds an entry per chat: a chat is `(tags, groups, *customer ids)` in one
flat tuple, or just its customer id when it has one customer, no tags and every agent's group
(most chats: -64 B each); tags and groups tuples are shared between chats (few are distinct); a
customer's chats are one id, or a tuple when more than one (a set costs 4x more).
"""

from __future__ import annotations

from collections import Counter

Entry = tuple[tuple, tuple, *tuple[str, ...]]
PLAIN: tuple[tuple, tuple] = ((), (0,))  # no tags, access group 0 (all agents)


class ChatIndex:
    """Tags, groups and customers of the chats `put` into it."""

    def __init__(self) -> None:
        self._entries: dict[str, str | Entry] = {}
        self._tags: Counter[str] = Counter()
        self._groups: Counter[int] = Counter()
        self._customer_chats: dict[str, str | tuple[str, ...]] = {}
        self._shared: dict[tuple, tuple] = {}

    def put(self, chat_id: str, tags: tuple, groups: tuple, customer_ids: tuple[str, ...]) -> bool:
        """Index a chat as it is now; True when its customers changed."""
        old = self._entry(chat_id)
        new: Entry = (self._one_copy(tags), self._one_copy(groups), *customer_ids)
        self._entries[chat_id] = new[2] if len(new) == 3 and new[:2] == PLAIN else new
        return self._move(chat_id, old, new)

    def remove(self, chat_id: str) -> bool:
        """Forget a chat; True when it had customers."""
        old = self._entry(chat_id)
        self._entries.pop(chat_id, None)
        return self._move(chat_id, old, ((), ()))

    def tags(self) -> list[str]:
        """Tags of any indexed chat, sorted."""
        return sorted(t for t, n in self._tags.items() if n > 0)

    def groups(self) -> set[int]:
        """Access groups of any indexed chat."""
        return {g for g, n in self._groups.items() if n > 0}

    def customers(self, chat_id: str) -> tuple[str, ...]:
        """The customer ids of an indexed chat."""
        return self._entry(chat_id)[2:]

    def chats_of(self, customer_id: str) -> tuple[str, ...]:
        """The indexed chats of a customer."""
        chats = self._customer_chats.get(customer_id, ())
        return (chats,) if isinstance(chats, str) else chats

    def __bool__(self) -> bool:
        return bool(self._customer_chats)

    def _entry(self, chat_id: str) -> Entry:
        entry = self._entries.get(chat_id)
        if entry is None:
            return ((), ())
        return (*PLAIN, entry) if type(entry) is str else entry

    def _move(self, chat_id: str, old: Entry, new: Entry) -> bool:
        if old == new:
            return False
        self._tags.subtract(old[0])
        self._tags.update(new[0])
        self._groups.subtract(old[1])
        self._groups.update(new[1])
        for customer_id in old[2:]:
            self._set_chats(customer_id, [c for c in self.chats_of(customer_id) if c != chat_id])
        for customer_id in new[2:]:
            chats = self.chats_of(customer_id)
            if chat_id not in chats:
                self._set_chats(customer_id, [*chats, chat_id])
        return old[2:] != new[2:]

    def _set_chats(self, customer_id: str, chats: list[str]) -> None:
        if not chats:
            self._customer_chats.pop(customer_id, None)
        else:
            self._customer_chats[customer_id] = chats[0] if len(chats) == 1 else tuple(chats)

    def _one_copy(self, value: tuple) -> tuple:
        if len(self._shared) > 4096:
            self._shared.clear()
        return self._shared.setdefault(value, value)

"""The chat list's order: sort keys, the filter, the full order of every section, and a replaced
list's order before it is complete (enough for its first frame)."""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter

from lcconsole.ui.chat_items import SECTIONS, ChatListItem

SortKey = Callable[[ChatListItem], tuple]
Rank = Callable[[ChatListItem], float]
NOT_WAITING = 1e12  # past any timestamp in seconds: ranks the rows nobody waits in after the rest
TOP_ROWS = 64  # a partial order holds at least this many rows of a section (a tall screen)
PARTIAL_LIMIT = 8  # a partial order of more than 1/8 of a big section: sort it all instead
SMALL_SECTION = 1024  # a section this small is sorted whole when its first row is drawn


def waiting_key(item: ChatListItem) -> tuple:
    """Longest-waiting first, then the latest activity."""
    if item.waiting_since is not None:
        return (0, item.waiting_since, item.chat_id)
    return (1, -item.last_activity, item.chat_id)


def waiting_rank(item: ChatListItem) -> float:
    """`waiting_key` as one float (ties aside): a float is no container, so ranking a section
    allocates nothing the garbage collector counts."""
    if item.waiting_since is not None:
        return item.waiting_since
    return NOT_WAITING - item.last_activity


def activity_key(item: ChatListItem) -> tuple:
    """Latest activity first."""
    return (-item.last_activity, item.chat_id)


def activity_rank(item: ChatListItem) -> float:
    """`activity_key` as one float (ties aside)."""
    return -item.last_activity


def matches(item: ChatListItem, needle: str) -> bool:
    """The filter: `needle` (casefolded) in the customer name, preview or tags."""
    return needle in f"{item.customer_name}\n{item.preview}\n{' '.join(item.tags)}".casefold()


@dataclass(slots=True)
class FullOrder:
    """Every row by id, each section's shown rows in the order of `sort_key`, their ranks (see
    PendingOrder) and each section's number of rows, hidden ones included. The sections hold the
    rows themselves, not key tuples (~90 B a row: 9 MiB at 100k chats); a row is found by
    bisecting its section's ranks (8 B a row, compared in C), ties told apart by the key."""

    items: dict[str, ChatListItem]
    sections: dict[str, list[ChatListItem]]
    totals: dict[str, int]
    sort_key: SortKey
    rank: Rank
    ranks: dict[str, array[float]]

    def find(self, item: ChatListItem) -> int | None:
        """The place of `item`'s chat in `item`'s section, found by `item`'s rank (the row there
        has the same key), or None when it is not there."""
        rows, ranks, rank = self.sections[item.section], self.ranks[item.section], self.rank(item)
        i = bisect_left(ranks, rank)
        while i < len(rows) and ranks[i] == rank:
            if rows[i].chat_id == item.chat_id:
                return i
            i += 1
        return None

    def insert(self, item: ChatListItem) -> None:
        """Put a shown row in its section, in order."""
        rows, ranks, rank = self.sections[item.section], self.ranks[item.section], self.rank(item)
        i = bisect_left(ranks, rank)
        if i < len(rows) and ranks[i] == rank:  # rows of the same rank: placed among them by key
            key = self.sort_key(item)
            while i < len(rows) and ranks[i] == rank and self.sort_key(rows[i]) < key:
                i += 1
        rows.insert(i, item)
        ranks.insert(i, rank)

    def delete(self, section: str, i: int) -> None:
        """Drop row `i` of `section`."""
        del self.sections[section][i], self.ranks[section][i]


def full_order(items: dict[str, ChatListItem], sort_key: SortKey, needle: str, rank: Rank) -> FullOrder:
    """Order `items` (O(n log n)); `needle`: the casefolded filter, or "" for none; `rank`: the
    float that goes with `sort_key`."""
    sections: dict[str, list[ChatListItem]] = {s: [] for s in SECTIONS}
    totals: dict[str, int] = {s: 0 for s in SECTIONS}
    for item in items.values():
        totals[item.section] += 1
        if needle and not matches(item, needle):
            continue
        sections[item.section].append(item)
    ranks = {s: _in_order(rows, sort_key, rank) for s, rows in sections.items()}
    return FullOrder(items, sections, totals, sort_key, rank, ranks)


def _in_order(rows: list[ChatListItem], sort_key: SortKey, rank: Rank) -> array[float]:
    """Sort `rows` by `sort_key`: by rank (floats compare far faster than key tuples), then each
    run of one rank by key; their ranks."""
    rows.sort(key=rank)
    ranks = array("d", map(rank, rows))
    i, count = 1, len(rows)
    while i < count:
        if ranks[i] != ranks[i - 1]:
            i += 1
            continue
        start = i - 1
        while i < count and ranks[i] == ranks[start]:
            i += 1
        rows[start:i] = sorted(rows[start:i], key=sort_key)
    return ranks


class PendingOrder:
    """A replaced, unfiltered list before its full order: its rows grouped by section (one pass,
    no sort) and, on demand, the first rows of a section in the full order (`row`).

    `rank` is a float per row that never puts two rows against their keys' order (it may tie
    rows the key tells apart): a section's top n are the n first, by key, of the rows ranked at
    most as its n-th smallest rank."""

    __slots__ = ("items", "sort_key", "rank", "groups", "_tops")

    def __init__(
        self, rows: Iterable[ChatListItem], items: dict[str, ChatListItem] | None, sort_key: SortKey, rank: Rank
    ) -> None:
        self.items, self.sort_key, self.rank = items, sort_key, rank
        self.groups: dict[str, list[ChatListItem]] = {s: [] for s in SECTIONS}
        add = {s: group.append for s, group in self.groups.items()}
        for row in rows:
            add[row.section](row)
        self._tops: dict[str, list[ChatListItem]] = {s: [] for s in SECTIONS}

    def has(self, chat_id: str) -> bool:
        """Whether a row of `chat_id` is in the list."""
        if self.items is not None:
            return chat_id in self.items
        return any(chat_id in map(attrgetter("chat_id"), group) for group in self.groups.values())

    def row(self, section: str, index: int) -> ChatListItem | None:
        """Row `index` of `section` in the full order, or None when it lies too deep in a big
        section for a partial order (sort everything then)."""
        top = self._tops[section]
        if index < len(top):
            return top[index]
        group = self.groups[section]
        want = max(TOP_ROWS, 2 * (index + 1))
        if index >= len(group) or (want * PARTIAL_LIMIT > len(group) and len(group) > SMALL_SECTION):
            return None
        ranks = list(map(self.rank, group))
        bound = heapq.nsmallest(want, ranks)[-1]
        ahead = compress(group, map(bound.__ge__, ranks))  # the top, and rows tied with its last
        top = self._tops[section] = sorted(ahead, key=self.sort_key)[:want]
        return top[index]

    def complete(self) -> FullOrder:
        """The full order of these rows."""
        if self.items is not None:
            items = self.items
        else:
            items = {row.chat_id: row for group in self.groups.values() for row in group}
        self.groups, self._tops = {}, {}  # not held while the full order is built (peak RSS)
        return full_order(items, self.sort_key, "", self.rank)

"""TranscriptFeed: the open chat's transcript entries, kept in step with the store by deltas.

The store says which threads and events an update touched (`Changes.transcript_delta`). The
feed builds entries for those only and says what the transcript widget must do: replace entries
in place, append them at the end, or, when positions moved (an older thread loaded, an event
landing before others, the outbox's pending tail changed), take the whole list, which the widget
splices. Everything is built from scratch only when the open chat changes, or when an author's
name changed (every entry by them shows it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lcconsole.ui.viewmodels import EntryCache, TranscriptEntry, thread_head, thread_tail

if TYPE_CHECKING:
    from lcconsole.ui.store import Store
    from lcconsole.ui.widgets.transcript import Transcript
    from lcconsole.wire.objects import Thread


@dataclass
class Patch:
    """What the transcript widget must do after `TranscriptFeed.apply`: `replace` each of
    `replaced` and `append` each of `appended`, or, when `moved`, take `TranscriptFeed.entries`
    whole (`set_entries`)."""

    replaced: list[TranscriptEntry] = field(default_factory=list)
    appended: list[TranscriptEntry] = field(default_factory=list)
    moved: bool = False

    def __bool__(self) -> bool:
        return bool(self.replaced or self.appended or self.moved)


class _Segment:
    """The entries of one loaded thread: head (separator), body (its events), tail (summary)."""

    def __init__(self, thread: Thread, cache: EntryCache, users: Mapping[str, Any], my_id: str) -> None:
        self.thread = thread
        self.head = thread_head(thread)
        self.body = [] if thread.restricted_access else cache.body(thread, users, my_id)
        self.tail = [] if thread.restricted_access else thread_tail(thread, self.body)
        self.index = {e.key: i for i, e in enumerate(self.body)}
        # events without an order are shown last, in arrival order: deltas cannot place them
        self.unordered = any(e.order is None for e in thread.events)

    @property
    def entries(self) -> list[TranscriptEntry]:
        return self.head + self.body + self.tail

    def apply(
        self,
        event_ids: Iterable[str],
        cache: EntryCache,
        users: Mapping[str, Any],
        my_id: str,
        patch: Patch,
        at_end: bool,
    ) -> bool:
        """Rebuild the entries of these events (appended when new and last; `at_end`: nothing
        is shown after this thread); False when the delta cannot be placed (rebuild instead)."""
        thread, body = self.thread, self.body
        if thread.restricted_access or self.unordered:
            return False
        events = thread.events
        appended: list[TranscriptEntry] = []
        was_empty = not body  # else the separator keeps its place: events only land after it
        for event_id in event_ids:
            event = next((e for e in reversed(events) if e.id == event_id), None)
            if event is None or event.order is None:
                return False
            entry = cache.entry(thread.id or "", event, users, my_id)
            at = self.index.get(entry.key)
            if at is not None:  # changed in place: only when it keeps its place among equals
                old = body[at]
                if (
                    old.order != entry.order
                    or (at and body[at - 1].order == entry.order)
                    or (at + 1 < len(body) and body[at + 1].order == entry.order)
                ):
                    return False
                body[at] = entry
                if old is not entry and old != entry:
                    patch.replaced.append(entry)
            elif event is events[-1] and (not body or body[-1].order <= entry.order):
                self.index[entry.key] = len(body)
                body.append(entry)
                appended.append(entry)
            else:
                return False
        if not self._same_edges(patch, was_empty):
            return False
        if appended:
            if at_end and not self.tail:
                patch.appended.extend(appended)
            else:
                patch.moved = True
        return True

    def _same_edges(self, patch: Patch, head_too: bool) -> bool:
        """Tail (and with `head_too` head) built again; False when their keys changed. The head
        depends on the thread's state (a thread delta rebuilds the segment) and its first event's
        order, which an event delta changes only when the body was empty."""
        head = thread_head(self.thread) if head_too else self.head
        tail = thread_tail(self.thread, self.body)
        if [e.key for e in head] != [e.key for e in self.head] or [e.key for e in tail] != [e.key for e in self.tail]:
            return False
        n = len(head)
        edges = [*self.head, *self.tail]
        for i, new in enumerate([*head, *tail]):
            if edges[i] != new:
                edges[i] = new
                patch.replaced.append(new)
        self.head, self.tail = edges[:n], edges[n:]
        return True


class TranscriptFeed:
    """The open chat's transcript entries (threads oldest first, then the outbox's pending
    and failed sends), owned by the main screen together with its entry cache."""

    def __init__(self, cache: EntryCache | None = None) -> None:
        self.cache = cache if cache is not None else EntryCache()
        self.chat_id: str | None = None
        self._my_id = ""
        self._segments: dict[str, _Segment] = {}
        self._pending: list[TranscriptEntry] = []

    @property
    def entries(self) -> list[TranscriptEntry]:
        """Every entry of the open chat, in display order."""
        out: list[TranscriptEntry] = []
        for segment in self._segments.values():
            out += segment.entries
        return out + self._pending

    def build(
        self, store: Store, chat_id: str | None, pending: Iterable[TranscriptEntry] = ()
    ) -> list[TranscriptEntry]:
        """Build the chat's entries from the store (a chat was opened); returns `entries`."""
        self.chat_id, self._my_id = chat_id, store.my_id
        self._segments = {}
        if chat_id:
            users = store.chat_users(chat_id)
            for thread in store.loaded_threads(chat_id):
                self._segments[thread.id or ""] = _Segment(thread, self.cache, users, store.my_id)
        self._pending = list(pending) if chat_id else []
        return self.entries

    def show(
        self,
        transcript: Transcript,
        store: Store,
        chat_id: str | None,
        pending: Iterable[TranscriptEntry] = (),
        delta: tuple[set[str], dict[str, set[str]]] | None = None,
        rebuild: bool = False,
    ) -> None:
        """Bring `transcript` (the widget) in step with the store for `chat_id` and the outbox's
        `pending` entries: everything when the chat was just opened (or with `rebuild`), else
        only what `delta` (changed thread ids, thread id -> changed event ids) names."""
        pending = list(pending)
        patch = None
        if chat_id and chat_id == self.chat_id and not rebuild:
            threads, events = delta if delta is not None else (set(), {})
            patch = self.apply(store, threads, events, pending)
        if patch is None:
            transcript.set_entries(self.build(store, chat_id, pending))
        elif patch.moved:
            transcript.set_entries(self.entries)  # the widget keeps what is unchanged
        else:
            for entry in patch.replaced:
                transcript.replace(entry)
            for entry in patch.appended:
                transcript.append(entry)

    def apply(
        self, store: Store, threads: set[str], events: dict[str, set[str]], pending: Iterable[TranscriptEntry]
    ) -> Patch | None:
        """Bring the entries in step after a store update that changed these `threads` (thread
        ids) and `events` (thread id -> event ids) of the open chat, with the outbox's current
        `pending` entries. None: no delta applies (names changed): `build` instead."""
        chat_id, my_id = self.chat_id, store.my_id
        if chat_id is None or my_id != self._my_id:
            return None
        users = store.chat_users(chat_id)
        if any(self.cache.authors_changed(tid, users, my_id) for tid in self._segments):
            return None
        patch = Patch()
        loaded = store.loaded_threads(chat_id)
        if [t.id or "" for t in loaded] != list(self._segments):
            patch.moved = True  # a thread loaded (or gone): the widget splices the whole list
        pending = list(pending)
        segments: dict[str, _Segment] = {}
        for n, thread in enumerate(loaded):
            tid = thread.id or ""
            segment = self._segments.get(tid)
            last = n == len(loaded) - 1 and not pending
            if segment is not None and segment.thread is thread and tid not in threads:
                if tid in events and not segment.apply(sorted(events[tid]), self.cache, users, my_id, patch, last):
                    segment = None
                    patch.moved = True
            else:
                fresh = _Segment(thread, self.cache, users, my_id)
                if segment is not None and not patch.moved:
                    _diff(segment.entries, fresh.entries, patch)
                segment = fresh
            segments[tid] = segment or _Segment(thread, self.cache, users, my_id)
        self._segments = segments
        if not patch.moved:
            _diff(self._pending, pending, patch)
        self._pending = pending
        return patch


def _diff(old: list[TranscriptEntry], new: list[TranscriptEntry], patch: Patch) -> None:
    """Replacements for entries that changed in place; `moved` when the keys differ."""
    if [e.key for e in old] != [e.key for e in new]:
        patch.moved = True
        return
    patch.replaced.extend(b for a, b in zip(old, new, strict=True) if a is not b and a != b)

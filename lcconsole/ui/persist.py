"""Durable drafts and outbox in the user data dir (JSON files replaced atomically, fsynced).

Drafts: the composer text per chat, written (debounced by the screen) on every change so they
survive switching chats, quitting and a killed process.

Outbox: every message or file the agent sends is recorded *before* the request goes out, under a
fresh `custom_id`. A send that fails with a retryable/connection error stays `pending` and is
delivered after reconnect — first checking (by custom_id) whether the earlier attempt landed, so
it is delivered exactly once. A send that fails for good becomes `failed` with its error and stays
visible until the agent retries, edits, copies or discards it. The outbox is written (and fsynced)
in a thread, never on the event loop: the sender awaits `flush()` before each request goes out.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import ClassVar, Literal, Self


def write_atomic(path: Path, data: object) -> None:
    """Write JSON to `path` via a fsynced temp file and rename (mode 0600); callable from any
    thread (each writes its own temp file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def read_json(path: Path, default: object) -> object:
    """Read JSON from `path`, or `default` when missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


class InDataDir:
    """A store kept as one file in the console's data directory (`FILE`)."""

    FILE: ClassVar[str]

    def __init__(self, path: Path | None) -> None:
        raise NotImplementedError

    @classmethod
    def in_data_dir(cls, data_dir: Path | None) -> Self:
        """The one kept in `data_dir` (None: in memory only)."""
        return cls(data_dir / cls.FILE if data_dir else None)


class Drafts(InDataDir):
    """Composer text per chat id, persisted to `drafts.json`."""

    FILE = "drafts.json"

    def __init__(self, path: Path | None) -> None:
        self.path = path
        raw = read_json(path, {}) if path else {}
        self._drafts: dict[str, str] = {
            str(k): v for k, v in (raw.items() if isinstance(raw, dict) else ()) if isinstance(v, str)
        }
        self.dirty = False

    def get(self, chat_id: str) -> str:
        """The draft of a chat ('' when none)."""
        return self._drafts.get(chat_id, "")

    def set(self, chat_id: str, text: str) -> bool:
        """Remember a draft (empty text removes it); True when it changed."""
        if self._drafts.get(chat_id, "") == text:
            return False
        if text:
            self._drafts[chat_id] = text
        else:
            self._drafts.pop(chat_id, None)
        self.dirty = True
        return True

    def save(self) -> None:
        """Write to disk if anything changed since the last save."""
        if self.dirty and self.path is not None:
            write_atomic(self.path, self._drafts)
        self.dirty = False


class UnreadMarks(InDataDir):
    """Chats the agent marked unread (`N`), persisted to `unread.json`: the Agent Chat API only
    moves `last_seen_timestamp` forward, so "unread again" is kept on this computer until the
    agent opens or answers the chat."""

    FILE = "unread.json"

    def __init__(self, path: Path | None) -> None:
        self.path = path
        raw = read_json(path, []) if path else []
        self._ids: set[str] = {str(v) for v in raw} if isinstance(raw, list) else set()

    def __contains__(self, chat_id: object) -> bool:
        return chat_id in self._ids

    def mark(self, chat_id: str, unread: bool) -> bool:
        """Mark or unmark a chat; saved at once; True when it changed."""
        if (chat_id in self._ids) == unread:
            return False
        if unread:
            self._ids.add(chat_id)
        else:
            self._ids.discard(chat_id)
        if self.path is not None:
            write_atomic(self.path, sorted(self._ids))
        return True


Kind = Literal["message", "note", "file", "image"]
State = Literal["pending", "failed"]


@dataclass
class OutboxEntry:
    """One message or file on its way to a chat."""

    custom_id: str
    chat_id: str
    kind: Kind
    text: str = ""
    path: str = ""
    state: State = "pending"
    error: str = ""
    created: float = field(default_factory=time.time)
    attempts: int = 0

    @property
    def recipients(self) -> str:
        """`agents` for notes, `all` otherwise."""
        return "agents" if self.kind == "note" else "all"


class Outbox(InDataDir):
    """Messages and files not yet confirmed by the server, persisted to `outbox.json`."""

    FILE = "outbox.json"

    def __init__(self, path: Path | None) -> None:
        self.path = path
        raw = read_json(path, []) if path else []
        self.entries: dict[str, OutboxEntry] = {}
        self.dirty = False  # changed since the last write
        self._writing = asyncio.Lock()  # writes land in the order they were taken
        for item in raw if isinstance(raw, list) else ():
            try:
                entry = OutboxEntry(**item)
            except TypeError:
                continue
            self.entries[entry.custom_id] = entry

    def _snapshot(self) -> list[dict[str, object]] | None:
        """The entries to write now (None when nothing changed), taken on the caller's thread."""
        if not self.dirty or self.path is None:
            return None
        self.dirty = False
        return [asdict(e) for e in self.entries.values()]

    async def flush(self) -> None:
        """Once this returns, the entries as they were at the call are on disk (the write and its
        fsync run in a thread)."""
        data = self._snapshot()
        if data is None:
            # an earlier flush may still be writing what this one must wait for
            async with self._writing:
                return
        async with self._writing:
            assert self.path is not None
            await asyncio.to_thread(write_atomic, self.path, data)

    def save(self) -> None:
        """Write now, on this thread (when quitting)."""
        data = self._snapshot()
        if data is not None:
            assert self.path is not None
            write_atomic(self.path, data)

    def add(self, chat_id: str, kind: Kind, text: str = "", path: str = "") -> OutboxEntry:
        """Record a new send (on disk after the next `flush`, which the sender awaits before
        the request goes out)."""
        entry = OutboxEntry(custom_id=f"lcc-{uuid.uuid4().hex}", chat_id=chat_id, kind=kind, text=text, path=path)
        self.entries[entry.custom_id] = entry
        self.dirty = True
        return entry

    def done(self, custom_id: str) -> OutboxEntry | None:
        """The server has it: forget the entry."""
        entry = self.entries.pop(custom_id, None)
        if entry is not None:
            self.dirty = True
        return entry

    def mark(self, custom_id: str, state: State, error: str = "") -> None:
        """Set an entry's state (and error text)."""
        entry = self.entries.get(custom_id)
        if entry is not None:
            entry.state, entry.error = state, error
            entry.attempts += 1
            self.dirty = True

    def for_chat(self, chat_id: str) -> list[OutboxEntry]:
        """Entries of a chat, oldest first."""
        return sorted((e for e in self.entries.values() if e.chat_id == chat_id), key=lambda e: e.created)

    def pending(self) -> list[OutboxEntry]:
        """Entries waiting for delivery, oldest first."""
        return sorted((e for e in self.entries.values() if e.state == "pending"), key=lambda e: e.created)

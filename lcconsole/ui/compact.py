"""A dict of pydantic models that keeps most of them as compact JSON (memory at 10k chats).

A `ChatSummary` model costs ~8 KB of Python objects for ~0.9 KB of JSON. `CompactModels` keeps
each value either as a live model (the most recently used `capacity` ones, an LRU) or as the
model's compact JSON, deflated with a preset dictionary made of the first values stored (values of
one model type share most of their bytes: ~0.9 KB of summary JSON becomes ~0.1-0.4 KB). Reading a
compact value parses it back once and caches it; when the cache overflows, the least recently
used model goes back to compact form.

Writes: `m[key] = model` or `with m.edit(key) as model: ...`. While a key is being edited it is
pinned (never evicted, so no change can land on a copy that was already serialised) and on exit
it is written back as a new value (its old compact form is dropped, `on_write` is told). Values
obtained by plain reads are for reading; an in-place change to one is still kept if it happens
while the value is cached (eviction compares it with the form it was parsed from).

Keys keep their insertion order like a dict (a value swapping form keeps its slot). Iterating
keys, `len` and `in` never parse; `values()`/`items()` parse what is not cached, so whole-store
questions are answered from indexes kept current through `on_write` (see `Store`), not a scan.
"""

from __future__ import annotations

import contextlib
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any, Generic, TypeVar

K = TypeVar("K")
M = TypeVar("M")

DEFAULT_CAPACITY = 32
MEM_LEVEL = 5
"""zlib's memLevel for one value: a compressor clears its hash table when it is made, and at the
default 9 (128 KiB) that cost ~0.12 ms per value, 7x the deflating; values of ~1-10 KB compress
to the same bytes at 5 (~1% larger at 32 KB). Every value gets a new compressor (its own stream
with the preset dictionary), so this is paid per write: 100 chats at login, 10k in a resync."""
ZDICT_VALUES = 8
"""How many values' JSON make the preset dictionary. Values share more than their keys (an email
domain, words of their messages): with 8 instead of 1, a bench summary deflates to ~90 instead of
~115 bytes (-0.25 MiB at 10k chats, -2.5 MiB at 100k); loading the larger dictionary costs each
write ~5 us more."""


class CompactModels(MutableMapping[K, M], Generic[K, M]):
    """Mapping key -> pydantic model of `model_type`, most values stored as compact JSON."""

    def __init__(self, model_type: Any, capacity: int = DEFAULT_CAPACITY) -> None:
        """`model_type`: the model class, or "module:Name" imported on first parse (lazy)."""
        self._model_type = model_type
        self.capacity = max(1, capacity)
        self._data: dict[K, Any] = {}  # key -> live model or JSON bytes
        # cached keys, least recent first -> the compact form the model was parsed from (if any)
        self._live: OrderedDict[K, bytes | None] = OrderedDict()
        self._zdict: bytes | None = None  # preset dictionary, fixed at the first dump
        self._pinned: dict[K, int] = {}  # keys being edited -> nesting depth
        self.on_write: Callable[[K, M | None], None] | None = None  # after every write/delete

    # --- forms ----------------------------------------------------------------------------------

    @property
    def model_type(self) -> Any:
        """The model class values are parsed into."""
        if isinstance(self._model_type, str):
            import importlib

            module, _, name = self._model_type.partition(":")
            self._model_type = getattr(importlib.import_module(module), name)
        return self._model_type

    @staticmethod
    def _json(model: Any) -> bytes:
        return model.model_dump_json(exclude_none=True, by_alias=True).encode()

    def _dump(self, model: Any) -> bytes:
        raw = self._json(model)
        if self._zdict is None:
            self._zdict = self._preset(raw)
        packer = zlib.compressobj(6, zlib.DEFLATED, -15, MEM_LEVEL, zlib.Z_DEFAULT_STRATEGY, self._zdict)
        return packer.compress(raw) + packer.flush()

    def _preset(self, raw: bytes) -> bytes:
        """The preset dictionary: the JSON of up to `ZDICT_VALUES - 1` values held parsed now,
        then `raw` (deflate prefers the nearest match: the end of a dictionary; at most its
        window, 32 KiB)."""
        others = (self._data.get(key) for key in reversed(self._live))
        parsed = [v for v in others if v is not None and not isinstance(v, bytes)][: ZDICT_VALUES - 1]
        return b"".join([*(self._json(v) for v in reversed(parsed)), raw])[-32768:]

    def _raw(self, blob: bytes) -> bytes:
        unpacker = zlib.decompressobj(-15, self._zdict or b"")
        return unpacker.decompress(blob) + unpacker.flush()

    def _touch(self, key: K, origin: bytes | None = None) -> None:
        if origin is not None or key not in self._live:
            self._live[key] = origin
        self._live.move_to_end(key)
        while len(self._live) > self.capacity + len(self._pinned):
            old = next((k for k in self._live if k not in self._pinned), None)
            if old is None:
                break
            blob = self._live.pop(old)
            value = self._data.get(old)
            if value is not None and not isinstance(value, bytes):
                if blob is not None and self._raw(blob) == self._json(value):
                    self._data[old] = blob  # unchanged: the old compact form is still right
                else:
                    self._data[old] = self._dump(value)  # write-back keeps in-place changes

    # --- mapping API ----------------------------------------------------------------------------

    def __getitem__(self, key: K) -> M:
        value = self._data[key]
        origin = None
        if isinstance(value, bytes):
            origin, value = value, self.model_type.model_validate_json(self._raw(value))
            self._data[key] = value
        self._touch(key, origin)
        return value

    def __setitem__(self, key: K, model: M) -> None:
        self._data[key] = model
        self._live.pop(key, None)  # a new model: its old compact form is stale
        self._touch(key)
        if self.on_write is not None:
            self.on_write(key, model)

    def __delitem__(self, key: K) -> None:
        del self._data[key]
        self._live.pop(key, None)
        if self.on_write is not None:
            self.on_write(key, None)

    @contextlib.contextmanager
    def edit(self, key: K) -> Iterator[M | None]:
        """Change the value of `key` in place: `with m.edit(k) as model: model.x = 1`.

        Yields None when `key` is absent (nothing is written then). The value stays parsed and
        pinned for the block and is written back as a new value at the end (also on error)."""
        if key not in self._data:
            yield None
            return
        model = self[key]
        self._pinned[key] = self._pinned.get(key, 0) + 1
        try:
            yield model
        finally:
            depth = self._pinned.pop(key) - 1
            if depth:
                self._pinned[key] = depth
            if self._data.get(key) is model:
                self[key] = model

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"CompactModels({len(self._data)} entries, {len(self._live)} live)"

    def clear(self) -> None:
        """Forget everything (faster than the mixin's one-by-one popitem)."""
        keys = list(self._data) if self.on_write is not None else []
        self._data.clear()
        self._live.clear()
        for key in keys:
            self.on_write(key, None)

    # --- extras ---------------------------------------------------------------------------------

    def live_count(self) -> int:
        """How many values are held as parsed models right now."""
        return len(self._live)

    def same(self, key: K, model: Any) -> bool:
        """True when the stored value equals `model` (compared as JSON when not parsed)."""
        value = self._data.get(key)
        if value is None:
            return False
        if isinstance(value, bytes):
            return self._raw(value) == self._json(model)
        return value == model


class EventStub:
    """What the store remembers of an event it does not otherwise hold (a summary's last event):
    id, type, order, custom_id, author and timestamp (~120 bytes instead of a ~1.5 KB model)."""

    __slots__ = ("id", "type", "order", "custom_id", "author_id", "timestamp")

    def __init__(self, event: Any) -> None:
        self.id = getattr(event, "id", None)
        self.type = getattr(event, "type", None)
        self.order = getattr(event, "order", None)
        self.custom_id = getattr(event, "custom_id", None)
        self.author_id = getattr(event, "author_id", None)
        self.timestamp = getattr(event, "timestamp", None)

    def __repr__(self) -> str:
        return f"EventStub({self.id!r}, order={self.order!r})"

"""Input suggesters: comma-separated tag completion and filesystem path completion."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from textual.suggester import Suggester


class TagListSuggester(Suggester):
    """Completes the last comma-separated item of the value from known tags (case-insensitive)."""

    def __init__(self, known: Iterable[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._known = sorted({t for t in known if t}, key=str.casefold)

    async def get_suggestion(self, value: str) -> str | None:
        head, sep, last = value.rpartition(",")
        stem = last.lstrip()
        if not stem:
            return None
        typed = {t.strip().casefold() for t in head.split(",")} if sep else set()
        for tag in self._known:
            if tag.casefold().startswith(stem.casefold()) and tag.casefold() not in typed:
                if tag == stem:
                    return None
                return value[: len(value) - len(stem)] + tag
        return None


class PathSuggester(Suggester):
    """Completes file and directory names of the last path component; directories get a '/'.

    `~` is understood; hidden entries are only offered once the typed name starts with '.'.
    Completion stops at the longest prefix shared by every candidate, like a shell's tab.
    """

    def __init__(self, *, cwd: str | Path | None = None) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._cwd = Path(cwd) if cwd is not None else None

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        directory, _, stem = value.rpartition(os.sep)
        if value.startswith(os.sep) and not directory:
            directory = os.sep
        base = Path(os.path.expanduser(directory or "."))
        if not base.is_absolute() and self._cwd is not None:
            base = self._cwd / base
        try:
            entries = [e for e in os.scandir(base) if e.name.startswith(stem)]
        except OSError:
            return None
        if not stem.startswith("."):
            entries = [e for e in entries if not e.name.startswith(".")]
        if not entries:
            return None
        names = sorted(e.name for e in entries)
        common = os.path.commonprefix(names)
        if len(entries) == 1:
            entry = entries[0]
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            completed = common + (os.sep if is_dir else "")
        else:
            completed = common
        if completed == stem:
            return None
        return value[: len(value) - len(stem)] + completed

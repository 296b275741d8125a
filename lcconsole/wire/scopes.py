"""Scope arithmetic: `ro` ⊂ `rw` and `my` ⊂ `access` ⊂ `all` (docs/api-notes.md §2.7)."""

from __future__ import annotations

from functools import lru_cache

_LEVELS = ("my", "access", "all")
_MODES = ("ro", "rw")


def _split(scope: str) -> tuple[str, str | None, str | None]:
    """`chats.conversation--access:rw` -> ("chats.conversation", "access", "rw")."""
    base, _, mode = scope.partition(":")
    resource, _, level = base.partition("--")
    return resource, (level or None), (mode or None)


def satisfies(granted: str, required: str) -> bool:
    """True when holding `granted` is enough for an action that asks for `required`."""
    if granted == required:
        return True
    g_res, g_lvl, g_mode = _split(granted)
    r_res, r_lvl, r_mode = _split(required)
    if g_res != r_res:
        return False
    if (g_lvl is None) != (r_lvl is None):
        return False
    if g_lvl is not None and (g_lvl not in _LEVELS or r_lvl not in _LEVELS):
        return False
    if g_lvl is not None and _LEVELS.index(g_lvl) < _LEVELS.index(r_lvl):
        return False
    if g_mode in _MODES and r_mode in _MODES:
        return _MODES.index(g_mode) >= _MODES.index(r_mode)
    return g_mode == r_mode


def best_level(granted: set[str] | frozenset[str], required: tuple[str, ...]) -> str | None:
    """The widest chat level (`all`, `access`, `my`) the agent reaches for an action, or None.

    Actions with no scope requirement return "all"; scopes without a level return "all" too.
    Memoised: the emulator asks this on every request with the same few scope sets.
    """
    return _best_level(frozenset(granted), tuple(required))


@lru_cache(maxsize=4096)
def _best_level(granted: frozenset[str], required: tuple[str, ...]) -> str | None:
    if not required:
        return "all"
    best: str | None = None
    for need in required:
        if any(satisfies(have, need) for have in granted):
            level = _split(need)[1] or "all"
            # a wider granted scope lifts the level (e.g. chats--all:rw meets chats--my:rw as all)
            for have in granted:
                h_res, h_lvl, _ = _split(have)
                if h_res == _split(need)[0] and h_lvl and satisfies(have, need):
                    if _LEVELS.index(h_lvl) > _LEVELS.index(level):
                        level = h_lvl
            if best is None or _LEVELS.index(level) > _LEVELS.index(best):
                best = level
    return best

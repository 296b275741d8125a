"""Command palette provider listing every console action (with its current keys)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from lcconsole.ui.keymap import KEY_ACTIONS, effective_keys, key_label, offered


class ConsoleCommands(Provider):
    """Every action of `keymap.KEY_ACTIONS`, run on the main screen."""

    def _entries(self):
        overrides = getattr(self.app, "keymap_overrides", {})
        keys = effective_keys(overrides)
        main = getattr(self.app, "main_screen", None)
        capabilities = main.capabilities() if main is not None else None
        for spec in KEY_ACTIONS:
            if spec.id in ("app.palette",) or not offered(spec.id, capabilities):
                continue
            yield spec, f"{spec.label} ({key_label(keys[spec.id])})"

    def _run(self, action: str) -> None:
        main = [s for s in self.app.screen_stack if getattr(s, "IS_MAIN", False)]
        target = self.app if action.startswith("app.") or not main else main[-1]
        name = action.removeprefix("app.")
        self.app.call_later(target.run_action, name)

    async def discover(self) -> Hits:
        """Every action, unfiltered."""
        for spec, title in self._entries():
            yield DiscoveryHit(title, partial(self._run, spec.action), help=spec.help)

    async def search(self, query: str) -> Hits:
        """Actions whose label, id or help match the query."""
        matcher = self.matcher(query)
        for spec, title in self._entries():
            score = max(matcher.match(title), matcher.match(f"{spec.id} {spec.help}") * 0.8)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, spec.action), help=spec.help)

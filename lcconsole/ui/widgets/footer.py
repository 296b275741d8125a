"""FittedFooter: Textual's footer showing only the key labels that fit whole."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class FittedFooter(Footer):
    """A footer that never cuts a label: after each layout of its screen, the first key that
    runs under the palette key (or past the right edge) is hidden, with every key after it.
    A resize shows them all again for the next fit. Every key stays in the help screen (F1)
    and the command palette.

    Textual's footer rebuilds its keys whenever the screen's bindings are refreshed, which happens
    after every focus change and action even when the shown keys stay the same; this one rebuilds
    only when what it shows changed (a rebuild mounts ~20 widgets, a cost paid per keystroke)."""

    _shown: tuple | None = None  # the keys of the last rebuild

    def on_mount(self) -> None:  # Footer's own on_mount runs too (Textual calls each class's)
        self.screen.screen_layout_refresh_signal.subscribe(self, self._fit)

    def on_unmount(self) -> None:
        self.screen.screen_layout_refresh_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            active = screen.active_bindings
            shown = tuple(
                (key, binding.action, binding.description, enabled, tooltip)
                for key, (_, binding, enabled, tooltip) in active.items()
                if binding.show or key == screen.app.COMMAND_PALETTE_BINDING
            )
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)

    def on_resize(self) -> None:
        for child in self.children:
            child.display = True

    def _fit(self, _screen: Any = None) -> None:
        palette = next((c for c in self.children if c.has_class("-command-palette")), None)
        limit = palette.virtual_region.x if palette is not None else self.size.width
        cut = False
        for child in self.children:
            if child is palette or not child.display:
                continue
            cut = cut or child.virtual_region.right > limit
            if cut:
                child.display = False

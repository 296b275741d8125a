"""FittedFooter: Textual's footer showing only the key labels that fit whole."""

from __future__ import annotations

from textual.widgets import Footer


class FittedFooter(Footer):
    """A footer that never cuts a label: the first key that would run under the palette key
    (or past the right edge) is hidden, with every key after it. All of them stay in the help
    screen (F1) and the command palette."""

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        for child in self.children:
            child.display = True
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        palette = next((c for c in self.children if c.has_class("-command-palette")), None)
        limit = palette.virtual_region.x if palette is not None else self.size.width
        cut = False
        for child in self.children:
            if child is palette:
                continue
            cut = cut or child.virtual_region.right > limit
            child.display = not cut

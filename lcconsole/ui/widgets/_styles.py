"""Component styles for Line API widgets, resolved by Textual (alpha and `auto` colours included).

`Widget.get_component_rich_style(name, partial=True)` drops the alpha of colours such as
`$warning 10%` or `$text-muted` (`auto 60%` in some themes), which turns a faint tint into a solid
block and muted text into full-strength text. `Widget.get_visual_style` resolves them over the
widget's background as Textual does for whole widgets; this keeps only the parts the component
sets, so it can be layered over a row's own style.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def component_style(widget: Widget, name: str) -> Style:
    """The Rich style of component `name`: its colours as Textual resolves them, its text style."""
    styles = widget.get_component_styles(name)
    resolved = widget.get_visual_style(name).rich_style
    color = resolved.color if styles.has_rule("color") else None
    bgcolor = resolved.bgcolor if styles.has_rule("background") else None
    return Style(color=color, bgcolor=bgcolor) + styles.text_style

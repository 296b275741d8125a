"""Component styles for Line API widgets, with alpha and `auto` colours resolved.

`Widget.get_component_rich_style(name, partial=True)` drops the alpha of colours such as
`$warning 10%` or `$text-muted` (`auto 60%` in some themes), which turns a faint tint into a solid
block and muted text into full-strength text. This blends them over the widget's background, as
Textual does for whole widgets, so the theme's intent survives in dark and light themes.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def component_style(widget: Widget, name: str) -> Style:
    """The partial Rich style of component `name`, colours blended over the widget background."""
    styles = widget.get_component_styles(name)
    _, background = widget.background_colors
    color = bgcolor = None
    if styles.has_rule("background") and styles.background.a > 0:
        background = background + styles.background
        bgcolor = background.rich_color
    if styles.has_rule("color"):
        fg = styles.color
        if styles.auto_color or fg.auto:
            fg = background.get_contrast_text(fg.a)
        if fg.a > 0:
            color = (background + fg).rich_color
    return Style(color=color, bgcolor=bgcolor) + styles.text_style

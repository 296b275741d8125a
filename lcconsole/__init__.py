"""lcconsole: a keyboard-driven terminal console for LiveChat agents."""

__version__ = "0.1.0"

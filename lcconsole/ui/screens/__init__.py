"""Screens of the console: the main three-pane screen (with its painter, navigator and
conversation, which work on its widgets) and the help screen."""

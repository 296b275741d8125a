"""Screens of the console: the main three-pane screen and the help screen."""

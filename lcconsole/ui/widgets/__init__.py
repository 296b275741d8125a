"""The console's panes: data goes down as view models, intent goes up as nested Messages.

Each pane is imported from its own module (`widgets.chat_list`, `widgets.composer`, …): the chat
list is drawn before the others' modules (and pydantic) are imported (`ui.app`).
"""

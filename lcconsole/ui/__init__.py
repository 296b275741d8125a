"""The Textual console: app, screens, store, panes (widgets/) and modals (modals/)."""

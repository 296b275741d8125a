"""The v3.6 Web client: one method per v3.6 action, grouped like the docs' method index."""

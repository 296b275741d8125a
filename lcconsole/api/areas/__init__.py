"""Typed action methods of `AgentClient`, one mixin per area of the spec's index."""

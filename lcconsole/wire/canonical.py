"""Canonical models for what only newer API versions say (the rest of the canonical model is the
v3.0 one: `wire.objects`, `wire.events`, `wire.pushes`).

A dialect converts its pushes into these (`wire.v36.canonical`); the console's store applies them
by class. They carry no API push name: `kind` is for logs only.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from lcconsole.wire.objects import AiSummary, Customer, WireModel


class CanonicalPush(WireModel):
    """Base of the canonical pushes that have no v3.0 counterpart."""

    kind: ClassVar[str] = ""


class ThreadSummaryReady(CanonicalPush):
    """The AI summary of a thread is ready (or changed)."""

    kind: ClassVar[str] = "thread summary ready"
    chat_id: str
    thread_id: str
    summary: AiSummary


class ThreadSummaryFailed(CanonicalPush):
    """The AI summary of a thread could not be made."""

    kind: ClassVar[str] = "thread summary failed"
    chat_id: str | None = None
    thread_id: str | None = None


class ThinkingIndicator(CanonicalPush):
    """Someone (usually a bot) is preparing an answer."""

    kind: ClassVar[str] = "thinking"
    chat_id: str
    thread_id: str
    author_id: str | None = None
    title: str | None = None
    description: str | None = None
    sent_at: str | None = None


class EventDeleted(CanonicalPush):
    """An event was deleted (its content is gone for normal-role agents)."""

    kind: ClassVar[str] = "event deleted"
    chat_id: str
    thread_id: str
    event_id: str


class ChatDeleted(CanonicalPush):
    """A chat (every thread) was deleted."""

    kind: ClassVar[str] = "chat deleted"
    chat_id: str


class ThreadDeleted(CanonicalPush):
    """One thread of a chat was deleted."""

    kind: ClassVar[str] = "thread deleted"
    chat_id: str
    thread_id: str


class ChatUnfollowed(CanonicalPush):
    """I no longer follow a chat."""

    kind: ClassVar[str] = "unfollowed"
    chat_id: str


class VisitorsSeen(CanonicalPush):
    """Customers on the website (after login or a subscription), as canonical customers."""

    kind: ClassVar[str] = "visitors"
    customers: list[Customer] = Field(default_factory=list)


class VisitorLeft(CanonicalPush):
    """A customer left the website."""

    kind: ClassVar[str] = "visitor left"
    customer_id: str
    left_at: str | None = None

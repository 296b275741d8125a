"""What the action collaborators need from the main screen (`ActionsView`), the modals they open
(imported on first use), and the store reads they share.

`ChatActions` and `ConsoleActions` run a key's whole flow: they ask in a modal, call a
`ChatCommands` command and say what happened. They know the screen only as an `ActionsView`, so
their tests drive them with a scripted view (the modals' answers given up front) instead of Pilot.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from lcconsole.ui.chat_items import ChatListItem
    from lcconsole.ui.controllers.session_controller import SessionController
    from lcconsole.ui.store import Store


class _LazyModals:
    """`lcconsole.ui.modals`, imported on first use (not before the chat list is shown)."""

    def __getattr__(self, name: str) -> Any:
        from lcconsole.ui import modals

        return getattr(modals, name)


m = _LazyModals()


class ActionsView(Protocol):
    """What the actions need from the screen."""

    current_chat_id: str | None

    def notify(
        self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None
    ) -> None:
        """Tell the agent."""

    def opening(self) -> AbstractContextManager[None]:
        """Announce a flow that may open a modal (it runs inside the result): keys typed
        meanwhile wait for it (`opens_modal`)."""

    async def ask(self, modal: Any, *, asked: bool = True) -> Any:
        """Show a modal and wait for its result (None: cancelled); `asked=False` for a question
        the agent did not ask for (keys typed before it shows do not answer it)."""

    def show_modal(self, modal: Any, callback: Callable[[Any], object] | None = None) -> None:
        """Show a modal without waiting (`callback` gets its result)."""

    def spawn(self, work: Coroutine[Any, Any, Any], *, group: str, exclusive: bool = False) -> None:
        """Run `work` in the background (exclusive: cancelling the group's running one)."""

    def highlighted_row(self) -> ChatListItem | None:
        """The chat-list row under the cursor."""

    def select_chat(self, chat_id: str | None) -> None:
        """Highlight a chat in the list and show it (nothing for None)."""

    def open_chat(self, chat_id: str) -> None:
        """Show a chat (not read)."""

    def read_chat(self, chat_id: str) -> None:
        """The agent read the chat: seen up to now."""

    def show_details(self) -> None:
        """Repaint the open chat's title and details panes."""

    def show_transcript(self) -> None:
        """Repaint the open chat's transcript (its outbox entries changed)."""

    def edit_in_composer(self, text: str, *, note: bool) -> bool:
        """Put `text` in the empty composer, in its audience (`note`), and focus it; False when
        the composer holds another text."""

    def copy_text(self, text: str, what: str) -> None:
        """Copy `text` (OSC 52 and the local clipboard) and, when `what` names it, say so."""

    def copy_to_clipboard(self, text: str) -> None:
        """Copy `text` with the terminal's clipboard (quietly)."""

    def show_status(self, **values: Any) -> None:
        """Set status-bar fields."""


Flow = TypeVar("Flow", bound=Callable[..., Coroutine[Any, Any, Any]])


def opens_modal(flow: Flow) -> Flow:
    """Marks an action's flow (a method of an object with a `view`) that may open a modal,
    perhaps after a server call: announced when the key's action calls it, so the keys typed
    after that key wait for the modal instead of landing on the main screen."""

    @functools.wraps(flow)
    def announced(self: Any, *args: Any, **kwargs: Any) -> Coroutine[Any, Any, Any]:
        opening = self.view.opening()

        async def run() -> Any:
            with opening:
                return await flow(self, *args, **kwargs)

        return run()

    return announced  # type: ignore[return-value]  # same call signature as `flow`, which a TypeVar cannot say


def open_chat_id(sync: SessionController, view: ActionsView) -> str | None:
    """The open chat id, or a hint when there is none (or we are not connected)."""
    if not sync.lifecycle.can_call:
        view.notify("not connected yet", severity="warning", timeout=3)
        return None
    if not view.current_chat_id:
        view.notify("open a chat first", severity="warning", timeout=3)
        return None
    return view.current_chat_id


# --- store reads the actions and the screen share ---------------------------------------------------


def customer_label(store: Store, chat_id: str) -> str:
    """The chat's customer as the agent knows them (name, else e-mail, else the chat id)."""
    customer = store.customer_of(chat_id)
    who = (customer.name or customer.email or customer.id) if customer else None
    return f"{who} ({chat_id})" if who else f"chat {chat_id}"


def known_groups(store: Store) -> list[Any]:
    """Known groups (group 0 = all agents): `(id, name)` when list_groups named it, else the id."""
    return [(g, store.group_names[g]) if g in store.group_names else g for g in store.known_groups()]


def current_tags(store: Store, chat_id: str | None) -> list[str]:
    """The tags of the chat's newest thread."""
    summary = store.chats.get(chat_id or "")
    thread = summary.last_thread_summary if summary else None
    return list(thread.tags) if thread else []


def last_event(store: Store, chat_id: str, kind: str | None = None) -> tuple[str, Any] | None:
    """(thread_id, event) of the chat's newest loaded event (of `kind`)."""
    for thread in reversed(store.loaded_threads(chat_id)):
        for event in reversed(thread.events):
            if event.id and (kind is None or event.type == kind):
                return thread.id or "", event
    return None


def current_thread_id(store: Store, chat_id: str | None) -> str | None:
    """The chat's newest thread id (from loaded threads or the summary)."""
    chat_id = chat_id or ""
    thread = store.current_thread(chat_id)
    summary = store.chats.get(chat_id)
    last = summary.last_thread_summary if summary else None
    if thread is not None and thread.id:
        return last.id if last is not None and (last.order or 0) > (thread.order or 0) else thread.id
    return last.id if last else None

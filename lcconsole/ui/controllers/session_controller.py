"""The session controller: opens the connection, applies every push to the store, resyncs after
each (re)login and does the reads that keep the store complete.

After every login the store resyncs: chat summaries, the open chat's threads and the latest
thread of every chat that moved while we were away; the status bar says what changed. Where the
session stands is one `Lifecycle` value. The controller knows the screen only as a `SessionView`.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, Protocol

from lcconsole.errors import ApiError, LiveChatError
from lcconsole.ui.changes import Changes
from lcconsole.ui.text import human

if TYPE_CHECKING:
    from lcconsole.ui.session import Session
    from lcconsole.ui.store import Store

SUMMARY_PAGES = 100  # at most 10,000 chats on (re)login
SUMMARY_PAGE_SIZE = 100
RESYNC_FETCH_LIMIT = 20  # changed chats whose latest thread is fetched on resync
UNSEEN_FETCH_LIMIT = 20  # chats of mine read on resync so their unread counts are exact
UNSEEN_THREADS = 5  # threads read back at most, per chat, to reach my last-seen time

log = logging.getLogger(__name__)


class Lifecycle(enum.Enum):
    """Where the session stands; the one source of "may I call the server" and "is it synced"."""

    STARTING = "starting"  # opening the session, first login not answered yet
    LOADING = "loading"  # logged in: the first resync runs (the server may be called)
    LIVE = "live"  # resynced; pushes keep the store current
    RECONNECTING = "reconnecting"  # the RTM connection dropped after a resync; it logs in again
    OFFLINE = "offline"  # the session could not start (bad URL, refused token, ...)
    STOPPED = "stopped"  # closed (the app is quitting)

    @property
    def can_call(self) -> bool:
        """Whether a login answered, so the gateway may be used."""
        return self in (Lifecycle.LOADING, Lifecycle.LIVE, Lifecycle.RECONNECTING)

    @property
    def synced(self) -> bool:
        """Whether the first resync is done (new chats are announced and ring after it)."""
        return self in (Lifecycle.LIVE, Lifecycle.RECONNECTING)


class SessionView(Protocol):
    """What the controller needs from the screen."""

    current_chat_id: str | None

    def show_status(self, **values: Any) -> None:
        """Set status-bar fields (state, reason, notice)."""

    def notify(
        self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None
    ) -> None:
        """Tell the agent."""

    def spawn(self, work: Coroutine[Any, Any, Any], *, group: str, exclusive: bool = False) -> None:
        """Run `work` in the background (exclusive: cancelling the group's running one)."""

    async def first_paint(self) -> None:
        """Return once what the store holds now was painted (bounded)."""

    def open_first_chat(self) -> None:
        """Open the first chat of the list (after the first resync, when none is open)."""

    async def resynced(self, first: bool) -> None:
        """A resync finished (the store holds the server's state): the screen's follow-ups."""


class SessionController:
    """Start, push loop, resync after each login, and the store's reads; `lifecycle` says where
    the session stands and `logins` counts the logins so far."""

    def __init__(self, store: Store, view: SessionView) -> None:
        self.store = store
        self.view = view
        self.session: Session | None = None
        self.lifecycle = Lifecycle.STARTING
        self.logins = 0
        self.listed = asyncio.Event()
        """Set once a login's chats were painted: pushes are applied from then on."""
        self.settled = asyncio.Event()
        """Set once the first login's list is painted and its first chat open."""

    @property
    def gateway(self) -> Any:
        """The session's `Gateway` (every server call goes through it)."""
        assert self.session is not None, "the session has not started"
        return self.session.gateway

    def capabilities(self) -> frozenset[str] | None:
        """What the connection's API version offers (`gateway.Capability` values); None before
        the session has a gateway."""
        gateway = self.session.gateway if self.session is not None else None
        return frozenset(gateway.capabilities) if gateway is not None else None

    def offers(self, capability: str) -> bool:
        """Whether the connection offers `capability` (False before it has a gateway)."""
        gateway = self.session.gateway if self.session is not None else None
        return gateway is not None and gateway.can(capability)

    @property
    def rtm_connected(self) -> bool:
        """Whether the RTM connection is up right now (pushes flow)."""
        rtm = self.session.rtm if self.session is not None else None
        return rtm is not None and rtm.state.status == "connected"

    def waiting_to_reconnect(self) -> bool:
        """Whether the RTM connection is lost and waits before its next try."""
        rtm = self.session.rtm if self.session is not None else None
        return rtm is not None and rtm.state.waiting

    def reconnect_now(self) -> None:
        """Try to reconnect now, not after the backoff (nothing when no try is waiting)."""
        if self.session is not None and self.session.rtm is not None:
            self.session.rtm.retry_now()

    # --- lifecycle ------------------------------------------------------------------------------

    async def start(self, session: Session) -> bool:
        """Open `session` (demo emulator, client, RTM) and log in; the login listener resyncs.
        False when it could not start (the status bar and a notification say why)."""
        self.session = session
        try:
            await session.open()
        except Exception as exc:  # the emulator could not start, bad URL, ...
            self.lifecycle = Lifecycle.OFFLINE
            self.view.show_status(state="offline", reason=human(exc))
            self.view.notify(human(exc), title="cannot start", severity="error", timeout=15)
            return False
        rtm = session.rtm
        rtm.add_state_listener(self.on_rtm_state)
        session.gateway.add_login_listener(self.on_login)
        try:
            await rtm.start()
        except LiveChatError as exc:
            self.lifecycle = Lifecycle.OFFLINE
            self.view.notify(human(exc), title="cannot connect", severity="error", timeout=15)
            return False
        if self.lifecycle is Lifecycle.STARTING:
            self.lifecycle = Lifecycle.LOADING
        return True

    async def stop(self) -> None:
        """Stop listening and close the session (idempotent)."""
        if self.lifecycle is Lifecycle.STOPPED:
            return
        self.lifecycle = Lifecycle.STOPPED
        session = self.session
        if session is None:
            return
        if session.rtm is not None:
            session.rtm.remove_state_listener(self.on_rtm_state)
        if session.gateway is not None:
            session.gateway.remove_login_listener(self.on_login)
        await session.close()

    def on_rtm_state(self, state: Any) -> None:
        """The RTM connection's state: into the status bar and the lifecycle."""
        reason = state.reason or ""
        if state.waiting:
            retry = f"retry in {state.retry_in:.0f}s"
            reason = f"{reason}; {retry}" if reason else retry
        if state.status == "reconnecting" and self.lifecycle is Lifecycle.LIVE:
            self.lifecycle = Lifecycle.RECONNECTING
        elif state.status == "connected" and self.lifecycle is Lifecycle.RECONNECTING:
            self.lifecycle = Lifecycle.LIVE
        self.view.show_status(state=state.status, reason=reason)

    def on_login(self, login: Any) -> None:
        """A (re)login answered: show its summaries now, resync in the background."""
        if self.lifecycle is Lifecycle.STOPPED:
            return
        before = {cid: self.store.known.max_order(cid) for cid in self.store.chats}
        if login.my_profile is not None:
            self.store.set_profile(login.my_profile)
        # shown now; resync completes the list (the login answer is newer than any push so far)
        self.store.set_summaries(login.chats_summary, since=self.store.begin_fetch())
        self.logins += 1
        if not self.lifecycle.can_call:
            self.lifecycle = Lifecycle.LOADING
        self.view.spawn(self.resync(self.logins == 1, before), group="resync", exclusive=True)

    async def push_loop(self) -> None:
        """Apply every push to the store (the store's listeners repaint), across reconnects.

        Pushes that come before the first login's chats are painted wait in the connection's
        queue until then (`listed`): converting and applying them needs the push models, whose
        import would otherwise come before the list (a v3.6 server pushes the visitors
        right after the login)."""
        await self.listed.wait()
        async for push in self.gateway.pushes():
            # the push models load after the list is painted (Session.client_ready), or here
            from lcconsole.ui.store_pushes import apply_push

            try:
                apply_push(self.store, push)
            except Exception as exc:  # a push we cannot apply must not stop the loop
                log.error("push %s not applied: %r", getattr(push, "action", "?"), exc)

    # --- resync ---------------------------------------------------------------------------------

    async def resync(self, first: bool = False, before: dict[str, int] | None = None) -> None:
        """Chat summaries + the open chat's threads (+ moved chats); report what was new.

        `before`: the highest event order known per chat before this login."""
        if first:  # paint the login's summaries before building the HTTP client and fetching
            await self.view.first_paint()
        self.listed.set()
        listed_chats = bool(self.store.chats)
        if first:
            if self.view.current_chat_id is None:  # the list's first chat shows (keys typed during
                self.view.open_first_chat()  # the start-up go once it does: `settled`)
            self.settled.set()
            if self.session is not None:
                await self.session.client_ready()
        gateway = self.gateway
        if before is None:
            before = {cid: self.store.known.max_order(cid) for cid in self.store.chats}
        changes = Changes()
        seen: set[str] = set()
        page_id = None
        began = self.store.begin_fetch()
        try:
            for _ in range(SUMMARY_PAGES):  # each page is shown as it arrives
                since = self.store.begin_fetch()
                resp = await gateway.chat_summaries(limit=SUMMARY_PAGE_SIZE, page_id=page_id)
                changes.update(self.store.set_summaries(resp.chats_summary, since=since))
                seen.update(s.id for s in resp.chats_summary if s.id)
                page_id = resp.next_page_id
                if not page_id:
                    break
        except LiveChatError as err:
            self.view.notify(human(err), title="resync failed", severity="error")
            return
        changes.update(self.store.retain(seen, since=began))
        moved = [cid for cid in self.store.chats if not first and self.store.known.max_order(cid) > before.get(cid, -1)]
        targets = set(moved[:RESYNC_FETCH_LIMIT])
        current = self.view.current_chat_id
        if current is not None and current in self.store.chats:
            targets.add(current)
        for chat_id in targets:
            changes.update(await self.fetch_latest(chat_id))
        if first and not listed_chats and self.view.current_chat_id is None:  # (the login listed none)
            self.view.open_first_chat()
        if not first:  # count by order: fetching a whole thread must not count old events
            counts = [self.store.known.count_newer(cid, before.get(cid, -1)) for cid in self.store.chats]
            n, m = sum(counts), sum(1 for c in counts if c)
            self.view.show_status(notice=f"resynced · {n} new events in {m} chats")
        if self.lifecycle is Lifecycle.LOADING:
            self.lifecycle = Lifecycle.LIVE
        await self.view.resynced(first)
        unseen = [cid for cid in self.store.chats if self.store.may_miss_unseen(cid)]
        for chat_id in unseen[:UNSEEN_FETCH_LIMIT]:
            if not await self.read_unseen(chat_id):
                break  # the server is in trouble: the next resync tries again

    # --- reads ----------------------------------------------------------------------------------

    def latest_id(self, chat_id: str) -> str | None:
        """The id of the chat's newest thread, from its summary."""
        summary = self.store.chats.get(chat_id)
        last = summary.last_thread_summary if summary else None
        return last.id if last and last.id else None

    async def fetch_latest(self, chat_id: str, *, strict: bool = False) -> Changes:
        """Merge the chat's newest thread into the store; returns what changed.

        A failed read changes nothing; with `strict` it raises instead."""
        since = self.store.begin_fetch()
        try:
            chat = await self.gateway.chat(chat_id, self.latest_id(chat_id))
        except LiveChatError:
            if strict:
                raise
            return Changes()
        return self.store.merge_chat(chat, since=since)

    async def read_unseen(self, chat_id: str) -> bool:
        """Read older threads until the store holds every event after my last-seen time in the
        chat (at most UNSEEN_THREADS), so its unread count is exact; False when a read failed."""
        gateway = self.gateway
        try:
            for _ in range(UNSEEN_THREADS):
                if self.store.unread_exact(chat_id):
                    return True
                latest = self.latest_id(chat_id)
                if not latest or latest not in self.store.threads.get(chat_id, {}):
                    await self.fetch_latest(chat_id, strict=True)
                    continue
                older = self.store.older_thread_id(chat_id)
                if older is None and chat_id not in self.store.threads_listed:
                    await self.read_thread_ids(chat_id)
                    older = self.store.older_thread_id(chat_id)
                if older is None:
                    return True
                since = self.store.begin_fetch()
                self.store.merge_chat(await gateway.chat(chat_id, older), since=since)
        except LiveChatError:
            return False
        return True

    async def read_thread_ids(self, chat_id: str) -> None:
        """The newest 100 thread ids of the chat (and whether that is all of them)."""
        ids, complete = await self.gateway.thread_ids(chat_id)
        self.store.set_thread_ids(chat_id, ids)
        if complete:
            self.store.threads_listed.add(chat_id)

    async def read_older(self, chat_id: str) -> bool:
        """The chat's thread list (once), then the thread before the oldest loaded one merged
        into the store; False when there is no older thread. A failed read raises."""
        if self.store.older_thread_id(chat_id) is None:
            await self.read_thread_ids(chat_id)
        older = self.store.older_thread_id(chat_id)
        if older is None:
            return False
        since = self.store.begin_fetch()
        self.store.merge_chat(await self.gateway.chat(chat_id, older), since=since)
        return True

    async def refetch(self, chat_ids: list[str]) -> None:
        """Re-read chats a push left incomplete (added or transferred to me, access change,
        unknown chat): the chat and its latest thread with every event. A chat I may no longer
        read leaves the store."""
        for chat_id in chat_ids:
            since = self.store.begin_fetch()
            try:
                chat = await self.gateway.chat(chat_id, self.latest_id(chat_id))
            except ApiError as err:
                if err.type in ("authorization", "not_found", "missing_access", "validation"):
                    self.store.drop(chat_id)
                continue
            except LiveChatError:
                continue
            self.store.merge_chat(chat, since=since)
            if self.store.may_miss_unseen(chat_id):
                await self.read_unseen(chat_id)

    async def refresh_summaries(self, limit: int) -> bool:
        """One summary page (the most recently active chats) read again; False when it failed
        (quietly: the next round tries again)."""
        since = self.store.begin_fetch()
        try:
            resp = await self.gateway.chat_summaries(limit=limit)
        except LiveChatError:
            return False
        self.store.set_summaries(resp.chats_summary, since=since)
        return True

    async def mark_seen(self, chat_id: str) -> None:
        """Mark a chat seen up to now (quietly: failures only matter when asked)."""
        try:
            timestamp = await self.gateway.mark_seen(chat_id)
        except LiveChatError:
            return
        if timestamp and self.store.my_id:
            self.store.set_last_seen(chat_id, self.store.my_id, timestamp)

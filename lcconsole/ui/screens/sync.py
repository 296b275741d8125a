"""Connection, resync, chat loading and sending (with the durable outbox) for the main screen.

After every (re)login the store resyncs: chat summaries, the open chat's threads and the latest
thread of every chat that moved while we were away; the status bar says what changed. Messages
are recorded in the outbox before they are sent and leave it only once the server has them.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from textual import work

from lcconsole.errors import ApiError, LiveChatError, is_transient
from lcconsole.ui.store import Changes
from lcconsole.ui.store_pushes import apply_push

SUMMARY_PAGES = 100  # at most 10,000 chats on (re)login
SUMMARY_PAGE_SIZE = 100
RESYNC_FETCH_LIMIT = 20  # changed chats whose latest thread is fetched on resync
UNSEEN_FETCH_LIMIT = 20  # chats of mine read on resync so their unread counts are exact
UNSEEN_THREADS = 5  # threads read back at most, per chat, to reach my last-seen time


def human(err: BaseException) -> str:
    """`type: message` for API errors."""
    if isinstance(err, LiveChatError):
        return f"{err.type}: {err.message}"
    return f"{type(err).__name__}: {err}"


def _warm_up() -> None:
    """After the first full load, off the UI thread: import the modals (the first one opens
    without a pause)."""
    import lcconsole.ui.modals  # noqa: F401


class SyncMixin:
    """Session lifecycle, push loop, resync, chat loading, sending and outbox delivery."""

    session: Any = None
    session_ready: bool = False
    _logins: int = 0
    _inflight: set

    # --- session --------------------------------------------------------------------------------

    @work(group="session", exclusive=True, exit_on_error=False)
    async def start_session(self) -> None:
        """Start (demo emulator,) client and RTM; the login listener does the rest."""
        from lcconsole.ui.session import Session

        app = self.app
        self.session = app.session or Session(app.settings)
        app.session = self.session
        try:
            await self.session.open()
        except Exception as exc:  # the emulator could not start, bad URL, ...
            self.show_status(state="offline", reason=human(exc))
            self.notify(human(exc), title="cannot start", severity="error", timeout=15)
            return
        rtm = self.session.rtm
        rtm.add_state_listener(self._on_rtm_state)
        self.session.gateway.add_login_listener(self._on_login)
        try:
            await rtm.start()
        except LiveChatError as exc:
            self.notify(human(exc), title="cannot connect", severity="error", timeout=15)
            return
        self.session_ready = True
        self.push_loop()

    def show_status(self, **values: Any) -> None:
        """Set status-bar fields (ignored while the screen is not mounted, or closing)."""
        found = self.query("#status")
        if found:
            for name, value in values.items():
                setattr(found.first(), name, value)

    def _on_rtm_state(self, state: Any) -> None:
        reason = state.reason or ""
        if state.status == "reconnecting" and state.retry_in is not None:
            reason = f"{reason}; retry in {state.retry_in:.0f}s" if reason else f"retry in {state.retry_in:.0f}s"
        self.show_status(state=state.status, reason=reason)

    def _on_login(self, login: Any) -> None:
        before = {cid: self.store.max_order(cid) for cid in self.store.chats}
        if login.my_profile is not None:
            self.store.set_profile(login.my_profile)
        # shown now; resync completes the list (the login answer is newer than any push so far)
        self.store.set_summaries(login.chats_summary, since=self.store.begin_fetch())
        self._logins += 1
        self.session_ready = True  # logged in: the client may be used (resync runs now)
        self.resync(self._logins == 1, before)

    @work(group="pushes", exclusive=True, exit_on_error=False)
    async def push_loop(self) -> None:
        """Apply every push to the store (the store's listener repaints)."""
        async for push in self.session.gateway.pushes():
            try:
                apply_push(self.store, push)
            except Exception as exc:  # a push we cannot apply must not stop the loop
                self.log.error(f"push {getattr(push, 'action', '?')} not applied: {exc!r}")

    async def api(self, what: str, coro: Any) -> tuple[bool, Any]:
        """Await an API call; a LiveChatError becomes a notification `type: message`."""
        try:
            return True, await coro
        except LiveChatError as err:
            self.notify(human(err), title=what, severity="error", timeout=8)
            return False, err

    # --- resync ---------------------------------------------------------------------------------

    @work(group="resync", exclusive=True, exit_on_error=False)
    async def resync(self, first: bool = False, before: dict[str, int] | None = None) -> None:
        """Chat summaries + the open chat's threads (+ moved chats); report what was new.

        `before`: the highest event order known per chat before this login."""
        if first:  # paint the login's summaries before building the HTTP client and fetching
            painted = asyncio.Event()
            self.call_after_refresh(painted.set)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(painted.wait(), 0.25)
        gateway = self.session.gateway
        if before is None:
            before = {cid: self.store.max_order(cid) for cid in self.store.chats}
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
            self.notify(human(err), title="resync failed", severity="error")
            return
        changes.update(self.store.retain(seen, since=began))
        moved = [cid for cid in self.store.chats if not first and self.store.max_order(cid) > before.get(cid, -1)]
        targets = set(moved[:RESYNC_FETCH_LIMIT])
        if self.current_chat_id in self.store.chats:
            targets.add(self.current_chat_id)
        for chat_id in targets:
            changes.update(await self._fetch_latest(chat_id))
        if first and self.current_chat_id is None:
            self._open_first_chat()
        elif self.current_chat_id and self.current_chat_id == self._reading:
            self.mark_seen_worker(self.current_chat_id)
        if not first:  # count by order: fetching a whole thread must not count old events
            counts = [self.store.count_newer(cid, before.get(cid, -1)) for cid in self.store.chats]
            n, m = sum(counts), sum(1 for c in counts if c)
            self.show_status(notice=f"resynced · {n} new events in {m} chats")
        self.synced = True
        if first:
            self.run_worker(_warm_up, thread=True, group="warm", exit_on_error=False)
        await self.deliver_outbox()
        unseen = [cid for cid in self.store.chats if self.store.may_miss_unseen(cid)]
        for chat_id in unseen[:UNSEEN_FETCH_LIMIT]:
            if not await self._read_unseen(chat_id):
                break  # the server is in trouble: the next resync tries again

    def _open_first_chat(self) -> None:
        from lcconsole.ui.widgets.chat_list import ChatList

        if not self.ready:  # on_mount opens it
            return
        chat_list = self.query_one(ChatList)
        visible = list(chat_list.visible_ids)
        if visible:
            chat_list.selected_chat_id = visible[0]
            self.open_chat(visible[0])

    async def _fetch_latest(self, chat_id: str, *, strict: bool = False) -> Any:
        """Merge the chat's newest thread into the store; returns Changes.

        A failed read changes nothing; with `strict` it raises instead."""
        since = self.store.begin_fetch()
        try:
            chat = await self.session.gateway.chat(chat_id, self._latest_id(chat_id))
        except LiveChatError:
            if strict:
                raise
            return Changes()
        return self.store.merge_chat(chat, since=since)

    async def _read_unseen(self, chat_id: str) -> bool:
        """Read older threads until the store holds every event after my last-seen time in the
        chat (at most UNSEEN_THREADS), so its unread count is exact; False when a read failed."""
        gateway = self.session.gateway
        try:
            for _ in range(UNSEEN_THREADS):
                if self.store.unread_exact(chat_id):
                    return True
                latest = self._latest_id(chat_id)
                if not latest or latest not in self.store.threads.get(chat_id, {}):
                    await self._fetch_latest(chat_id, strict=True)
                    continue
                older = self.store.older_thread_id(chat_id)
                if older is None and chat_id not in self.store.threads_listed:
                    await self._list_threads(chat_id)
                    older = self.store.older_thread_id(chat_id)
                if older is None:
                    return True
                since = self.store.begin_fetch()
                self.store.merge_chat(await gateway.chat(chat_id, older), since=since)
        except LiveChatError:
            return False
        return True

    async def _list_threads(self, chat_id: str) -> None:
        """The newest 100 thread ids of the chat (and whether that is all of them)."""
        ids, complete = await self.session.gateway.thread_ids(chat_id)
        self.store.set_thread_ids(chat_id, ids)
        if complete:
            self.store.threads_listed.add(chat_id)

    @work(group="refetch", exit_on_error=False)
    async def refetch_chats(self, chat_ids: list[str]) -> None:
        """Re-read chats a push left incomplete (added or transferred to me, access change,
        unknown chat): the chat and its latest thread with every event."""
        for chat_id in chat_ids:
            since = self.store.begin_fetch()
            try:
                chat = await self.session.gateway.chat(chat_id, self._latest_id(chat_id))
            except ApiError as err:
                if err.type in ("authorization", "not_found", "missing_access", "validation"):
                    self.store.drop(chat_id)
                continue
            except LiveChatError:
                continue
            self.store.merge_chat(chat, since=since)
            if self.store.may_miss_unseen(chat_id):
                await self._read_unseen(chat_id)

    @work(group="refresh", exclusive=True, exit_on_error=False)
    async def refresh_quiet_rows(self) -> None:
        """One summary page (the most recently active chats): rows no push keeps current are
        read again (`lcconsole.ui.freshness`); a failure waits for the next round quietly."""
        from lcconsole.ui.freshness import REFRESH_PAGE

        since = self.store.begin_fetch()
        try:
            resp = await self.session.gateway.chat_summaries(limit=REFRESH_PAGE)
        except LiveChatError:
            return
        self.store.set_summaries(resp.chats_summary, since=since)
        self._check_freshness()

    # --- opening chats --------------------------------------------------------------------------

    @work(group="open", exclusive=True, exit_on_error=False)
    async def load_chat(self, chat_id: str) -> None:
        """Fetch the chat's latest thread (and mark it seen when the agent opened it)."""
        await asyncio.sleep(0.05)  # cursor held down: only the chat it stops on is fetched
        since = self.store.begin_fetch()
        ok, chat = await self.api("open chat", self.session.gateway.chat(chat_id, self._latest_id(chat_id)))
        if not ok or self.current_chat_id != chat_id:
            return
        self.store.merge_chat(chat, since=since)
        self._show_new_marker(chat_id)
        if self._reading == chat_id:
            await self.mark_seen(chat_id)

    def _latest_id(self, chat_id: str) -> str | None:
        summary = self.store.chats.get(chat_id)
        last = summary.last_thread_summary if summary else None
        return last.id if last and last.id else None

    def _show_new_marker(self, chat_id: str) -> None:
        seen = self.store.my_last_seen(chat_id) or 0
        first_new = None
        for thread in self.store.loaded_threads(chat_id):
            for event in thread.events:
                if (event.timestamp or 0) > seen and event.author_id != self.store.my_id:
                    first_new = event.order
                    break
            if first_new is not None:
                break
        self.query_one("#transcript").set_new_marker(first_new)

    async def mark_seen(self, chat_id: str) -> None:
        """Mark a chat seen up to now (quietly: failures only matter when asked)."""
        try:
            timestamp = await self.session.gateway.mark_seen(chat_id)
        except LiveChatError:
            return
        if timestamp and self.store.my_id:
            self.store.set_last_seen(chat_id, self.store.my_id, timestamp)

    @work(group="seen", exit_on_error=False)
    async def mark_seen_worker(self, chat_id: str) -> None:
        """`mark_seen` in a worker."""
        await self.mark_seen(chat_id)

    def on_transcript_load_older_requested(self, message: Any) -> None:
        if self.current_chat_id and self.session_ready:
            self.load_older(self.current_chat_id, quiet=True)

    def action_load_older(self) -> None:
        """Load the thread before the oldest loaded one."""
        if self.current_chat_id and self.session_ready:
            self.load_older(self.current_chat_id)

    @work(group="older", exclusive=True, exit_on_error=False)
    async def load_older(self, chat_id: str, quiet: bool = False) -> None:
        """The chat's thread list (once), then the thread before the oldest loaded one."""
        if self.store.older_thread_id(chat_id) is None:
            ok, _ = await self.api("older threads", self._list_threads(chat_id))
            if not ok:
                return
        older = self.store.older_thread_id(chat_id)
        if older is None:
            if not quiet:
                self.notify("no older threads", timeout=2)
            return
        since = self.store.begin_fetch()
        ok, chat = await self.api("older threads", self.session.gateway.chat(chat_id, older))
        if ok:
            self.store.merge_chat(chat, since=since)

    # --- sending and the outbox -----------------------------------------------------------------

    @work(group="compose", exclusive=True, exit_on_error=False)
    async def on_composer_submitted(self, message: Any) -> None:
        """Send to the chat shown in the header now; if the agent began typing in another chat,
        ask first. Record the message in the outbox, show it pending, send it."""
        text, chat_id = message.text, self.current_chat_id
        if not chat_id or not text.strip():
            return
        began = self._typing_chat
        if began and began != chat_id and began in self.store.chats:
            from lcconsole.ui.screens.actions import m

            kind = "note" if message.note else "message"
            if not await self.ask(
                m.ConfirmModal(
                    "Send to this chat?",
                    f"You began this {kind} in the chat with {self.customer_label(began)}. "
                    f"Send it to {self.customer_label(chat_id)}?",
                    confirm_label="Send here",
                )
            ):
                return
            if self.current_chat_id != chat_id:
                return
        entry = self.outbox.add(chat_id, "note" if message.note else "message", text)
        self._typing_chat = None
        self.show_transcript()
        self.deliver(entry, from_composer=True)
        self.read_chat(chat_id)

    def on_composer_typing_changed(self, message: Any) -> None:
        """Typing indicators for customer messages (never for notes)."""
        from lcconsole.ui.widgets.composer import Composer

        if not (self.current_chat_id and self.session_ready) or self.query_one(Composer).mode == "note":
            return
        if message.is_typing and not self._in_composer():
            return  # a draft loaded on switching chats is not typing
        self.send_typing(self.current_chat_id, message.is_typing)

    @work(group="typing", exclusive=True, exit_on_error=False)
    async def send_typing(self, chat_id: str, is_typing: bool) -> None:
        """Typing on/off for the customer (failures are not worth a notification)."""
        try:
            await self.session.gateway.typing(chat_id, is_typing)
        except LiveChatError:
            pass

    @work(group="send", exit_on_error=False)
    async def deliver(self, entry: Any, from_composer: bool = False) -> None:
        """Send one outbox entry and settle it: done, pending (retry later) or failed."""
        from lcconsole.ui.widgets.composer import Composer

        if entry.custom_id in self._inflight or not self.session_ready:
            if from_composer:
                self._composer_sent(entry)
                self.notify("offline: the message is in the outbox", severity="warning")
            return
        self._inflight.add(entry.custom_id)
        try:
            result = await self._send_entry(entry)
        except LiveChatError as err:
            if is_transient(err):
                self.outbox.mark(entry.custom_id, "pending", human(err))
                if from_composer:
                    self._composer_sent(entry)
                self.notify(f"{human(err)} — kept in the outbox, will retry", severity="warning")
            elif from_composer:
                self.outbox.done(entry.custom_id)
                self.notify(human(err), title="not sent", severity="error", timeout=10)
                self.query_one(Composer).focus_input()
            else:
                self.outbox.mark(entry.custom_id, "failed", human(err))
                self.notify(human(err), title="not sent", severity="error", timeout=10)
        else:
            self.outbox.done(entry.custom_id)
            if result is not None:
                self.store.add_event(entry.chat_id, result[0], result[1])
            if from_composer:
                self._composer_sent(entry)
        finally:
            self._inflight.discard(entry.custom_id)
            self.show_status(pending=len(self.outbox.pending()))
            if entry.chat_id == self.current_chat_id:
                self.show_transcript()

    def _composer_sent(self, entry: Any) -> None:
        """Clear the composer only if it still holds exactly what was sent."""
        from lcconsole.ui.widgets.composer import Composer

        composer = self.query_one(Composer)
        if entry.chat_id == self.current_chat_id and composer.text == entry.text:
            composer.clear()
        if self.drafts.get(entry.chat_id) == entry.text:
            self.set_draft(entry.chat_id, "")  # the row's draft marker goes too
            self.drafts.save()

    async def _send_entry(self, entry: Any) -> tuple[str, Any] | None:
        """The API calls for one entry; returns (thread_id, event) when the server says."""
        gateway = self.session.gateway
        if entry.kind in ("message", "note"):
            return await gateway.send_text(
                entry.chat_id,
                entry.text,
                custom_id=entry.custom_id,
                note=entry.kind == "note",
                recipients=entry.recipients,
            )
        return await gateway.attach(
            entry.chat_id, Path(entry.path), custom_id=entry.custom_id, as_image=entry.kind == "image"
        )

    def retry_outbox(self) -> None:
        """Timer: while connected, pending sends (e.g. after a 5xx) are tried again."""
        rtm = self.session.rtm if self.session is not None else None
        pending = [e for e in self.outbox.pending() if e.custom_id not in self._inflight]
        if self.session_ready and pending and rtm is not None and rtm.state.status == "connected":
            self.outbox_worker()

    @work(group="outbox", exclusive=True, exit_on_error=False)
    async def outbox_worker(self) -> None:
        """`deliver_outbox` in a worker."""
        await self.deliver_outbox()

    async def deliver_outbox(self) -> None:
        """After (re)login and on the retry timer: drop entries that already landed (custom_id),
        send the rest once. Only a definite "not there" sends: while the lookup that decides
        (the chat's latest thread) fails for a retryable reason, the entry waits for the next
        try."""
        pending = [e for e in self.outbox.pending() if e.custom_id not in self._inflight]
        undecided: set[str] = set()
        for chat_id in {e.chat_id for e in pending}:
            try:
                await self._fetch_latest(chat_id, strict=True)
            except LiveChatError as err:
                if is_transient(err):
                    undecided.add(chat_id)
        for entry in pending:
            if self.store.find_custom_id(entry.chat_id, entry.custom_id) is not None:
                self.outbox.done(entry.custom_id)
            elif entry.chat_id not in undecided:
                self.deliver(entry)
        self.show_status(pending=len(self.outbox.pending()))
        if self.current_chat_id:
            self.show_transcript()

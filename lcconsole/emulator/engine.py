"""The emulator's engine: state and semantics of the Agent Chat API v3.0 over SQLite.

`Engine.execute(principal, action, payload, files)` validates the payload with the shared request
models, checks scopes and chat access, runs the action in one SQLite transaction
(BEGIN IMMEDIATE ... COMMIT, rolled back on any error; or a savepoint of a batch's transaction,
`run_batch`) and returns an `Outcome`: the response payload plus the pushes it causes, already
addressed (see `world/access.py` for who gets what). Every failure is an `ErrorReply`; an
unexpected exception becomes `internal` after a rollback.

Transports (HTTP, RTM, customer side) only parse, authenticate (`authenticate`), call `execute`
and deliver. Payloads arrive already decoded: multipart form fields normalised by the transport
(`bodies.decode_multipart`: `payload.` prefixes stripped, "true"/"false" made booleans), file
parts keyed by their plain names (`file`, `image`). The engine is synchronous and thread-safe (one
connection behind a lock); transports run it off their event loop (`Hub.call`), inside
`time_limited(seconds)`: a statement still running at the deadline is interrupted and the action
fails with `request_timeout` (rolled back).
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import ValidationError

from lcconsole.emulator import auth
from lcconsole.emulator.contract import AddressedPush, ErrorReply, Outcome, Principal, UploadedFile, attempt
from lcconsole.emulator.world import (
    access,
    agents,
    chats,
    customers,
    events,
    files,
    following,
    grants,
    groups,
    properties,
    summaries,
    visits,
)
from lcconsole.emulator.world import seed as seeding
from lcconsole.emulator.world.ctx import AgentInfo, Clock, Ctx, loads
from lcconsole.emulator.world.demo import OTHERS as DEMO_AGENTS
from lcconsole.emulator.world.queue import announce_positions
from lcconsole.emulator.world.schema import Checkpointer, connect
from lcconsole.wire import requests as rq
from lcconsole.wire.actions import ACTIONS, CHATS_RO, RTM_ONLY_ACTIONS
from lcconsole.wire.scopes import best_level

log = logging.getLogger(__name__)

Handler = Callable[..., Outcome]
T = TypeVar("T")

AGENT_HANDLERS: dict[str, Handler] = {
    "activate_chat": chats.activate_chat,
    "follow_chat": access.follow_chat,
    "get_chats_summary": summaries.get_chats_summary,
    "start_chat": chats.start_chat,
    "transfer_chat": chats.transfer_chat,
    "unfollow_chat": access.unfollow_chat,
    "grant_access": grants.grant_access,
    "revoke_access": grants.revoke_access,
    "set_access": grants.set_access,
    "add_user_to_chat": chats.add_user_to_chat,
    "remove_user_from_chat": chats.remove_user_from_chat,
    "update_agent": agents.update_agent,
    "ban_customer": customers.ban_customer,
    "create_customer": customers.create_customer,
    "get_customers": customers.get_customers,
    "update_customer": customers.update_customer,
    "send_event": events.send_event,
    "delete_chat_properties": properties.delete_chat_properties,
    "delete_chat_thread_properties": properties.delete_chat_thread_properties,
    "delete_event_properties": properties.delete_event_properties,
    "update_chat_thread_properties": properties.update_chat_thread_properties,
    "update_chat_properties": properties.update_chat_properties,
    "update_event_properties": properties.update_event_properties,
    "tag_chat_thread": properties.tag_chat_thread,
    "untag_chat_thread": properties.untag_chat_thread,
    "get_archives": summaries.get_archives,
    "get_chat_threads": chats.get_chat_threads,
    "send_file": files.send_file,
    "get_chat_threads_summary": summaries.get_chat_threads_summary,
    "close_thread": chats.close_thread,
    "upload_image": files.upload_image,
    "multicast": agents.multicast,
    "update_last_seen_timestamp": agents.update_last_seen_timestamp,
    "send_typing_indicator": events.send_typing_indicator,
    "send_rich_message_postback": events.send_rich_message_postback,
    # RTM only
    "login": agents.login,
    "logout": agents.logout,
    "ping": agents.ping,
    "set_away_status": agents.set_away_status,
    "change_push_notifications": agents.change_push_notifications,
}
"""Agent action -> handler(ctx, request model[, files])."""

AGENT_MODELS: dict[str, type[rq.Req]] = {
    **rq.REQUEST_MODELS,
    "login": agents.Login,
    "logout": agents.Empty,
    "ping": agents.Empty,
    "set_away_status": agents.SetAwayStatus,
    "change_push_notifications": agents.ChangePushNotifications,
}

CUSTOMER_HANDLERS: dict[str, tuple[type[rq.Req], Handler]] = {
    "start_chat": (rq.StartChat, chats.start_chat),
    "activate_chat": (rq.ActivateChat, chats.activate_chat),
    "send_event": (rq.SendEvent, events.send_event),
    "send_file": (rq.SendFile, files.send_file),
    "send_sneak_peek": (agents.SneakPeek, events.send_sneak_peek),
    "send_typing_indicator": (rq.SendTypingIndicator, events.send_typing_indicator),
    "send_rich_message_postback": (rq.SendRichMessagePostback, events.send_rich_message_postback),
    "close_thread": (rq.ChatId, chats.close_thread),
    "get_chat_threads": (rq.GetChatThreads, chats.get_chat_threads),
    "start_visit": (visits.StartVisit, visits.start_visit),
    "update_customer_page": (visits.UpdatePage, visits.update_customer_page),
    "end_visit": (visits.EndVisit, visits.end_visit),
}
"""Customer-side action -> (request model, handler).

The chat actions mirror the agent ones; `start_visit`, `update_customer_page` and `end_visit` are
the customer's website visit (customer_visit_started / customer_page_updated /
customer_visit_ended pushes to customers:ro agents; see `world/visits.py`). A customer acting is
present, until it closes its thread or ends its visit.
"""

CUSTOMER_LEAVING = {"close_thread", "end_visit"}

WITH_FILES = frozenset(name for name, spec in ACTIONS.items() if spec.multipart)
"""Handlers that take the uploaded files too (the customer's `send_file` has the agent's name)."""
_EVENT_TYPES = {"message", "system_message", "file", "rich_message", "filled_form", "custom", "annotation"}
_TYPE_TAG = re.compile(
    r"^(int|str|bool|float|none|list\[.*\]|dict\[.*\]|function-.*|"
    r"literal\[.*\]|json-or-python\[.*\]|[A-Z]\w*)$"
)


def validation_message(err: ValidationError) -> str:
    """`<dotted field path>: <problem>` for the first pydantic error."""
    first = err.errors()[0]
    path: list[str] = []
    for i, part in enumerate(first["loc"]):
        text = str(part)
        if text in _EVENT_TYPES and i > 0 and (path and (path[-1] == "event" or path[-1].isdigit())):
            continue
        if i > 0 and _TYPE_TAG.match(text) and i == len(first["loc"]) - 1:
            continue
        path.append(text)
    if first["type"] in ("union_tag_invalid", "union_tag_not_found"):
        path.append("type")
    return f"{'.'.join(path) or 'payload'}: {first['msg']}"


_ALONE = ("BEGIN IMMEDIATE", "COMMIT", ("ROLLBACK",))
_IN_BATCH = ("SAVEPOINT action", "RELEASE action", ("ROLLBACK TO action", "RELEASE action"))
"""(begin, commit, rollback statements) of an action in its own transaction / in a batch's."""


class _TimeLimit:
    """`Engine.time_limited` (a class: it is entered once for every engine call)."""

    def __init__(self, engine: Engine, seconds: float) -> None:
        self.engine = engine
        self.seconds = seconds

    def __enter__(self) -> None:
        self.engine._deadline.at = time.monotonic() + self.seconds

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        timed_out = kind is not None and issubclass(kind, sqlite3.OperationalError) and self.engine._past_deadline()
        self.engine._deadline.at = None
        if timed_out:
            raise ErrorReply("request_timeout") from None


class Engine:
    """State and semantics of the emulator (see the module docstring)."""

    def __init__(self, db_path: str | Path = ":memory:") -> None:
        self.db_path = str(db_path)
        self.conn = connect(db_path)
        self.conn.create_function("lc_props_match", 2, summaries.props_match, deterministic=True)
        self.base_url = "http://127.0.0.1"
        self._lock = threading.RLock()
        self._deadline = threading.local()
        self.conn.set_progress_handler(self._past_deadline, 1000)
        self._agents: dict[str, AgentInfo] | None = None
        self._batched = False  # inside run_batch: an action is a savepoint of its transaction
        self._principals: dict[tuple[str, str], Principal] = {}
        """(credential as given, kind) -> its principal; emptied whenever agents change."""
        start = max(
            self.conn.execute(
                "SELECT MAX(v) FROM (SELECT MAX(ord) AS v FROM events UNION ALL"
                " SELECT MAX(ord) FROM threads UNION ALL SELECT MAX(last_order) FROM chats)"
            ).fetchone()[0]
            or 0,
            0,
        )
        self.clock = Clock(start)
        self._closed = False
        self._simulated: dict[str, tuple[int, int, str]] = {}  # agent -> state before simulating
        self.subscriptions: dict[str, dict[str, Any]] = {}  # v3.6 subscription id -> agent_id, group_ids
        self.monitoring: dict[str, str] = {}  # agent -> v3.6 customer_monitoring_level
        self._checkpointer: Checkpointer | None = None
        if self.db_path != ":memory:":
            self._checkpointer = Checkpointer(self.db_path)
            self._checkpointer.start()

    # --- agent cache -----------------------------------------------------------------------
    def agent_info(self, conn: sqlite3.Connection | None = None) -> dict[str, AgentInfo]:
        """id -> AgentInfo (scopes, groups, read level), cached until agents change."""
        if self._agents is None:
            conn = conn or self.conn
            groups: dict[str, set[int]] = {}
            for agent_id, group_id in conn.execute("SELECT agent_id, group_id FROM agent_groups"):
                groups.setdefault(agent_id, set()).add(group_id)
            infos = {}
            for row in conn.execute("SELECT id, scopes FROM agents ORDER BY seq"):
                scopes = frozenset(loads(row["scopes"], []))
                infos[row["id"]] = AgentInfo(
                    row["id"], scopes, frozenset(groups.get(row["id"], set()) | {0}), best_level(scopes, CHATS_RO)
                )
            self._agents = infos
        return self._agents

    def invalidate_agents(self) -> None:
        """Forget the agent facts and the authenticated credentials (agents, scopes or
        credentials changed, or an action was rolled back)."""
        self._agents = None
        self._principals = {}

    # --- time limit ---------------------------------------------------------------------------
    def time_limited(self, seconds: float) -> _TimeLimit:
        """Interrupt this thread's engine calls still running `seconds` from now
        (`request_timeout`; an action is rolled back)."""
        return _TimeLimit(self, seconds)

    def _past_deadline(self) -> bool:
        at = getattr(self._deadline, "at", None)
        return at is not None and time.monotonic() > at

    # --- transactions ------------------------------------------------------------------------
    def _run(self, principal: Principal, fn: Callable[[Ctx], T], level: str = "all") -> tuple[T, list[AddressedPush]]:
        with self._lock:
            ctx = Ctx(self.conn, principal, self, level=level)
            begin, commit, rollback = _IN_BATCH if self._batched else _ALONE
            self.conn.execute(begin)
            try:
                result = fn(ctx)
                following.announce(ctx)
                announce_positions(ctx)
                self.conn.execute(commit)
            except BaseException as exc:
                timed_out = self._past_deadline()
                self._deadline.at = None  # or the rollback would be interrupted too
                if self.conn.in_transaction:  # an interrupted write may have rolled it all back
                    for statement in rollback:
                        self.conn.execute(statement)
                self.invalidate_agents()
                if isinstance(exc, ErrorReply):
                    raise
                if isinstance(exc, sqlite3.OperationalError) and timed_out:
                    raise ErrorReply("request_timeout") from None
                if isinstance(exc, OverflowError):
                    raise ErrorReply("validation", "payload: integer out of range") from None
                if isinstance(exc, UnicodeEncodeError):
                    raise ErrorReply("validation", "payload: invalid unicode text") from None
                if isinstance(exc, Exception):
                    log.exception("internal error in the emulator engine")
                    raise ErrorReply("internal", "Internal server error") from None
                raise
            return result, ctx.pushes

    def run_batch(self, calls: Sequence[Callable[[], Any]]) -> list[tuple[bool, Any]]:
        """Run engine calls one after another in one transaction, each action in a savepoint:
        one COMMIT (the costliest statement of a small action) for them all.

        Returns `(True, result)` or `(False, exception)` per call. A failed action rolls back
        only its savepoint. Callers answer nobody before this returns, so every success is
        durable once answered. Should the transaction be lost (an interrupted write may roll
        it all back) or the COMMIT fail, the calls that had succeeded run again, each alone.
        """
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            self._batched = True
            done: list[tuple[bool, Any]] = []
            try:
                for call in calls:
                    done.append(attempt(call))
                    if not self.conn.in_transaction:
                        break
            except BaseException:  # not an action's failure (those are in `done`): give up the batch
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                self.invalidate_agents()
                raise
            finally:
                self._batched = False
            try:
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")
                    return done + [attempt(call) for call in calls[len(done) :]]
            except sqlite3.Error:
                log.exception("a batch of engine calls could not be committed; running them one by one")
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
            self.invalidate_agents()
            again = [attempt(call) if ok else (ok, value) for call, (ok, value) in zip(calls, done, strict=False)]
            return again + [attempt(call) for call in calls[len(done) :]]

    # --- public interface --------------------------------------------------------------------
    def seed(self, world: Literal["empty", "demo"] = "empty", agents: Sequence[tuple[str, Sequence[str]]] = ()) -> None:
        """Idempotent: administrator agent1@example.com + group 0, extra agents, demo world once."""
        system = Principal("agent", seeding.ADMIN)
        self._run(system, lambda ctx: seeding.seed(ctx, world, agents))
        self.invalidate_agents()

    def agent_credentials(self) -> list[dict[str, Any]]:
        """[{"id", "token", "account_id", "pat", "scopes"}] with the administrator first."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT id, token, account_id, pat, scopes FROM agents ORDER BY id != ?, seq", (seeding.ADMIN,)
            ).fetchall()
        return [
            {
                "id": r["id"],
                "token": r["token"],
                "account_id": r["account_id"],
                "pat": r["pat"],
                "scopes": loads(r["scopes"], []),
            }
            for r in rows
        ]

    def authenticate(self, token: str, kind: Literal["agent", "customer"] = "agent") -> Principal:
        """Principal for a credential: "Bearer <token>", a bare token, or (agents) "Basic
        base64(account_id:PAT)"; `authentication` otherwise (see `auth.py`).

        Credentials are never revoked or rotated at run time (only `seed` changes agents, and
        it empties the cache), so a good one is remembered; a bad one is looked up every time.
        """
        key = (token, kind)
        found = self._principals.get(key)
        if found is not None:
            return found
        credential = auth.parse(token, bare_is_bearer=True)
        with self._lock:
            principal = auth.principal_for(self.conn, credential, kind)
            if len(self._principals) >= 4096:
                self._principals = {}
            self._principals[key] = principal
        return principal

    def create_customer_token(self, name: str | None = None, email: str | None = None) -> Outcome:
        """Create a customer with a token: `{"customer_id", "access_token"}` and the pushes
        announcing it (v3.0 `customer_created`; see `world/customers.py`)."""
        for field, value in (("name", name), ("email", email)):
            if value is not None and not isinstance(value, str):
                raise ErrorReply("validation", f"{field}: must be a string")
        result, pushes = self._run(
            Principal("customer", ""), lambda ctx: customers.create_customer_token(ctx, name, email)
        )
        return Outcome(result, pushes)

    def execute(
        self, principal: Principal, action: str, payload: Any, files: dict[str, UploadedFile] | None = None
    ) -> Outcome:
        """Run one action for one principal in one transaction (see the module docstring)."""
        if isinstance(payload, dict) and isinstance(payload.get("payload"), dict):
            payload = payload["payload"]
        if payload is None:
            payload = {}
        if not isinstance(payload, dict):
            raise ErrorReply("validation", "payload: must be a JSON object")
        if principal.kind == "customer":
            if action not in CUSTOMER_HANDLERS:
                raise ErrorReply("validation", f"Unknown customer action {action!r}")
            model, handler = CUSTOMER_HANDLERS[action]
            level = "my"
        else:
            if action not in AGENT_HANDLERS:
                raise ErrorReply("validation", f"Unknown action {action!r}")
            required = ACTIONS[action].scopes if action in ACTIONS else RTM_ONLY_ACTIONS[action]
            level = self.agent_level(principal, action, required)
            model, handler = AGENT_MODELS[action], AGENT_HANDLERS[action]
        try:
            req = model.model_validate(payload)
        except ValidationError as err:
            raise ErrorReply("validation", validation_message(err)) from None
        except (RecursionError, ValueError, TypeError):
            raise ErrorReply("validation", "payload: cannot be validated") from None

        def call(ctx: Ctx) -> Outcome:
            return handler(ctx, req, files) if action in WITH_FILES else handler(ctx, req)

        if principal.kind == "customer":
            return self.run_customer_action(principal, action in CUSTOMER_LEAVING, call)
        result, pushes = self._run(principal, call, level)
        result.pushes = pushes + result.pushes
        return result

    def run_customer_action(self, principal: Principal, leaving: bool, fn: Callable[[Ctx], Outcome]) -> Outcome:
        """Run a customer's `fn(ctx)` in one transaction (at the `my` level): the customer is
        present afterwards, unless the action is one that `leaving` (closing its chat)."""

        def call(ctx: Ctx) -> Outcome:
            out = fn(ctx)
            ctx.x("UPDATE customers SET present=?, last_seen=? WHERE id=?", (int(not leaving), ctx.ts, principal.id))
            return out

        result, pushes = self._run(principal, call, "my")
        result.pushes = pushes + result.pushes
        return result

    def agent_level(self, principal: Principal, action: str, required: Sequence[str]) -> str:
        """The chat level (`all`/`access`/`my`) a known agent acts at, or authentication /
        authorization errors; actions without scopes act at the agent's read level."""
        with self._lock:
            known = principal.id in self.agent_info()
        if not known:
            raise ErrorReply("authentication", "Invalid access token")
        level = best_level(principal.scopes, tuple(required))
        if level is None:
            raise ErrorReply("authorization", f"{action} requires one of {', '.join(required)}")
        if not required:
            level = best_level(principal.scopes, CHATS_RO) or "my"
        return level

    def run_action(
        self, principal: Principal, action: str, required: Sequence[str], fn: Callable[[Ctx], Outcome]
    ) -> Outcome:
        """Check an agent's scopes for `action` (any of `required`), then run `fn(ctx)` in one
        transaction: how another dialect's actions (`emulator/v36`) reach this engine."""
        level = self.agent_level(principal, action, required)
        result, pushes = self._run(principal, fn, level)
        result.pushes = pushes + result.pushes
        return result

    def list_groups(self, principal: Principal, payload: Any) -> list[dict[str, Any]]:
        """The Configuration API's `list_groups` (scope `groups--all:ro`; `world/groups.py`)."""
        if not isinstance(payload, dict):
            raise ErrorReply("validation", "payload: must be a JSON object")
        try:
            req = groups.ListGroups.model_validate(payload)
        except ValidationError as err:
            raise ErrorReply("validation", validation_message(err)) from None
        outcome = self.run_action(
            principal, "list_groups", groups.SCOPES, lambda ctx: Outcome({"groups": groups.list_groups(ctx, req)})
        )
        found: list[dict[str, Any]] = outcome.payload["groups"]  # the answer is the bare array
        return found

    def set_presence(self, agent_id: str, present: bool) -> list[AddressedPush]:
        """Mark an agent present (RTM login) or gone (last socket closed). No v3.0 push exists.

        A simulated agent (`simulate_agents`) stays present when its last socket closes.
        """
        if not present and agent_id in self._simulated:
            present = True
        if not present:  # the next first session starts at the default level again
            self.monitoring.pop(agent_id, None)
        with self._lock:
            self.conn.execute(
                "UPDATE agents SET present=?, last_seen=? WHERE id=?", (int(present), int(time.time()), agent_id)
            )
        return []

    def demo_agents(self) -> list[str]:
        """The demo world's agents other than the administrator ([] unless it is seeded)."""
        with self._lock:
            if self.conn.execute("SELECT 1 FROM meta WHERE key='demo'").fetchone() is None:
                return []
            rows = self.conn.execute("SELECT id FROM agents ORDER BY seq").fetchall()
        known = {r["id"] for r in rows}
        return [email for email, _, _ in DEMO_AGENTS if email in known]

    def simulate_agents(self, agent_ids: Sequence[str]) -> list[AddressedPush]:
        """Agents the simulator plays: present, not away and accepting chats until
        `release_agents`, whatever their RTM sockets do (agent_updated when the status changes)."""

        def run(ctx: Ctx) -> None:
            for agent_id in agent_ids:
                row = ctx.one("SELECT * FROM agents WHERE id=?", (agent_id,))
                if row is None or agent_id in self._simulated:
                    continue
                self._simulated[agent_id] = (row["present"], row["away"], row["routing_status"])
                ctx.x(
                    "UPDATE agents SET present=1, away=0, routing_status='accepting_chats', last_seen=? WHERE id=?",
                    (ctx.ts, agent_id),
                )
                if row["routing_status"] != "accepting_chats":
                    ctx.push("agent_updated", {"agent_id": agent_id, "routing_status": "accepting_chats"}, ctx.agents())

        _, pushes = self._run(Principal("agent", seeding.ADMIN), run)
        return pushes

    def release_agents(self, still_connected: Callable[[str], bool] = lambda _: False) -> list[AddressedPush]:
        """Undo `simulate_agents`: presence, away and routing status as they were (an agent
        with a logged-in socket, per `still_connected`, stays present)."""

        def run(ctx: Ctx) -> None:
            for agent_id, (present, away, status) in list(self._simulated.items()):
                ctx.x(
                    "UPDATE agents SET present=?, away=?, routing_status=? WHERE id=?",
                    (int(present or still_connected(agent_id)), away, status, agent_id),
                )
                if status != "accepting_chats":
                    ctx.push("agent_updated", {"agent_id": agent_id, "routing_status": status}, ctx.agents())
            self._simulated.clear()

        _, pushes = self._run(Principal("agent", seeding.ADMIN), run)
        return pushes

    def read_file(self, path: str) -> tuple[bytes, str] | None:
        """(bytes, content type) of a stored file, or None (also for an expired v3.6 upload)."""
        if not isinstance(path, str) or not path.isprintable() or len(path) > 1024:
            return None
        path = path.lstrip("/")
        if path.startswith("files/"):
            path = path[len("files/") :]
        with self._lock:
            row = self.conn.execute(
                "SELECT data, content_type FROM files WHERE path=? AND (expires IS NULL OR expires >= ?)",
                (path, time.time()),
            ).fetchone()
        return (bytes(row["data"]), row["content_type"]) if row else None

    def close(self) -> None:
        """Checkpoint and close the database."""
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                if self.db_path != ":memory:":
                    self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                self.conn.close()

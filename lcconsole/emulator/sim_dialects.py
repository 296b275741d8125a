"""How the simulator says things in each API version: the calls behind its customers' and
agents' intentions (start a chat, write, send a file, leave, list my chats).

The simulator decides what happens; a `Voice` turns each intention into `Call`s of one version
(v3.0: `activate_chat`, `send_file`, `close_thread`, `get_chats_summary`, `recipients`; v3.6:
`resume_chat`, `upload_file` then a file event, `deactivate_chat`, `list_chats`,
`visibility`) and reads the answers back. The customer's website visit (`start_visit`,
`update_customer_page`, `end_visit`) is the emulator's own v3.0 customer action in both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lcconsole.emulator.contract import UploadedFile

DIALECTS = ("3.0", "3.6", "mixed")
"""`--sim-dialect` values: one version for everyone, or both (every other customer and agent)."""


ChatRef = str | None
"""A simulated customer's chat id (None before its first chat: the server refuses the call)."""


@dataclass(frozen=True)
class Call:
    """One action in one version."""

    action: str
    payload: dict[str, Any]
    version: str
    files: dict[str, UploadedFile] | None = field(default=None, repr=False)


class Voice30:
    """The v3.0 calls."""

    version = "3.0"

    def _call(self, action: str, payload: dict[str, Any], files: dict[str, UploadedFile] | None = None) -> Call:
        return Call(action, payload, self.version, files)

    def message(self, text: str) -> dict[str, Any]:
        return {"type": "message", "text": text, "recipients": "all"}

    def start_chat(self, event: dict[str, Any]) -> Call:
        return self._call("start_chat", {"chat": {"thread": {"events": [event]}}})

    def resume_chat(self, chat_id: ChatRef, event: dict[str, Any]) -> Call:
        return self._call("activate_chat", {"chat": {"id": chat_id, "thread": {"events": [event]}}})

    def started(self, result: dict[str, Any], chat_id: str | None) -> tuple[str | None, str | None]:
        """(chat id, thread id) from a start/resume answer."""
        body = result.get("chat") or {}
        threads = body.get("threads") or [{}]
        return body.get("id", chat_id), (body.get("thread") or threads[-1]).get("id")

    def send_event(self, chat_id: ChatRef, event: dict[str, Any]) -> Call:
        return self._call("send_event", {"chat_id": chat_id, "event": event})

    def upload(self, chat_id: ChatRef, upload: UploadedFile) -> Call:
        """The first (v3.0: only) call of sending a file."""
        return self._call("send_file", {"chat_id": chat_id}, {"file": upload})

    def file_event(self, chat_id: ChatRef, uploaded: dict[str, Any]) -> Call | None:
        """The file event after `upload` answered `uploaded` (v3.0: none, send_file posts it)."""
        return None

    def leave(self, chat_id: ChatRef) -> Call:
        return self._call("close_thread", {"chat_id": chat_id})

    def my_chats(self) -> Call:
        return self._call("get_chats_summary", {"limit": 100})

    def active_chats_of(self, result: dict[str, Any], agent_id: str) -> list[str]:
        """Ids of the active chats `agent_id` is a member of, from a `my_chats` answer."""
        return [
            c["id"]
            for c in result.get("chats_summary", [])
            if (c.get("last_thread_summary") or {}).get("active")
            and any(u.get("id") == agent_id for u in c.get("users", []))
        ]

    def typing(self, chat_id: ChatRef, is_typing: bool) -> Call:
        return self._call("send_typing_indicator", {"chat_id": chat_id, "is_typing": is_typing})

    def sneak_peek(self, chat_id: ChatRef, text: str) -> Call:
        return self._call("send_sneak_peek", {"chat_id": chat_id, "sneak_peek_text": text})

    def postback(self, chat_id: ChatRef, thread_id: str | None, event_id: str | None, postback: dict[str, Any]) -> Call:
        return self._call(
            "send_rich_message_postback",
            {"chat_id": chat_id, "thread_id": thread_id, "event_id": event_id, "postback": postback},
        )


class Voice36(Voice30):
    """The v3.6 calls (customer side `/v3.6/customer`, agent side `/v3.6/agent`)."""

    version = "3.6"

    def message(self, text: str) -> dict[str, Any]:
        return {"type": "message", "text": text, "visibility": "all"}

    def start_chat(self, event: dict[str, Any]) -> Call:
        return self._call("start_chat", {"chat": {"thread": {"events": [event]}}})

    def resume_chat(self, chat_id: ChatRef, event: dict[str, Any]) -> Call:
        return self._call("resume_chat", {"chat": {"id": chat_id, "thread": {"events": [event]}}})

    def started(self, result: dict[str, Any], chat_id: str | None) -> tuple[str | None, str | None]:
        return result.get("chat_id", chat_id), result.get("thread_id")

    def upload(self, chat_id: ChatRef, upload: UploadedFile) -> Call:
        return self._call("upload_file", {}, {"file": upload})

    def file_event(self, chat_id: ChatRef, uploaded: dict[str, Any]) -> Call | None:
        return self.send_event(chat_id, {"type": "file", "url": uploaded["url"]})

    def leave(self, chat_id: ChatRef) -> Call:
        return self._call("deactivate_chat", {"id": chat_id})

    def my_chats(self) -> Call:
        return self._call("list_chats", {"limit": 100})


VOICES: dict[str, Voice30] = {"3.0": Voice30(), "3.6": Voice36()}


def voice_for(dialect: str, index: int) -> Voice30:
    """The voice of the `index`-th simulated customer or agent under `dialect`."""
    if dialect == "mixed":
        return VOICES["3.6" if index % 2 else "3.0"]
    if dialect not in VOICES:
        raise ValueError(f"unknown simulator dialect {dialect!r} (expected one of {DIALECTS})")
    return VOICES[dialect]


def visit_call(action: str, payload: dict[str, Any]) -> Call:
    """A website-visit action (the emulator's own, v3.0 customer side)."""
    return Call(action, payload, "3.0")

"""Push-checking helpers of the spec conformance tests: logged-in sockets of every test agent
and strict push frame assertions (docs/api-notes.md §4.2/§4.4)."""

from __future__ import annotations

from _spec_client import ACCESS, ADMIN, AGENT2, LIMITED, Spec, start_process

EXACT_KEYS = {
    "incoming_event": {"chat_id", "thread_id", "event"},
    "event_updated": {"chat_id", "thread_id", "event"},
    "incoming_rich_message_postback": {"user_id", "chat_id", "thread_id", "event_id", "postback"},
    "access_granted": {"resource", "id", "access"},
    "access_revoked": {"resource", "id", "access"},
    "access_set": {"resource", "id", "access"},
    "chat_transferred": {"chat_id", "requester_id", "type", "ids"},
    "chat_user_added": {"chat_id", "thread_id", "user", "user_type"},
    "chat_user_removed": {"chat_id", "thread_id", "user_id", "user_type"},
    "chat_properties_updated": {"chat_id", "properties"},
    "chat_properties_deleted": {"chat_id", "properties"},
    "chat_thread_properties_updated": {"chat_id", "thread_id", "properties"},
    "chat_thread_properties_deleted": {"chat_id", "thread_id", "properties"},
    "event_properties_updated": {"chat_id", "thread_id", "event_id", "properties"},
    "event_properties_deleted": {"chat_id", "thread_id", "event_id", "properties"},
    "chat_thread_tagged": {"chat_id", "thread_id", "tag"},
    "chat_thread_untagged": {"chat_id", "thread_id", "tag"},
    "last_seen_timestamp_updated": {"user_id", "chat_id", "timestamp"},
    "customer_created": {"customer"},
    "customer_banned": {"customer_id", "ban"},
    "agent_updated": {"agent_id", "routing_status"},
}
"""Push payload keys exactly as docs/api-notes.md §4.4 lists them."""


class Room:
    """Logged-in sockets: two of the administrator, agent2 (all), limited (my:ro), access agent."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.sockets = {
            "admin": spec.rtm(ADMIN),
            "admin2": spec.rtm(ADMIN),
            AGENT2: spec.rtm(AGENT2),
            LIMITED: spec.rtm(LIMITED),
            ACCESS: spec.rtm(ACCESS),
        }
        self.collect()

    def collect(self) -> dict[str, list[dict]]:
        """Pushes that reached each socket since the last collect."""
        return {name: sock.drain() for name, sock in self.sockets.items()}

    def close(self) -> None:
        for sock in self.sockets.values():
            sock.close()


def named(frames: list[dict], action: str) -> list[dict]:
    return [f for f in frames if f.get("action") == action]


def one_push(got: dict, who: str, action: str, request_id: str | None = None) -> dict:
    """The single `action` push `who` received (frame checked); its payload."""
    frames = named(got[who], action)
    assert len(frames) == 1, f"{who} expected one {action}: {got[who]}"
    frame = frames[0]
    if request_id is None:
        assert set(frame) == {"action", "type", "payload"}, frame
    else:
        assert set(frame) == {"request_id", "action", "type", "payload"}, frame
        assert frame["request_id"] == request_id
    assert frame["type"] == "push"
    payload = frame["payload"]
    if action in EXACT_KEYS:
        assert set(payload) == EXACT_KEYS[action], f"{action}: {sorted(payload)}"
    return payload


def none_of(got: dict, who: str, action: str | None = None) -> None:
    frames = got[who] if action is None else named(got[who], action)
    assert frames == [], f"{who} must not get {action or 'any push'}: {frames}"


def new_chat(room: Room, access: list[int] | None = None, as_: str = ADMIN) -> dict:
    """A started chat with a customer and a message (its pushes discarded)."""
    customer = room.spec.customer()["id"]
    chat = {
        "users": [{"id": customer, "type": "customer"}],
        "thread": {"events": [{"type": "message", "text": "hello there"}]},
    }
    if access is not None:
        chat["access"] = {"group_ids": access}
    started = room.spec.ok("start_chat", {"chat": chat}, as_=as_)["chat"]
    room.collect()
    return started


def room_of(workdir):
    """Generator for a module fixture: a fresh emulator process with every test agent logged in
    (`yield from room_of(tmp_path_factory.mktemp("x"))`)."""
    proc = start_process(workdir)
    spec = Spec(proc)
    room = Room(spec)
    yield room
    room.close()
    spec.close()
    proc.kill()

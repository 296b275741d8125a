"""Who-and-where modals: TransferModal, UserModal, AccessModal (pick from a list)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Label, OptionList, RadioButton, RadioSet
from textual.widgets.option_list import Option

from lcconsole.ui.modals._base import FormModal, choices, field_row, get, item_id, item_label
from lcconsole.ui.modals.answers import GroupAccessChange, TransferRequest, UserChange
from lcconsole.ui.modals.validation import FormError, parse_int


class _PickModal(FormModal[Any]):
    """A form whose main field is an OptionList `#targets`; enter on it submits."""

    def _fill(self, items: list[tuple[Text, Any]], empty: str) -> None:
        self._values = [value for _label, value in items]
        option_list = self.query_one("#targets", OptionList)
        option_list.clear_options()
        option_list.add_options([Option(label) for label, _value in items])
        if items:
            option_list.highlighted = 0
        note = self.query_one("#targets-note", Label)
        note.update("" if items else empty)
        note.display = not items

    def picked(self) -> Any | None:
        """The highlighted value of the list, if any."""
        index = self.query_one("#targets", OptionList).highlighted
        values = getattr(self, "_values", [])
        return values[index] if index is not None and 0 <= index < len(values) else None

    @on(OptionList.OptionSelected, "#targets")
    def _target_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_submit()


def agent_status(agent: Any) -> str:
    """ "accepting" / "not accepting" / "offline" from an Agent's routing_status and present."""
    if isinstance(agent, (str, int, tuple)):
        return ""
    if get(agent, "present") is False:
        return "offline"
    routing = get(agent, "routing_status")
    if routing == "accepting_chats":
        return "accepting"
    if routing == "not_accepting_chats":
        return "not accepting"
    return ""


def agent_choices(agents: Iterable[Any], *, exclude: Iterable[Any] = ()) -> list[tuple[Text, Any]]:
    """`choices()` of agents, each label followed by its availability."""
    excluded = set(exclude)
    agents = list(agents)
    status = {item_id(a): agent_status(a) for a in agents}
    out = []
    for label, ident in choices(agents):
        if ident in excluded:
            continue
        if status.get(ident):
            label = label.copy()
            label.append(f"  {status[ident]}", style="dim")
        out.append((label, ident))
    return out


def candidate_choices(
    agents: Iterable[Any], active_chats: Mapping[str, int], *, exclude: Iterable[Any] = ()
) -> list[tuple[Text, Any]]:
    """The transfer candidates in the server's order (least busy first), each labelled with the
    agent's name (when known), availability and number of active chats; then the other known
    agents, marked as not available (only a forced transfer can reach them)."""
    agents = list(agents)
    known = {item_id(a): a for a in agents}
    excluded = set(exclude)
    out = []
    for agent_id, count in active_chats.items():
        if agent_id in excluded:
            continue
        agent = known.get(agent_id, agent_id)
        label = choices([agent])[0][0].copy()
        status = agent_status(agent)
        chats = f"{count} active chat{'' if count == 1 else 's'}"
        label.append(f"  {status + ' · ' if status else ''}{chats}", style="dim")
        out.append((label, agent_id))
    for label, agent_id in choices(agents):
        if agent_id not in excluded and agent_id not in active_chats:
            label = label.copy()
            label.append("  not available now", style="dim")
            out.append((label, agent_id))
    return out


class TransferModal(_PickModal):
    """`TransferModal(agents, groups, *, exclude_agent_ids=(), active_chats=None)`.

    Agents/groups: ids, `(id, name)` pairs or objects with `id`/`name` (agents also show
    accepting / not accepting / offline from `routing_status`/`present`). `active_chats`, when
    the server says who can take the chat (agent id -> their active chats, in the server's
    order), limits the agents to those and shows each one's load. Choose Agent or Group, pick
    one target, optionally force. Returns `TransferRequest(target_type, ids=(id,), force)`.
    """

    TITLE_TEXT = "Transfer chat"
    SUBMIT_LABEL = "Transfer"

    def __init__(
        self,
        agents: Iterable[Any],
        groups: Iterable[Any],
        *,
        exclude_agent_ids: Iterable[str] = (),
        active_chats: Mapping[str, int] | None = None,
    ) -> None:
        super().__init__(classes="lc-transfer")
        if active_chats is None:
            self._agents = agent_choices(agents, exclude=exclude_agent_ids)
        else:
            self._agents = candidate_choices(agents, active_chats, exclude=exclude_agent_ids)
        self._groups = choices(groups)

    def compose_body(self) -> ComposeResult:
        yield field_row(
            "Target",
            RadioSet(
                RadioButton("Agent", value=True, id="kind-agent"),
                RadioButton("Group", id="kind-group"),
                id="kind",
                compact=True,
            ),
        )
        yield OptionList(id="targets", compact=True)
        yield Label("", id="targets-note", classes="lc-dialog-note")
        yield field_row("", Checkbox("Force (even when nobody in the group can take it)", id="force", compact=True))

    def after_mount(self) -> None:
        self._refill()

    @property
    def target_type(self) -> Literal["agent", "group"]:
        """The chosen kind of target."""
        return "group" if self.query_one("#kind-group", RadioButton).value else "agent"

    def _refill(self) -> None:
        if self.target_type == "group":
            self._fill(self._groups, "No groups to transfer to")
        else:
            self._fill(self._agents, "No other agents to transfer to")

    @on(RadioSet.Changed, "#kind")
    def _kind_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self._refill()

    def build_result(self) -> TransferRequest:
        target = self.picked()
        if target is None:
            raise FormError(f"Pick the {self.target_type} to transfer to", "targets")
        return TransferRequest(
            target_type=self.target_type, ids=(target,), force=self.query_one("#force", Checkbox).value
        )


class UserModal(_PickModal):
    """`UserModal(action: "add" | "remove", agents, chat_users=())`.

    add: pick among `agents` not already in `chat_users`; remove: pick among `chat_users`
    (agents or customers; objects/dicts with `id`, `name`, `type`). Returns `UserChange`.
    """

    SUBMIT_LABEL = "OK"

    def __init__(self, action: Literal["add", "remove"], agents: Iterable[Any], chat_users: Iterable[Any] = ()) -> None:
        super().__init__(classes="lc-user")
        if action not in ("add", "remove"):
            raise ValueError(f"action must be 'add' or 'remove', not {action!r}")
        self.action = action
        users = list(chat_users)
        self._types = {item_id(u): (get(u, "type") or "agent") for u in users if not isinstance(u, (str, int, tuple))}
        if action == "add":
            self._items = agent_choices(agents, exclude={item_id(u) for u in users})
        else:
            self._items = []
            for user in users:
                kind = self._types.get(item_id(user), "agent")
                label = Text(f"{item_label(user)}  [{kind}]")
                self._items.append((label, item_id(user)))

    def dialog_title(self) -> str:
        return "Add agent to chat" if self.action == "add" else "Remove user from chat"

    def compose_body(self) -> ComposeResult:
        yield OptionList(id="targets", compact=True)
        yield Label("", id="targets-note", classes="lc-dialog-note")

    def after_mount(self) -> None:
        self._fill(self._items, "Every agent is already in this chat" if self.action == "add" else "Nobody to remove")

    def build_result(self) -> UserChange:
        user_id = self.picked()
        if user_id is None:
            raise FormError("Pick a user from the list", "targets")
        kind = self._types.get(user_id, "agent")
        return UserChange(
            action=self.action, user_id=str(user_id), user_type="customer" if kind == "customer" else "agent"
        )


class AccessModal(_PickModal):
    """`AccessModal(action: "grant" | "revoke" | "set", groups, current_group_ids=())`.

    grant lists the groups the chat lacks, revoke the ones it has, set all groups; a group id can
    also be typed. Returns `GroupAccessChange(action, group_id)`.
    """

    SUBMIT_LABEL = "OK"
    _TITLES = {
        "grant": "Grant access to a group",
        "revoke": "Revoke a group's access",
        "set": "Set access to one group",
    }

    def __init__(
        self, action: Literal["grant", "revoke", "set"], groups: Iterable[Any], current_group_ids: Iterable[int] = ()
    ) -> None:
        super().__init__(classes="lc-access")
        if action not in self._TITLES:
            raise ValueError(f"action must be grant, revoke or set, not {action!r}")
        self.action = action
        current = set(current_group_ids)
        self._current = sorted(current)
        known = choices(groups)
        self._labels = {ident: label.plain for label, ident in known}
        if action == "grant":
            known = [c for c in known if c[1] not in current]
        elif action == "revoke":
            named = {c[1] for c in known}
            known = [c for c in known if c[1] in current] + [
                (Text(str(g)), g) for g in sorted(current) if g not in named
            ]
        self._items = known

    def dialog_title(self) -> str:
        return self._TITLES[self.action]

    def compose_body(self) -> ComposeResult:
        yield OptionList(id="targets", compact=True)
        yield Label("", id="targets-note", classes="lc-dialog-note")
        yield field_row("or group id", Input(placeholder="type a group id instead", id="group-id", compact=True))
        if self._current:
            yield Label(
                "Groups with access now: " + ", ".join(self._labels.get(g, str(g)) for g in self._current),
                classes="lc-dialog-note",
                markup=False,
            )

    def after_mount(self) -> None:
        self._fill(self._items, "No group fits; type a group id")

    def build_result(self) -> GroupAccessChange:
        typed = self.query_one("#group-id", Input).value
        if typed.strip():
            group_id = parse_int(typed, "Group id", minimum=0, field="group-id")
        else:
            picked = self.picked()
            if picked is None:
                raise FormError("Pick a group or type its id", "group-id")
            group_id = int(picked)
        return GroupAccessChange(action=self.action, group_id=group_id)

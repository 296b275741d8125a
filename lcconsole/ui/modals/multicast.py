"""MulticastModal: scopes (all agents / agent ids / group ids / customer ids), type, JSON content."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, TextArea

from lcconsole.ui.modals._base import FormModal, field_row, item_id
from lcconsole.ui.modals.answers import MulticastRequest
from lcconsole.ui.modals.suggesters import TagListSuggester
from lcconsole.ui.modals.validation import FormError, parse_int_list, parse_json, split_list


class MulticastModal(FormModal[MulticastRequest]):
    """`MulticastModal(agents=(), groups=(), *, content="{}")`.

    Agent/group lists only feed the id completion (tab or → accepts). At least one scope is required;
    content must be valid JSON (the error names line and column). Returns `MulticastRequest`.
    """

    TITLE_TEXT = "Multicast"
    SUBMIT_LABEL = "Send"

    def __init__(self, agents: Iterable[Any] = (), groups: Iterable[Any] = (), *, content: str = "{}") -> None:
        super().__init__(classes="lc-multicast")
        self._agent_ids = [str(item_id(a)) for a in agents if item_id(a) is not None]
        self._group_ids = [str(item_id(g)) for g in groups if item_id(g) is not None]
        self._content = content

    def compose_body(self) -> ComposeResult:
        yield field_row("Agents", Checkbox("all agents", id="all-agents", compact=True))
        yield field_row(
            "Agent ids",
            Input(
                placeholder="comma separated", suggester=TagListSuggester(self._agent_ids), id="agent-ids", compact=True
            ),
        )
        yield field_row(
            "Group ids",
            Input(
                placeholder="comma separated numbers",
                suggester=TagListSuggester(self._group_ids),
                id="group-ids",
                compact=True,
            ),
        )
        yield field_row(
            "Customers", Input(placeholder="customer ids, comma separated", id="customer-ids", compact=True)
        )
        yield field_row("Type", Input(placeholder="optional message type", id="type", compact=True))
        yield field_row("Content", TextArea(self._content, id="content", language=None, compact=True, soft_wrap=True))

    def build_result(self) -> MulticastRequest:
        all_agents = self.query_one("#all-agents", Checkbox).value
        agent_ids = split_list(self.query_one("#agent-ids", Input).value)
        group_ids = parse_int_list(self.query_one("#group-ids", Input).value, "Group id", field="group-ids")
        customer_ids = split_list(self.query_one("#customer-ids", Input).value)
        if not (all_agents or agent_ids or group_ids or customer_ids):
            raise FormError("Choose at least one scope: all agents, agent ids, group ids or customer ids", "all-agents")
        content = parse_json(self.query_one("#content", TextArea).text, field="content")
        return MulticastRequest(
            content=content,
            all_agents=all_agents,
            agent_ids=tuple(agent_ids),
            group_ids=tuple(group_ids),
            customer_ids=tuple(customer_ids),
            type=self.query_one("#type", Input).value.strip() or None,
        )

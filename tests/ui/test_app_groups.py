"""Group names from the emulator's Configuration API (list_groups) in the details pane, the
transfer and access dialogs; read back through the API."""

from __future__ import annotations

import uuid

import pytest
from app_harness import (  # noqa: F401  (server is a fixture)
    Customer,
    agent_call,
    chat_of,
    console,
    idle,
    open_chat,
    server,
    wait_for,
)
from textual.widgets import OptionList

from lcconsole.ui.widgets.properties_panel import PropertiesPanel

HOSTILE = "Returns [bold]x[/] \x1b[31m"


def add_group(server, group_id, name):
    engine = server.app.state.hub.engine
    server.call(lambda: engine.conn.execute("INSERT OR REPLACE INTO groups(id, name) VALUES (?, ?)", (group_id, name)))


@pytest.mark.parametrize("api_version", ["3.0", "3.6"])
async def test_group_names_in_details_transfer_and_access(server, tmp_path, api_version):
    add_group(server, 5, HOSTILE)
    add_group(server, 6, "Billing")
    customer = Customer(server.info.base_url, "C" + uuid.uuid4().hex[:5])
    customer.start_chat("hello")
    agent_call(
        server, "grant_access", {"resource": "chat", "id": customer.chat_id, "access": {"type": "group", "id": 6}}
    )
    async with console(server, tmp_path, size=(120, 36), api_version=api_version) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await wait_for(pilot, lambda: 5 in screen.store.group_names, what="list_groups answered")
        panel = screen.query_one(PropertiesPanel)
        await wait_for(
            pilot, lambda: "groups: General, Billing" in panel.render_info().plain, what="names in the details pane"
        )

        if api_version == "3.0":  # v3.6 has no access actions
            await pilot.press("alt+g")  # access: the current groups are named too
            await wait_for(pilot, lambda: type(app.screen).__name__ == "AccessModal")
            notes = [str(label.render()) for label in app.screen.query(".lc-dialog-note")]
            assert "Groups with access now: General (0), Billing (6)" in notes
            await pilot.press("escape")

        await pilot.press("t")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TransferModal")
        app.screen.query_one("#kind-group").value = True
        targets = app.screen.query_one("#targets", OptionList)
        await wait_for(pilot, lambda: targets.option_count == 3, what="groups listed")
        labels = [str(targets.get_option_at_index(i).prompt) for i in range(3)]
        shown = "Returns [bold]x[/] \u241b[31m (5)"  # literal, the escape made visible
        assert labels == ["General (0)", shown, "Billing (6)"]
        targets.focus()
        await pilot.press("down")
        app.screen.query_one("#force").value = True
        await pilot.press("ctrl+s")
        await idle(pilot, screen)
    assert chat_of(server, customer.chat_id)["access"]["group_ids"] == [5]

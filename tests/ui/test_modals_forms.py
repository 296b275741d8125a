"""Pilot tests of the form modals: type, submit, exact result; cancel; inline errors."""

from __future__ import annotations

from pathlib import Path

from modal_pilot import fill, opened, settle, still_open_with, type_text  # isort: skip
from modal_host import AGENTS, CUSTOMERS, GROUPS

from lcconsole.errors import LiveChatError
from lcconsole.ui.modals import (
    AccessModal,
    AttachModal,
    AttachRequest,
    BanModal,
    ConfirmModal,
    CustomerData,
    CustomerModal,
    GroupAccessChange,
    MulticastModal,
    MulticastRequest,
    PropertyChange,
    PropertyModal,
    StartChatModal,
    StartChatRequest,
    TagModal,
    TransferModal,
    TransferRequest,
    UserChange,
    UserModal,
)


async def test_confirm_keys_and_literal_body() -> None:
    for keys, expected in ((("enter",), True), (("escape",), None), (("n",), None)):
        async with opened(lambda: ConfirmModal("Close thread", "Close [b]Jane[/b]?")) as (app, pilot, modal):
            assert str(modal.query_one("#confirm-body").render()) == "Close [b]Jane[/b]?"
            await pilot.press(*keys)
            await pilot.pause()
            assert app.results == [expected], keys


async def test_start_chat_full_flow_debounced_search() -> None:
    calls: list[str] = []

    async def search(query: str) -> list[dict]:
        calls.append(query)
        return [c for c in CUSTOMERS if query.lower() in c["email"]]

    def factory():
        return StartChatModal(search, GROUPS, ["vip", "billing"], debounce=0.5)

    async with opened(factory) as (app, pilot, modal):
        await settle(app, pilot)
        assert calls == [""] and len(modal.customers) == 2
        assert app.screen.focused.id == "customer-search"
        await type_text(pilot, "john")
        await pilot.pause(0.6)
        await settle(app, pilot)
        assert calls == ["", "john"]  # four keystrokes, one search
        assert [c["id"] for c in modal.customers] == [CUSTOMERS[1]["id"]]
        await pilot.press("enter")  # to the message
        assert app.screen.focused.id == "message"
        await type_text(pilot, "Hello [b]there")
        await pilot.press("tab", "enter", "down", "down", "down", "enter")  # group: Support (2)
        await pilot.press("tab")
        await type_text(pilot, "v")
        await pilot.press("right")  # accept "vip"
        await type_text(pilot, ", bi")
        await pilot.press("right", "enter")
        await pilot.pause()
    assert app.results == [
        StartChatRequest(customer_id=CUSTOMERS[1]["id"], message="Hello [b]there", group_id=2, tags=("vip", "billing"))
    ]


async def test_start_chat_requires_customer_and_message_and_shows_search_errors() -> None:
    async def failing(query: str) -> list:
        raise LiveChatError("authorization", "customers:ro scope required")

    async with opened(lambda: StartChatModal(failing, debounce=0.01)) as (app, pilot, modal):
        await settle(app, pilot)
        assert "authorization: customers:ro scope required" in modal.error_text
        await pilot.press("ctrl+s")
        still_open_with(app, modal, "Pick a customer")

    async def found(query: str) -> list:
        return CUSTOMERS[:1]

    async with opened(lambda: StartChatModal(found)) as (app, pilot, modal):
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        still_open_with(app, modal, "first message")
        assert app.screen.focused.id == "message"
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_start_chat_with_a_preselected_customer() -> None:
    calls: list[str] = []

    async def search(query: str) -> list:
        calls.append(query)
        return []

    async with opened(lambda: StartChatModal(search, customer=CUSTOMERS[0])) as (app, pilot, modal):
        assert app.screen.focused.id == "message"
        await type_text(pilot, "Hi")
        await pilot.press("enter")
        await pilot.pause()
    assert calls == []
    assert app.results == [StartChatRequest(CUSTOMERS[0]["id"], "Hi")]


async def test_transfer_to_agent_or_group() -> None:
    async with opened(lambda: TransferModal(AGENTS, GROUPS, exclude_agent_ids=["agent1@example.com"])) as (
        app,
        pilot,
        modal,
    ):
        assert app.screen.focused.id == "kind"
        labels = [str(o.prompt) for o in modal.query_one("#targets").options]
        assert labels == [
            "Bob [bold]Builder[/bold] (agent2@example.com)  not accepting",
            "Cid (agent3@example.com)  offline",
        ]
        await pilot.press("tab", "down", "tab", "space", "ctrl+s")  # Cid, force
        await pilot.pause()
    assert app.results == [TransferRequest("agent", ("agent3@example.com",), True)]

    async with opened(lambda: TransferModal(AGENTS, GROUPS)) as (app, pilot, modal):
        await pilot.press("right", "enter")  # Group
        await pilot.pause()
        assert modal.target_type == "group"
        await pilot.press("tab", "down", "enter")  # Sales (1), enter on the list submits
        await pilot.pause()
    assert app.results == [TransferRequest("group", (1,), False)]

    async with opened(lambda: TransferModal([], GROUPS)) as (app, pilot, modal):
        await pilot.press("ctrl+s")
        still_open_with(app, modal, "Pick the agent")


async def test_user_add_and_remove() -> None:
    async with opened(lambda: UserModal("add", AGENTS, [AGENTS[0]])) as (app, pilot, modal):
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.results == [UserChange("add", "agent3@example.com", "agent")]

    chat_users = [AGENTS[0], {"id": "cust-1", "type": "customer", "name": "Jane"}]
    async with opened(lambda: UserModal("remove", AGENTS, chat_users)) as (app, pilot, modal):
        await pilot.press("down", "ctrl+s")
        await pilot.pause()
    assert app.results == [UserChange("remove", "cust-1", "customer")]


async def test_access_pick_or_type_group() -> None:
    async with opened(lambda: AccessModal("grant", GROUPS, [0])) as (app, pilot, modal):
        await pilot.press("down", "enter")  # [Sales, Support] -> Support
        await pilot.pause()
    assert app.results == [GroupAccessChange("grant", 2)]

    async with opened(lambda: AccessModal("set", GROUPS)) as (app, pilot, modal):
        await fill(pilot, modal, "group-id", "x7")
        await pilot.press("enter")
        still_open_with(app, modal, "not a whole number")
        await fill(pilot, modal, "group-id", "7")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [GroupAccessChange("set", 7)]

    async with opened(lambda: AccessModal("revoke", GROUPS, [2, 9])) as (app, pilot, modal):
        assert modal._values == [2, 9]
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_tag_add_with_completion_and_remove() -> None:
    async with opened(lambda: TagModal("add", ["billing", "vip"], ["sales"])) as (app, pilot, modal):
        await pilot.press("enter")
        still_open_with(app, modal, "Type a tag")
        await type_text(pilot, "SALES")
        await pilot.press("enter")
        still_open_with(app, modal, "already tagged")
        await fill(pilot, modal, "tag", "bi")
        await pilot.pause()
        await pilot.press("right", "enter")
        await pilot.pause()
    assert app.results == ["billing"]

    async with opened(lambda: TagModal("remove", [], ["sales", "vip"])) as (app, pilot, modal):
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.results == ["vip"]


async def test_property_update_validates_values() -> None:
    existing = {"my": {"score": {"value": 3}, "flag": {"value": True}}}
    async with opened(lambda: PropertyModal("thread", existing)) as (app, pilot, modal):
        assert app.screen.focused.id == "namespace"
        await type_text(pilot, "my")
        await fill(pilot, modal, "name", "score")
        await pilot.pause()
        assert modal.value_type == "int" and modal.query_one("#value").value == "3"
        await fill(pilot, modal, "value", "12x")
        await pilot.press("enter")
        still_open_with(app, modal, "not a whole number")
        await fill(pilot, modal, "value", "2147483648")
        await pilot.press("enter")
        still_open_with(app, modal, "at most 2147483647")
        await fill(pilot, modal, "value", "-7")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [PropertyChange("thread", "my", "score", -7)]

    async with opened(lambda: PropertyModal("event")) as (app, pilot, modal):
        await type_text(pilot, "ns")
        await pilot.press("tab")
        await type_text(pilot, "ok")
        await pilot.press("tab", "right", "right", "enter", "tab")  # type: bool
        await type_text(pilot, "yes")
        await pilot.press("enter")
        still_open_with(app, modal, "not a bool")
        await fill(pilot, modal, "value", "TRUE")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [PropertyChange("event", "ns", "ok", True)]

    async with opened(lambda: PropertyModal("chat")) as (app, pilot, modal):
        await type_text(pilot, "bad ns")
        await pilot.press("enter")
        still_open_with(app, modal, "Namespace must not contain spaces")


async def test_property_delete_picks_existing_names() -> None:
    existing = {"my": {"score": {"value": 3}, "flag": {"value": True}}, "b": {"x": "y"}}
    async with opened(lambda: PropertyModal("chat", existing, delete=True)) as (app, pilot, modal):
        await pilot.press("space", "down", "down", "space", "ctrl+s")  # b.x and my.score
        await pilot.pause()
    assert app.results == [PropertyChange("chat", delete=True, names=(("b", "x"), ("my", "score")))]

    async with opened(lambda: PropertyModal("chat", existing, delete=True)) as (app, pilot, modal):
        await pilot.press("down", "ctrl+s")  # nothing ticked: the highlighted one
        await pilot.pause()
    assert app.results == [PropertyChange("chat", delete=True, names=(("my", "flag"),))]


async def test_customer_create_and_update() -> None:
    async with opened(lambda: CustomerModal()) as (app, pilot, modal):
        await type_text(pilot, "Ann [i]")
        await fill(pilot, modal, "email", "ann@example")
        await pilot.press("enter")
        still_open_with(app, modal, "not a valid address")
        await fill(pilot, modal, "email", "ann@example.com")
        await fill(pilot, modal, "avatar", "ftp://x")
        await pilot.press("enter")
        still_open_with(app, modal, "Avatar URL")
        await fill(pilot, modal, "avatar", "https://img.example.com/a.png")
        await pilot.press("tab")
        fields = modal.query_one("#fields")
        assert app.screen.focused is fields
        await type_text(pilot, "plan=gold")
        await pilot.press("enter", "o", "o")
        await pilot.press("ctrl+s")
        still_open_with(app, modal, "line 2")
        fields.text = "plan=gold\ntier = "
        fields.move_cursor(fields.document.end)
        await pilot.press("1", "ctrl+s")
        await pilot.pause()
    assert app.results == [
        CustomerData(None, "Ann [i]", "ann@example.com", "https://img.example.com/a.png", {"plan": "gold", "tier": "1"})
    ]

    customer = dict(CUSTOMERS[0], fields={"plan": "gold"})
    async with opened(lambda: CustomerModal(customer)) as (app, pilot, modal):
        assert modal.query_one("#name").value == CUSTOMERS[0]["name"]
        await fill(pilot, modal, "name", "Jane")
        await pilot.press("ctrl+s")
        await pilot.pause()
    # an update carries only what changed
    assert app.results == [CustomerData(CUSTOMERS[0]["id"], name="Jane")]

    hostile = dict(CUSTOMERS[1], fields={"note\x1b]0;x\x07": "a\u202eb"})
    async with opened(lambda: CustomerModal(hostile)) as (app, pilot, modal):
        assert modal.query_one("#name").value == "John␛[31mRed"  # never a raw ESC on screen
        assert "\x1b" not in modal.query_one("#fields").text
        await fill(pilot, modal, "email", "")
        await fill(pilot, modal, "avatar", "https://a.example/x.png")
        await pilot.press("ctrl+s")
        await pilot.pause()
    # the sanitised name and fields were not written back; the cleared e-mail is sent empty
    assert app.results == [CustomerData(CUSTOMERS[1]["id"], email="", avatar="https://a.example/x.png")]


async def test_ban_days_positive_int() -> None:
    async with opened(lambda: BanModal(CUSTOMERS[0])) as (app, pilot, modal):
        await fill(pilot, modal, "days", "0")
        await pilot.press("enter")
        still_open_with(app, modal, "at least 1")
        await fill(pilot, modal, "days", "two")
        await pilot.press("enter")
        still_open_with(app, modal, "not a whole number")
        await fill(pilot, modal, "days", "14")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [14]


async def test_multicast_scopes_and_json() -> None:
    async with opened(lambda: MulticastModal(AGENTS, GROUPS)) as (app, pilot, modal):
        await pilot.press("ctrl+s")
        still_open_with(app, modal, "at least one scope")
        await pilot.press("tab")
        await type_text(pilot, "agent1")
        await pilot.press("right", "tab")
        await type_text(pilot, "1, 2")
        await pilot.press("tab", "tab")
        await type_text(pilot, "note")
        content = modal.query_one("#content")
        content.focus()
        content.text = ""
        await type_text(pilot, '{"a": [1,}')
        await pilot.press("ctrl+s")
        still_open_with(app, modal, "invalid JSON at line 1 column")
        content.text = '{"a": [1, "x"]}'
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [
        MulticastRequest(content={"a": [1, "x"]}, agent_ids=("agent1@example.com",), group_ids=(1, 2), type="note")
    ]


async def test_attach_refuses_missing_and_large_files(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    with open(big, "wb") as fh:
        fh.truncate(11 * 1024 * 1024)  # sparse: no real disk use
    picture = tmp_path / "picture.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    async with opened(lambda: AttachModal(cwd=tmp_path)) as (app, pilot, modal):
        await type_text(pilot, "missing.txt")
        await pilot.press("enter")
        still_open_with(app, modal, "No such file")
        await fill(pilot, modal, "path", "big.bin")
        await pilot.press("enter")
        still_open_with(app, modal, "too large: 11.0 MB")
        await fill(pilot, modal, "path", "pic")
        await pilot.pause()
        await pilot.press("tab")  # tab completes picture.png (focus stays)
        assert modal.query_one("#path").value == "picture.png"
        assert app.screen.focused.id == "path"
        await pilot.press("tab")  # nothing more to complete: next field
        assert app.screen.focused.id == "send-as"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [AttachRequest(picture.resolve(), as_image=True)]

    async with opened(lambda: AttachModal(path=str(big.with_name("doc.txt")))) as (app, pilot, modal):
        big.with_name("doc.txt").write_text("hi")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [AttachRequest(big.with_name("doc.txt").resolve(), as_image=False)]


async def test_every_modal_focuses_its_first_field_and_escape_returns_none() -> None:
    from modal_host import MODALS

    first_field = {
        "confirm": "submit",
        "start_chat": "customer-search",
        "transfer": "kind",
        "user_add": "targets",
        "access_grant": "targets",
        "tag_add": "tag",
        "tag_remove": "tags",
        "property_set": "namespace",
        "property_delete": "names",
        "customer_edit": "name",
        "ban": "days",
        "multicast": "all-agents",
        "attach": "path",
        "customers_browser": "name-value",
        "archives_browser": "query",
    }
    assert set(first_field) == set(MODALS)
    async with opened(MODALS["confirm"]) as (app, pilot, _modal):
        await pilot.press("escape")
        for name, factory in MODALS.items():
            results: list = []
            modal = factory()
            app.push_screen(modal, results.append)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.screen is modal and app.screen.focused is not None, name
            assert app.screen.focused.id == first_field[name], name
            await pilot.press("escape")
            await pilot.pause()
            assert results == [None], name
            assert app.screen is not modal


async def test_submit_right_after_push_waits_for_the_modal_to_mount() -> None:
    """ctrl+s is a priority binding: pressed before on_mount ran it must still see the list."""
    async with opened(MODALS_CONFIRM) as (app, pilot, _modal):
        await pilot.press("escape")
        results: list = []
        modal = UserModal("add", AGENTS, [AGENTS[0]])
        app.push_screen(modal, results.append)
        assert not modal.is_mounted
        modal.action_submit()  # what the priority binding does when the key comes early
        await pilot.pause()
        await pilot.pause()
    assert results == [UserChange("add", "agent2@example.com", "agent")]


def MODALS_CONFIRM() -> ConfirmModal:  # noqa: N802  (named like the constant it replaces)
    return ConfirmModal("t", "b")

"""Pilot tests: each agent action performed with keys, checked through the API (or the engine)."""

from __future__ import annotations

import uuid

from app_harness import (  # noqa: F401  (server is a fixture)
    ADMIN,
    AGENT2,
    Customer,
    agent_call,
    chat_of,
    console,
    events_of,
    idle,
    new_customer,
    open_chat,
    server,
    server_wait,
    type_text,
    wait_for,
)

from lcconsole.ui.controllers.screen_view import current_tags, last_event

PNG = bytes.fromhex(  # a 1x1 transparent PNG
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def last_thread(server, chat_id):
    return chat_of(server, chat_id)["threads"][-1]


async def test_close_thread_asks_first(server, tmp_path):
    customer = new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await pilot.press("x")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmModal", what="confirmation")
        await pilot.press("n")  # cancelled: nothing happens
        await idle(pilot, screen)
        assert last_thread(server, customer.chat_id)["active"] is True
        await pilot.press("x")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmModal", what="confirmation")
        await pilot.press("y")
        await idle(pilot, screen)
        await wait_for(
            pilot,
            lambda: screen.store.chats[customer.chat_id].last_thread_summary.active is False,
            what="closed in the store",
        )
    assert last_thread(server, customer.chat_id)["active"] is False


async def test_follow_unfollow_and_tags(server, tmp_path):
    customer = new_customer(server)
    if any(u["id"] == ADMIN for u in chat_of(server, customer.chat_id)["users"]):
        agent_call(
            server, "remove_user_from_chat", {"chat_id": customer.chat_id, "user_id": ADMIN, "user_type": "agent"}
        )
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await pilot.press("f")
        await idle(pilot, screen)
        assert chat_of(server, customer.chat_id)["is_followed"] is True
        await pilot.press("F")
        await idle(pilot, screen)
        assert chat_of(server, customer.chat_id)["is_followed"] is False
        await pilot.press("l")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TagModal")
        await type_text(pilot, "vip")
        await pilot.press("ctrl+s")
        await idle(pilot, screen)
        assert last_thread(server, customer.chat_id)["tags"] == ["vip"]
        await wait_for(
            pilot, lambda: current_tags(screen.store, screen.current_chat_id) == ["vip"], what="tag in the store"
        )
        await pilot.press("L")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TagModal")
        await pilot.press("ctrl+s")
        await idle(pilot, screen)
    assert last_thread(server, customer.chat_id)["tags"] == []


async def test_transfer_to_another_agent(server, tmp_path):
    other = new_customer(server)
    agent_call(server, "add_user_to_chat", {"chat_id": other.chat_id, "user_id": AGENT2, "user_type": "agent"})
    customer = new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await pilot.press("t")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TransferModal")
        app.screen.query_one("#force").focus()
        await pilot.press("space", "ctrl+s")  # agent2 is offline: only a forced transfer works
        await idle(pilot, screen)
    users = {u["id"] for u in chat_of(server, customer.chat_id)["users"]}
    assert AGENT2 in users


async def test_properties_update_and_delete(server, tmp_path):
    customer = new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await pilot.press("p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PropertyModal")
        await type_text(pilot, "shop")
        await pilot.press("tab")
        await type_text(pilot, "plan")
        modal = app.screen
        modal.query_one("#value").focus()
        await type_text(pilot, "gold")
        await pilot.press("ctrl+s")
        await idle(pilot, screen)
        props = chat_of(server, customer.chat_id).get("properties") or {}
        assert props["shop"]["plan"]["value"] == "gold"
        await wait_for(
            pilot,
            lambda: (
                screen.store.chats[customer.chat_id].properties
                and screen.store.chats[customer.chat_id].properties.get("shop", "plan") == "gold"
            ),
        )
        await pilot.press("P")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PropertyModal")
        await pilot.press("ctrl+s")
        await idle(pilot, screen)
    props = chat_of(server, customer.chat_id).get("properties") or {}
    assert "plan" not in props.get("shop", {})


async def test_customer_update_and_ban(server, tmp_path):
    customer = new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await pilot.press("c")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CustomerModal")
        name_input = app.screen.query_one("#name")
        name_input.focus()
        name_input.value = ""
        await type_text(pilot, "Renamed")
        await pilot.press("ctrl+s")
        await idle(pilot, screen)
        found = agent_call(server, "get_customers", {"filters": {"customer_id": {"values": [customer.id]}}})
        assert found["customers"][0]["name"] == "Renamed"
        await wait_for(pilot, lambda: screen.store.customer_of(customer.chat_id).name == "Renamed")
        await pilot.press("b")  # no longer a ban key
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"
        await pilot.press("alt+shift+b")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BanModal")
        assert "Renamed" in app.screen.dialog_title()  # names the customer
        await pilot.press("enter")  # the days field starts empty: a bare Enter bans nobody
        assert type(app.screen).__name__ == "BanModal" and app.screen.error_text
        await pilot.press("2", "ctrl+s")
        await idle(pilot, screen)
    # a banned customer cannot start another chat
    resp = customer.http.post(
        "/v3.0/customer/action/start_chat", json={"chat": {}}, headers={"Authorization": f"Bearer {customer.token}"}
    )
    assert resp.status_code >= 400


async def test_routing_toggle_and_multicast(server, tmp_path):
    engine = server.app.state.hub.engine

    def routing():
        return server.call(
            lambda: engine.conn.execute("SELECT routing_status FROM agents WHERE id=?", (ADMIN,)).fetchone()[0]
        )

    async with console(server, tmp_path) as (app, pilot, screen):
        assert routing() == "accepting_chats"
        await pilot.press("R")  # no longer the routing key
        await pilot.press("alt+a")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmModal")
        await pilot.press("n")  # asked first: cancelled, nothing changed
        await idle(pilot, screen)
        assert routing() == "accepting_chats"
        await pilot.press("alt+a", "y")
        await idle(pilot, screen)
        assert routing() == "not_accepting_chats"
        await wait_for(pilot, lambda: "not accepting" in str(screen.query_one("#status").render()))
        await pilot.press("alt+a", "y")
        await idle(pilot, screen)
        assert routing() == "accepting_chats"
        await pilot.press("M")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MulticastModal")
        app.screen.query_one("#all-agents").value = True
        content = app.screen.query_one("#content")
        content.load_text('{"hello": "agents"}')
        await pilot.press("ctrl+s")
        # the multicast comes back to us as a push and is shown as a notification
        await wait_for(
            pilot,
            lambda: any("multicast" in (n.title or "") for n in app._notifications),
            what="multicast notification",
        )


async def test_start_chat_and_postback(server, tmp_path):
    customer = Customer(server.info.base_url, "S" + uuid.uuid4().hex[:5])
    async with console(server, tmp_path) as (app, pilot, screen):
        await pilot.press("escape", "f4", "S")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StartChatModal")
        await type_text(pilot, customer.name)
        modal = app.screen
        await wait_for(pilot, lambda: modal.customers, what="customer search")
        modal.query_one("#message").focus()
        await type_text(pilot, "Hi")
        await pilot.press("ctrl+s")
        await idle(pilot, screen)
        chats = agent_call(server, "get_chats_summary", {"limit": 100})["chats_summary"]
        mine = [c for c in chats if any(u["id"] == customer.id for u in c["users"])]
        assert len(mine) == 1
        chat_id = mine[0]["id"]
        await wait_for(pilot, lambda: screen.current_chat_id == chat_id, what="new chat opened")
        rich = {
            "type": "rich_message",
            "template_id": "quick_replies",
            "recipients": "all",
            "elements": [{"title": "Pick", "buttons": [{"text": "Yes", "postback_id": "yes", "user_ids": []}]}],
        }
        agent_call(server, "send_event", {"chat_id": chat_id, "event": rich})
        await wait_for(pilot, lambda: last_event(screen.store, chat_id, "rich_message"), what="rich message")
        await pilot.press("escape", "f4", "alt+p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmModal")
        assert "Yes" in str(app.screen._body) and customer.name in str(app.screen._body)
        await pilot.press("y")
        await idle(pilot, screen)

        def pressed():
            ev = [e for e in events_of(server, chat_id) if e["type"] == "rich_message"][-1]
            return ADMIN in ev["elements"][0]["buttons"][0].get("user_ids", [])

        server_wait(pressed, what="postback recorded")
        # the transcript's own keys: select the button, press it again -> toggled off
        from lcconsole.ui.widgets.transcript import Transcript

        await wait_for(
            pilot,
            lambda: any(b[2] for e in screen.query_one(Transcript).entries for b in e.buttons),
            what="pressed state shown",
        )
        screen.query_one(Transcript).focus()
        await pilot.press("right", "enter")
        await idle(pilot, screen)
        server_wait(lambda: not pressed(), what="postback toggled off")


async def test_attach_a_file(server, tmp_path, monkeypatch):
    customer = new_customer(server)
    path = tmp_path / "notes.txt"
    path.write_text("attached content")
    monkeypatch.chdir(tmp_path)  # the modal resolves relative paths against the cwd
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AttachModal")
        await type_text(pilot, path.name)
        await pilot.press("ctrl+s")
        await idle(pilot, screen)
        await wait_for(pilot, lambda: not screen.outbox.entries, what="outbox empty")
        image = tmp_path / "pic.png"  # an image goes through upload_image + a file event
        image.write_bytes(PNG)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AttachModal")
        await type_text(pilot, image.name)
        await pilot.press("ctrl+s")
        await idle(pilot, screen)
        await wait_for(pilot, lambda: not screen.outbox.entries, what="outbox empty")
    files = [e for e in events_of(server, customer.chat_id) if e["type"] == "file"]
    assert [f["name"] for f in files] == ["notes.txt", "pic.png"]
    assert files[1]["content_type"] == "image/png" and files[1]["url"].startswith("http://127.0.0.1")


async def test_activate_older_threads_and_last_seen(server, tmp_path):
    customer = new_customer(server, "first thread")
    agent_call(server, "close_thread", {"chat_id": customer.chat_id})
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await pilot.press("o")  # activate_chat: a new thread
        await idle(pilot, screen)
        threads = chat_of(server, customer.chat_id)["threads"]
        assert len(threads) == 2 and threads[-1]["active"] is True
        await wait_for(pilot, lambda: screen.store.current_thread(customer.chat_id).id == threads[-1]["id"])
        await pilot.press("f4", "O")  # older thread on demand
        await idle(pilot, screen)
        await wait_for(pilot, lambda: len(screen.store.loaded_threads(customer.chat_id)) == 2)
        from lcconsole.ui.widgets.transcript import Transcript

        shown = [e.text for e in screen.query_one(Transcript).entries]
        assert "first thread" in shown and shown.index("first thread") < len(shown) - 1
        engine = server.app.state.hub.engine

        def seen():
            row = server.call(
                lambda: engine.conn.execute(
                    "SELECT last_seen FROM chat_users WHERE chat_id=? AND user_id=?", (customer.chat_id, ADMIN)
                ).fetchone()
            )
            return row is not None and (row[0] or 0) >= threads[-1]["timestamp"]

        await wait_for(pilot, seen, what="viewing updated last seen")


async def test_users_access_and_new_customer(server, tmp_path):
    other = new_customer(server)
    agent_call(server, "add_user_to_chat", {"chat_id": other.chat_id, "user_id": AGENT2, "user_type": "agent"})
    customer = new_customer(server)
    async with console(server, tmp_path) as (app, pilot, screen):
        await open_chat(pilot, screen, customer.name, customer.chat_id)
        await wait_for(pilot, lambda: AGENT2 in screen.store.agents, what="agent2 known")
        await pilot.press("u")  # add agent2
        await wait_for(pilot, lambda: type(app.screen).__name__ == "UserModal")
        app.screen.query_one("#targets").focus()
        await pilot.press(*["down"] * app.screen._values.index(AGENT2), "ctrl+s")
        await idle(pilot, screen)
        assert AGENT2 in {u["id"] for u in chat_of(server, customer.chat_id)["users"]}
        await pilot.press("alt+g")  # grant access to a group typed by id
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AccessModal")
        app.screen.query_one("#group-id").focus()
        await type_text(pilot, "7")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmModal")
        assert customer.name in str(app.screen._body)  # asks, naming the customer
        await pilot.press("y")
        await idle(pilot, screen)
        assert 7 in (chat_of(server, customer.chat_id).get("access") or {}).get("group_ids", [])
        await pilot.press("K")  # create a customer
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CustomerModal")
        await type_text(pilot, "Newbie")
        await pilot.press("ctrl+s")
        await idle(pilot, screen)
    found = agent_call(server, "get_customers", {"filters": {"name": {"values": ["Newbie"]}}})
    assert [c["name"] for c in found["customers"]] == ["Newbie"]


async def test_archives_and_customers_browsers_open_chats(server, tmp_path):
    customer = new_customer(server, "archived words")
    agent_call(server, "close_thread", {"chat_id": customer.chat_id})
    async with console(server, tmp_path) as (app, pilot, screen):
        await pilot.press("escape", "f4", "A")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ArchivesBrowser")
        browser = app.screen
        await wait_for(pilot, lambda: browser.query_one("#results").row_count > 0, what="archives listed")
        rows = [browser.query_one("#results").get_row_at(i) for i in range(browser.query_one("#results").row_count)]
        index = next(i for i, row in enumerate(rows) if customer.name in " ".join(map(str, row)))
        browser.query_one("#results").focus()
        browser.query_one("#results").move_cursor(row=index)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.current_chat_id == customer.chat_id, what="archived chat opened")
        other = new_customer(server, "hello")
        await wait_for(pilot, lambda: other.chat_id in screen.store.chats)
        await pilot.press("escape", "f4", "C")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CustomersBrowser")
        browser = app.screen
        table = browser.query_one("#results")
        await wait_for(pilot, lambda: table.row_count > 0, what="customers listed")
        ids = [getattr(c, "id", None) for c in getattr(browser, "rows", [])] if hasattr(browser, "rows") else []
        index = (
            ids.index(other.id)
            if other.id in ids
            else next(i for i in range(table.row_count) if other.name in " ".join(map(str, table.get_row_at(i))))
        )
        table.focus()
        table.move_cursor(row=index)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.current_chat_id == other.chat_id, what="customer's chat opened")

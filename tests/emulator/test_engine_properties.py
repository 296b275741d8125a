"""Engine: chat/thread/event properties (plain in, {"value"} out), deletes, tags."""

from __future__ import annotations

import pytest
from _engine_util import World, pushes

from lcconsole.emulator.contract import ErrorReply


@pytest.fixture
def w() -> World:
    return World()


def test_chat_properties_in_out_and_pushes_only_changed(w):
    chat = w.start(properties={"rating": {"score": 1}})
    out = w.run(
        w.admin, "update_chat_properties", {"chat_id": chat["id"], "properties": {"rating": {"comment": "Very good"}}}
    )
    (push,) = pushes(out, "chat_properties_updated")
    assert push.payload == {"chat_id": chat["id"], "properties": {"rating": {"comment": {"value": "Very good"}}}}
    got = w.run(w.admin, "get_chat_threads", {"chat_id": chat["id"]}).payload["chat"]
    assert got["properties"]["rating"] == {"score": {"value": 1}, "comment": {"value": "Very good"}}
    out = w.run(
        w.admin, "delete_chat_properties", {"chat_id": chat["id"], "properties": {"rating": ["score", "missing"]}}
    )
    assert pushes(out, "chat_properties_deleted")[0].payload["properties"] == {"rating": ["score"]}
    got = w.run(w.admin, "get_chat_threads", {"chat_id": chat["id"]}).payload["chat"]
    assert got["properties"]["rating"] == {"comment": {"value": "Very good"}}
    assert not w.run(w.admin, "delete_chat_properties", {"chat_id": chat["id"], "properties": {"nope": ["x"]}}).pushes


def test_thread_and_event_properties(w):
    chat = w.start()
    tid = chat["thread"]["id"]
    eid = chat["thread"]["events"][0]["id"]
    w.run(
        w.admin,
        "update_chat_thread_properties",
        {"chat_id": chat["id"], "thread_id": tid, "properties": {"ns": {"flag": True}}},
    )
    out = w.run(
        w.admin,
        "update_event_properties",
        {"chat_id": chat["id"], "thread_id": tid, "event_id": eid, "properties": {"ns": {"n": 5}}},
    )
    assert pushes(out, "event_properties_updated")[0].payload == {
        "chat_id": chat["id"],
        "thread_id": tid,
        "event_id": eid,
        "properties": {"ns": {"n": {"value": 5}}},
    }
    got = w.run(w.admin, "get_chat_threads", {"chat_id": chat["id"]}).payload["chat"]
    thread = got["threads"][0]
    assert thread["properties"] == {"ns": {"flag": {"value": True}}}
    assert thread["events"][0]["properties"] == {"ns": {"n": {"value": 5}}}
    w.run(
        w.admin,
        "delete_event_properties",
        {"chat_id": chat["id"], "thread_id": tid, "event_id": eid, "properties": {"ns": ["n"]}},
    )
    out = w.run(
        w.admin,
        "delete_chat_thread_properties",
        {"chat_id": chat["id"], "thread_id": tid, "properties": {"ns": ["flag"]}},
    )
    assert pushes(out, "chat_thread_properties_deleted")
    got = w.run(w.admin, "get_chat_threads", {"chat_id": chat["id"]}).payload["chat"]
    assert got["threads"][0]["properties"] == {}
    assert "properties" not in got["threads"][0]["events"][0]
    with pytest.raises(ErrorReply) as err:
        w.run(
            w.admin,
            "update_event_properties",
            {"chat_id": chat["id"], "thread_id": tid, "event_id": "nope", "properties": {}},
        )
    assert err.value.type == "not_found"
    with pytest.raises(ErrorReply) as err:
        w.run(w.admin, "update_chat_thread_properties", {"chat_id": chat["id"], "thread_id": "NOPE", "properties": {}})
    assert err.value.type == "not_found"


def test_property_values_must_be_plain(w):
    chat = w.start()
    for bad in ([1], {"a": 1}, 1.5, None, 2**40):
        with pytest.raises(ErrorReply) as err:
            w.run(w.admin, "update_chat_properties", {"chat_id": chat["id"], "properties": {"ns": {"x": bad}}})
        assert err.value.type == "validation" and "properties.ns.x" in err.value.message
    with pytest.raises(ErrorReply):
        w.run(w.admin, "delete_chat_properties", {"chat_id": chat["id"], "properties": {"ns": "x"}})


def test_tags(w):
    chat = w.start()
    tid = chat["thread"]["id"]
    args = {"chat_id": chat["id"], "thread_id": tid}
    out = w.run(w.admin, "tag_chat_thread", {**args, "tag": "bug_report"})
    assert pushes(out, "chat_thread_tagged")[0].payload == {**args, "tag": "bug_report"}
    assert not w.run(w.admin, "tag_chat_thread", {**args, "tag": "bug_report"}).pushes
    w.run(w.admin, "tag_chat_thread", {**args, "tag": "a"})
    got = w.run(w.admin, "get_chat_threads", {"chat_id": chat["id"]}).payload["chat"]
    assert got["threads"][0]["tags"] == ["a", "bug_report"]
    out = w.run(w.admin, "untag_chat_thread", {**args, "tag": "a"})
    assert pushes(out, "chat_thread_untagged")
    with pytest.raises(ErrorReply):
        w.run(w.admin, "tag_chat_thread", {**args, "tag": ""})

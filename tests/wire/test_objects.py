"""wire.objects: tolerant models, unions with fallbacks, properties helpers, both archive shapes."""

from __future__ import annotations

from lcconsole.wire import objects as o

FULL_THREAD = {
    "id": "K600PKZON8",
    "timestamp": 1473433500,
    "order": 112057129,
    "active": True,
    "user_ids": ["b7eff798", "agent1@example.com"],
    "tags": ["bug_report"],
    "properties": {"routing": {"idle": {"value": False}}, "rating": {"score": {"value": 1}}},
    "access": {"group_ids": [0]},
    "events": [
        {
            "id": "E1",
            "order": 1,
            "type": "message",
            "author_id": "b7eff798",
            "timestamp": 1473433500,
            "text": "hi",
            "recipients": "all",
            "postback": {"id": "p", "thread_id": "T", "event_id": "E", "type": "message", "value": "yes"},
        },
        {
            "id": "E2",
            "order": 2,
            "type": "system_message",
            "text": "%agent% joined",
            "system_message_type": "agent_joined",
            "text_vars": {"agent": "Jane"},
        },
        {
            "id": "E3",
            "order": 3,
            "type": "file",
            "name": "a.png",
            "url": "u",
            "content_type": "image/png",
            "size": 10,
            "width": 64,
            "height": 32,
            "thumbnail_url": "t",
            "thumbnail2x_url": "t2",
        },
        {
            "id": "E4",
            "order": 4,
            "type": "rich_message",
            "template_id": "cards",
            "elements": [
                {
                    "title": "Pick",
                    "image": {"url": "i"},
                    "buttons": [
                        {"text": "Yes", "postback_id": "yes", "user_ids": ["b7eff798"], "webview_height": "tall"}
                    ],
                }
            ],
        },
        {
            "id": "E5",
            "order": 5,
            "type": "filled_form",
            "form_id": "F",
            "fields": [
                {"type": "name", "id": "1", "label": "Name", "answer": "Ann"},
                {"type": "checkbox", "id": "2", "label": "Pick", "answers": [{"id": "a", "label": "A"}]},
            ],
        },
        {"id": "E6", "order": 6, "type": "custom", "content": {"any": ["json"]}},
        {"id": "E7", "order": 7, "type": "annotation", "text": "rated", "annotation_type": "rating"},
        {"id": "E8", "order": 8, "type": "form", "fields": []},
        {"restricted_access": True},
    ],
}


def test_thread_with_every_event_type():
    thread = o.Thread.model_validate(FULL_THREAD)
    kinds = [type(e) for e in thread.events]
    assert kinds == [
        o.Message,
        o.SystemMessage,
        o.File,
        o.RichMessage,
        o.FilledForm,
        o.Custom,
        o.Annotation,
        o.Form,
        o.RestrictedEvent,
    ]  # `form`: canonical since v3.3
    msg, sysmsg, file, rich, form, custom, ann, empty_form, restricted = thread.events
    assert msg.postback.value == "yes" and sysmsg.text_vars == {"agent": "Jane"}
    assert (file.width, file.thumbnail2x_url) == (64, "t2")
    assert rich.elements[0].buttons[0].user_ids == ["b7eff798"]
    assert form.fields[1].answers == [{"id": "a", "label": "A"}]
    assert custom.content == {"any": ["json"]} and ann.annotation_type == "rating"
    assert empty_form.type == "form" and empty_form.fields == []
    assert restricted.restricted_access is True
    assert thread.properties.get("rating", "score") == 1
    assert thread.properties.get("routing", "missing", "dflt") == "dflt"
    assert thread.model_dump(exclude_unset=True) == FULL_THREAD
    again = o.Thread.model_validate_json(thread.model_dump_json(exclude_unset=True))  # each model's class: its tag
    assert [type(e) for e in again.events] == kinds and again == thread


def test_users_union_priv_fields_and_unknown_fields():
    chat = o.Chat.model_validate(
        {
            "id": "C",
            "users": [
                {"id": "agent1@example.com", "type": "agent", "routing_status": "accepting_chats", "new_field": 1},
                {
                    "id": "b7eff798",
                    "type": "customer",
                    "__priv_lc2_customer_id": "S1",
                    "banned": False,
                    "last_visit": {
                        "started_at": "2017-10-12T15:19:21.010200Z",
                        "geolocation": {"country": "PL"},
                        "last_pages": [{"opened_at": "x", "url": "https://a", "title": "A"}],
                    },
                    "statistics": {"chats_count": 3},
                    "fields": {"k": "v"},
                    "created_at": "2017",
                },
                {"id": "bot", "type": "bot"},
            ],
        }
    )
    agent, customer, other = chat.users
    assert isinstance(agent, o.Agent) and agent.model_extra == {"new_field": 1}
    assert isinstance(customer, o.Customer) and isinstance(other, o.UnknownUser)
    assert "__priv_lc2_customer_id" not in customer.model_dump()
    assert customer.last_visit.last_pages[0].title == "A" and customer.statistics.chats_count == 3


def test_chat_summary_last_event_per_type_and_login():
    login = o.LoginResponse.model_validate(
        {
            "license": {"id": 104130623, "plan": "enterprise", "in_trial": False},
            "my_profile": {"id": "a@b.c", "type": "agent", "permission": "administrator"},
            "chats_summary": [
                {
                    "id": "C",
                    "order": 1575892853242000,
                    "is_followed": False,
                    "last_thread_summary": {"id": "T", "order": 3, "timestamp": 1, "tags": []},
                    "last_event_per_type": {
                        "message": {"thread_id": "T", "thread_order": 3, "event": {"type": "message", "text": "x"}},
                        "file": {"thread_id": "T", "thread_order": 2, "event": {"restricted_access": True}},
                    },
                }
            ],
        }
    )
    summary = login.chats_summary[0]
    assert isinstance(summary.last_event_per_type["message"].event, o.Message)
    assert isinstance(summary.last_event_per_type["file"].event, o.RestrictedEvent)
    assert login.my_profile.permission == "administrator" and summary.order == 1575892853242000


def test_archives_accept_both_shapes():
    v30 = o.GetArchivesResponse.model_validate(
        {
            "chats": [{"chat": {"id": "A", "thread": {"id": "T1"}}}, {"chat": {"id": "A", "thread": {"id": "T2"}}}],
            "pagination": {"page": 1, "total": 2},
        }
    )
    v31 = o.GetArchivesResponse.model_validate(
        {"chats": [{"id": "A", "thread": {"id": "T1"}, "is_followed": False}], "found_chats": 1, "next_page_id": "N"}
    )
    assert [c.thread.id for c in v30.chats] == ["T1", "T2"] and v30.pagination.total == 2
    assert v31.chats[0].thread.id == "T1" and v31.next_page_id == "N"


def test_properties_helpers():
    props = o.Properties.model_validate({"routing": {"pinned": {"value": True}}, "a": {"b": {"value": 1}}})
    merged = props.merged({"routing": {"pinned": False, "idle": {"value": True}}})
    assert merged.plain() == {"routing": {"pinned": False, "idle": True}, "a": {"b": 1}}
    assert props.plain()["routing"]["pinned"] is True  # original untouched
    assert merged.without({"a": ["b"], "routing": ["idle"]}).plain() == {"routing": {"pinned": False}}
    assert "routing" in props and len(props) == 2 and list(props) == ["routing", "a"]
    assert not o.Properties() and o.Properties().get("x", "y") is None


def test_response_models_cover_every_action():
    from lcconsole.wire.actions import ACTIONS

    assert set(o.RESPONSE_MODELS) == set(ACTIONS)
    for name, spec in ACTIONS.items():
        assert (o.RESPONSE_MODELS[name] is not None) == spec.returns_payload, name
    assert o.RESPONSE_MODELS["create_customer"] is o.Customer is o.RESPONSE_MODELS["update_customer"]


def test_parse_helpers():
    assert isinstance(o.parse_event({"type": "file", "url": "u"}), o.File)
    assert isinstance(o.parse_event({}), o.UnknownEvent)
    assert isinstance(o.parse_user({"type": "customer"}), o.Customer)

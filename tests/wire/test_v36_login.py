"""`wire.v36.canonical.read_login`: the server's raw v3.6 login read straight into the canonical model
gives what the v3.6 model + conversion gave, and refuses exactly what the v3.6 model refuses."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from lcconsole.wire import events as e
from lcconsole.wire import objects as o
from lcconsole.wire.v36 import canonical as cv
from lcconsole.wire.v36 import canonical_json as cj
from lcconsole.wire.v36 import login_check as lc
from lcconsole.wire.v36 import responses as r
from lcconsole.wire.validation import first_problem

DOCS_LOGIN = json.loads((Path(__file__).parents[1] / "api" / "samples_v36.json").read_text())["rtm"]["login"][
    "response"
]["payload"]

T = "2026-12-04T23:35:22.635084Z"
CUSTOMER = {
    "id": "e7a46309-973f-4986-a6b1-cffc070d7109",
    "type": "customer",
    "name": "Ava Fischer",
    "email": "ava@mail.example",
    "present": True,
    "events_seen_up_to": T,
    "visit": {"started_at": T, "ip": "203.0.113.34", "geolocation": {"country": "UK"}, "last_pages": []},
    "session_fields": [{"plan": "pro"}, {"account_id": "40024"}],
    "statistics": {"chats_count": 1},
    "group_ids": [0],
    "email_verified": True,
    "phone_number": "+44 20",
    "followed": False,
    "online": True,
    "state": "chatting",
    "chat_ids": ["1O6S3BJQZA"],
    "tickets": [{"id": "T"}],
    "carts": [{"id": "K"}],
    "omnichannel": {"channel": "web"},
    "address": {"city": "London"},
    "__priv_lc2": "dropped",
}
LOGIN = {
    "license": {"id": "100000001", "organization_id": "390e44e6", "plan": "enterprise", "in_trial": False},
    "my_profile": {"id": "agent1@example.com", "type": "agent", "name": "Alex", "events_seen_up_to": T},
    "chats_summary": [
        {
            "id": "1O6S3BJQZA",
            "users": [CUSTOMER, {"id": "agent1@example.com", "type": "agent", "visibility": "all"}],
            "last_event_per_type": {
                "message": {
                    "thread_id": "P10OOLH31U",
                    "thread_created_at": T,
                    "event": {
                        "id": "E1",
                        "created_at": T,
                        "type": "message",
                        "text": "hi",
                        "visibility": "all",
                        "deleted": False,
                        "postback": {"id": "p", "toggled": True, "ecommerce": {"product_id": "P", "quantity": 2}},
                    },
                },
                "filled_form": {"event": {"type": "filled_form", "form_type": "prechat", "fields": []}},
                "file": {"event": {"type": "file", "url": "https://f.example/a.png", "alternative_text": "a"}},
            },
            "last_thread_summary": {
                "id": "P10OOLH31U",
                "created_at": T,
                "user_ids": ["a"],
                "tags": ["x"],
                "queue": {"position": 1, "wait_time": 5, "queued_at": T},
            },
            "properties": {"routing": {"idle": False}},
            "access": {"group_ids": [0]},
            "is_followed": True,
        }
    ],
}
WRONG = [None, 0, 5, 1.5, True, False, "", "x", "2020-13-45T99:00:00Z", [], [1], {}, {"a": 1}]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if path:
        yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield from _paths(item, (*path, key))


def _with(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    at: Any = out
    for key in path[:-1]:
        at = at[key]
    at[path[-1]] = value
    return out


def _verdict(read: Any, data: Any) -> tuple[str, str] | dict[str, Any]:
    """What `read` makes of `data` (canonical, dumped), or its first (field, problem)."""
    try:
        return _pruned(read(data).model_dump())
    except ValidationError as exc:
        return first_problem(exc)


def _pruned(value: Any) -> Any:
    """`value` without null fields (the v3.6 model drops a v3.6-only field given as null, the
    canonical one keeps it as a null extra: the same login)."""
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v is not None}
    return [_pruned(v) for v in value] if isinstance(value, list) else value


def _old_read(data: Any) -> o.LoginResponse:
    """How the console read the login before: the v3.6 model, then converted."""
    return cv.login(r.LoginResponse.model_validate(data))


@pytest.mark.parametrize("payload", [LOGIN, DOCS_LOGIN], ids=["full", "docs"])
def test_read_login_gives_what_the_v36_model_and_its_conversion_gave(payload, monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError("the v3.6 model was used")

    want = _old_read(payload).model_dump()
    monkeypatch.setattr(r.LoginResponse, "model_validate", refused)
    login = cv.read_login(payload)  # (the fast way: no v3.6 model)
    assert type(login) is o.LoginResponse and login.model_dump() == want


CONVERTED = {"events_seen_up_to", "created_at", "thread_created_at", "visibility", "session_fields", "visit"}
"""v3.6-only fields the conversion turns into canonical ones (the canonical model checks those)."""
EVENTS = [*r.EVENT_MODELS.values(), r.DeletedEvent, r.RestrictedEvent, r.UnknownEvent]
LOGIN_OBJECTS = [  # (v3.6 model, its canonical model, what `login_check` checks of what only v3.6 has)
    (r.LoginResponse, o.LoginResponse, {}),
    (r.License, o.License, {}),
    (r.MyProfile, o.MyProfile, {}),
    (r.ChatSummary, o.ChatSummary, {}),
    *((user, getattr(o, user.__name__), lc.USER) for user in (r.Agent, r.Customer, r.UnknownUser)),
    (r.Visit, o.LastVisit, {}),
    (r.LastEvent, o.LastEvent, {}),
    (r.LastThreadSummary, o.LastThreadSummary, lc.THREAD_SUMMARY),
    (r.Queue, None, lc.QUEUE),
    *((event, getattr(e, event.__name__), lc.EVENT) for event in EVENTS),
    (r.Postback, e.Postback, lc.POSTBACK),
    (r.Ecommerce, None, lc.ECOMMERCE),
]


@pytest.mark.parametrize(("v36", "canonical", "checked"), LOGIN_OBJECTS, ids=[m.__name__ for m, *_ in LOGIN_OBJECTS])
def test_login_check_has_every_v36_field_the_canonical_model_does_not(v36, canonical, checked):
    own = {
        n: f
        for n, f in v36.model_fields.items()
        if n not in CONVERTED and n not in getattr(canonical, "model_fields", {})
    }
    for name, field in own.items():
        assert name in checked, f"{v36.__name__}.{name} is checked nowhere"
        if isinstance(checked[name], dict):  # a nested object (or null): its fields are a row above
            assert field.annotation == next(m for m, _, c in LOGIN_OBJECTS if c is checked[name]) | None, name
        else:
            assert checked[name] == field.annotation, name


def test_read_login_converts_the_v36_shapes():
    login = cv.read_login(LOGIN)
    summary = login.chats_summary[0]
    assert login.license.organization_id == "390e44e6" and login.my_profile.type == "agent"
    assert login.my_profile.last_seen_timestamp == cj.seconds_of(T)
    assert summary.customer.fields == {"plan": "pro", "account_id": "40024"} and summary.customer.last_visit.ip
    assert summary.last_event_per_type["message"].event.recipients == "all"
    assert summary.last_event_per_type["message"].thread_order == cj.order_of(T)
    assert summary.order == cj.order_of(T) and summary.last_thread_summary.tags == ["x"]
    assert DOCS_LOGIN["my_profile"] == {} and cv.read_login(DOCS_LOGIN).my_profile is None


def test_read_login_refuses_exactly_what_the_v36_model_refuses_with_its_error():
    """Every value of the two answers made wrong in turn: the same error (or the same login)."""
    checked = refused = 0
    for payload in (LOGIN, DOCS_LOGIN):
        for path in _paths(payload):
            for value in WRONG:
                bad = _with(payload, path, value)
                want = _verdict(_old_read, bad)
                assert _verdict(cv.read_login, bad) == want, (path, value)
                checked, refused = checked + 1, refused + isinstance(want, tuple)
    for bad in ([LOGIN], "x", None, {"chats_summary": {"id": "C"}}):
        want = _verdict(_old_read, bad)
        assert isinstance(want, tuple) and _verdict(cv.read_login, bad) == want
    assert checked > 500 and refused > checked // 3  # the wrong values do go wrong, mostly


@pytest.mark.parametrize("model", [o.ChatSummary, r.ChatSummary], ids=["canonical", "v3.6"])
def test_an_event_type_that_is_no_string_is_a_validation_error_not_a_crash(model):
    with pytest.raises(ValidationError) as info:  # (the discriminator looked `[1]` up in a dict)
        model.model_validate({"last_event_per_type": {"m": {"event": {"type": [1]}}}})
    assert first_problem(info.value)[0] == "last_event_per_type.m.event.unknown.type"

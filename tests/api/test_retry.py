"""Retry rules: idempotent actions retried; creating actions never blindly; send_event custom_id check."""

from __future__ import annotations

import random
from datetime import UTC

import httpx
import pytest

from lcconsole import errors as E
from lcconsole.api import RetryPolicy
from lcconsole.api.retry import classify, parse_retry_after

from .helpers import Recorder, Sleeps, fail, make_client, ok

SUMMARY = {"chats_summary": [], "found_chats": 0}


async def test_idempotent_retried_on_429_honouring_retry_after():
    sleeps = Sleeps()
    rec = Recorder(fail(429, "too_many_requests", **{"Retry-After": "2"}), ok(SUMMARY))
    async with make_client(rec, sleeps=sleeps) as client:
        res = await client.get_chats_summary()
    assert res.found_chats == 0 and rec.calls == 2 and sleeps.delays == [2.0]


async def test_429_without_json_body_is_too_many_requests_with_retry_after():
    rec = Recorder(httpx.Response(429, text="slow down", headers={"Retry-After": "7"}))
    async with make_client(rec, attempts=1) as client:
        with pytest.raises(E.TooManyRequestsError) as info:
            await client.get_customers()
    assert info.value.retry_after == 7.0


async def test_retry_after_longer_than_the_policy_allows_is_raised():
    sleeps = Sleeps()
    rec = Recorder(fail(429, "too_many_requests", **{"Retry-After": "3600"}), ok(SUMMARY))
    async with make_client(rec, sleeps=sleeps) as client:
        with pytest.raises(E.TooManyRequestsError) as info:
            await client.get_chats_summary()
    assert info.value.retry_after == 3600 and rec.calls == 1 and sleeps.delays == []


@pytest.mark.parametrize(
    "failure",
    [
        fail(500, "internal"),
        fail(503, "service_unavailable"),
        httpx.Response(502, text="bad gateway"),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
    ],
)
async def test_idempotent_retried_on_5xx_and_connect_errors_with_backoff(failure):
    sleeps = Sleeps()
    rec = Recorder(failure, failure, ok())
    async with make_client(rec, sleeps=sleeps) as client:
        assert await client.tag_chat_thread(chat_id="C", thread_id="T", tag="x") is None
    assert rec.calls == 3 and sleeps.delays == [0.01, 0.02]
    assert rec.actions() == ["tag_chat_thread"] * 3


async def test_gives_up_after_max_attempts():
    sleeps = Sleeps()
    rec = Recorder(fail(500, "internal"))
    async with make_client(rec, sleeps=sleeps, attempts=4) as client:
        with pytest.raises(E.InternalError):
            await client.get_customers()
    assert rec.calls == 4 and len(sleeps.delays) == 3


@pytest.mark.parametrize(
    "failure",
    [fail(400, "validation"), fail(401, "authentication"), fail(404, "not_found"), fail(429, "limit_reached")],
)
async def test_client_errors_are_not_retried(failure):
    rec = Recorder(failure, ok(SUMMARY))
    async with make_client(rec) as client:
        with pytest.raises(E.ApiError):
            await client.get_chats_summary()
    assert rec.calls == 1


@pytest.mark.parametrize(
    "failure",
    [fail(500, "internal"), fail(429, "too_many_requests"), httpx.ConnectError("refused"), httpx.ReadTimeout("slow")],
)
@pytest.mark.parametrize(
    "action,kwargs",
    [
        ("start_chat", {}),
        ("transfer_chat", {"chat_id": "C"}),
        ("close_thread", {"chat_id": "C"}),
        ("send_event", {"chat_id": "C", "event": {"type": "message", "text": "no custom id"}}),
        ("send_file", {"chat_id": "C", "file": b"x", "custom_id": "file-1"}),
    ],
)
async def test_non_idempotent_actions_are_never_blindly_resent(failure, action, kwargs):
    sleeps = Sleeps()
    rec = Recorder(failure, ok({"chat": {"id": "C"}, "thread_id": "T", "url": "u"}))
    async with make_client(rec, sleeps=sleeps) as client:
        with pytest.raises(E.LiveChatError):
            await getattr(client, action)(**kwargs)
    assert rec.calls == 1 and sleeps.delays == []


EVENT = {"chat_id": "C", "event": {"type": "message", "text": "hi", "custom_id": "cid-1"}}
LANDED = {"id": "T2_1", "type": "message", "text": "hi", "custom_id": "cid-1", "order": 9}


def _threads_summary(ids):
    return ok(
        {
            "threads_summary": [{"id": i, "order": n, "events_count": 1} for n, i in enumerate(ids)],
            "found_threads": len(ids),
        }
    )


def _threads(events):
    return ok({"chat": {"id": "C", "threads": [{"id": "T2", "events": events}]}})


async def test_send_event_with_custom_id_found_after_ambiguous_failure_is_not_resent():
    rec = Recorder(fail(500, "internal"), _threads_summary(["T2", "T1"]), _threads([LANDED]))
    async with make_client(rec) as client:
        res = await client.send_event(**EVENT)
    assert rec.actions() == ["send_event", "get_chat_threads_summary", "get_chat_threads"]
    assert rec.json(1) == {"chat_id": "C", "order": "desc", "limit": 3}
    assert rec.json(2) == {"chat_id": "C", "thread_ids": ["T2", "T1"]}
    assert res.thread_id == "T2" and res.event.id == "T2_1" and res.event.custom_id == "cid-1"


async def test_send_event_with_custom_id_not_found_is_resent_once():
    sleeps = Sleeps()
    rec = Recorder(
        httpx.ReadTimeout("slow"),
        _threads_summary(["T2"]),
        _threads([{**LANDED, "custom_id": "other"}]),
        ok({"thread_id": "T2", "event": LANDED}),
    )
    async with make_client(rec, sleeps=sleeps) as client:
        res = await client.send_event(**EVENT)
    assert rec.actions() == ["send_event", "get_chat_threads_summary", "get_chat_threads", "send_event"]
    assert rec.json(0) == rec.json(3) == EVENT
    assert res.event.id == "T2_1" and sleeps.delays == [0.01]


async def test_send_event_with_custom_id_resent_without_check_when_surely_unsent():
    rec = Recorder(
        httpx.ConnectError("refused"),
        fail(429, "too_many_requests", **{"Retry-After": "0"}),
        ok({"thread_id": "T", "event": LANDED}),
    )
    async with make_client(rec) as client:
        await client.send_event(**EVENT)
    assert rec.actions() == ["send_event"] * 3


async def test_send_event_check_failure_raises_the_original_error():
    rec = Recorder(fail(503, "service_unavailable"), fail(401, "authentication"), ok())
    async with make_client(rec) as client:
        with pytest.raises(E.ServiceUnavailableError):
            await client.send_event(**EVENT)
    assert rec.actions() == ["send_event", "get_chat_threads_summary"]


async def test_send_event_checks_after_the_last_ambiguous_attempt_too():
    rec = Recorder(
        fail(500, "internal"),
        _threads_summary(["T2"]),
        _threads([]),
        fail(500, "internal"),
        _threads_summary(["T2"]),
        _threads([LANDED]),
    )
    async with make_client(rec, attempts=2) as client:
        res = await client.send_event(**EVENT)
    assert res.event.custom_id == "cid-1" and rec.calls == 6


async def test_raw_call_uses_the_same_rules():
    rec = Recorder(fail(500, "internal"), _threads_summary(["T2"]), _threads([LANDED]))
    async with make_client(rec) as client:
        raw = await client.call("send_event", EVENT)
    assert raw == {"thread_id": "T2", "event": LANDED}


def test_backoff_grows_caps_and_jitters():
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0, jitter=0.0)
    assert [policy.backoff(n) for n in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    jittered = RetryPolicy(base_delay=1.0, max_delay=5.0, jitter=0.5, rng=random.Random(1))
    values = [jittered.backoff(3) for _ in range(50)]
    assert all(2.0 <= v <= 4.0 for v in values) and len(set(values)) > 1
    assert RetryPolicy.never().max_attempts == 1


def test_parse_retry_after_and_classify():
    from datetime import datetime

    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("3") == 3.0 and parse_retry_after("0.5") == 0.5
    assert parse_retry_after("Thu, 01 Jan 2026 00:00:10 GMT", now) == 10.0
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    assert classify(E.ApiValidationError("validation", "x", 400)) is None
    assert classify(E.InternalError("internal", "x", 500)) == "ambiguous"
    assert classify(E.ResponseValidationError("a", "f", "p", 200)) is None


def test_transient_failures_are_the_ones_worth_trying_later():
    transient = [
        E.LiveChatConnectionError("connection", "refused", request_sent=False),
        E.LiveChatTimeoutError("timeout", "read", request_sent=True),
        E.error_for("request_timeout", "slow", 408),
        E.error_for("too_many_requests", "slow down", 429),
        E.error_for("weird", "x", 503),
    ]
    final = [
        E.error_for("validation", "bad", 400),
        E.error_for("authorization", "no", 403),
        E.error_for("not_found", "gone", 404),
    ]
    assert all(E.is_transient(err) for err in transient)
    assert not any(E.is_transient(err) or classify(err) for err in final)
    assert classify(E.error_for("request_timeout", "slow", 408)) is None  # transient, not re-sent now

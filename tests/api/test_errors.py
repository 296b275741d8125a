"""Error mapping: every error type, unknown types, non-JSON bodies, transport failures, secrets."""

from __future__ import annotations

import httpx
import pytest

from lcconsole import errors as E
from lcconsole.api import AgentClient
from lcconsole.wire.actions import ACTIONS
from lcconsole.wire.errors import ERROR_TYPES

from .helpers import TOKEN, Recorder, fail, make_client, ok
from .samples import REQUESTS

EXPECTED = {
    "internal": E.InternalError,
    "validation": E.ApiValidationError,
    "authorization": E.AuthorizationError,
    "authentication": E.AuthenticationError,
    "request_timeout": E.RequestTimeoutError,
    "license_expired": E.LicenseExpiredError,
    "unsupported_version": E.UnsupportedVersionError,
    "misdirected_request": E.MisdirectedRequestError,
    "entity_too_large": E.EntityTooLargeError,
    "wrong_product_version": E.WrongProductVersionError,
    "license_not_found": E.LicenseNotFoundError,
    "requester_offline": E.RequesterOfflineError,
    "requester_already_offline": E.RequesterAlreadyOfflineError,
    "chat_inactive": E.ChatInactiveError,
    "too_many_requests": E.TooManyRequestsError,
    "limit_reached": E.LimitReachedError,
    "customer_banned": E.CustomerBannedError,
    "not_found": E.NotFoundError,
    "already_exists": E.AlreadyExistsError,
    "not_allowed": E.NotAllowedError,
    "missing_access": E.MissingAccessError,
    "agent_offline": E.AgentOfflineError,
    "chat_anonymized": E.ChatAnonymizedError,
    "service_unavailable": E.ServiceUnavailableError,
    "pending_requests_limit_reached": E.PendingRequestsLimitReachedError,
    "requester_awaiting_approval": E.RequesterAwaitingApprovalError,
    "requester_suspended": E.RequesterSuspendedError,
    "seats_limit_exceeded": E.SeatsLimitExceededError,
    "users_limit_reached": E.UsersLimitReachedError,
    "group_not_found": E.GroupNotFoundError,
    "group_offline": E.GroupOfflineError,
    "group_unavailable": E.GroupUnavailableError,
    "groups_offline": E.GroupsOfflineError,
    "greeting_not_found": E.GreetingNotFoundError,
}


def test_registry_has_one_class_per_error_type():
    assert set(EXPECTED) == set(ERROR_TYPES)
    for error_type, cls in EXPECTED.items():
        assert E.ERROR_CLASSES[error_type] is cls
        assert cls.error_type == error_type
        assert issubclass(cls, E.ApiError) and issubclass(cls, E.LiveChatError)
    assert len(set(EXPECTED.values())) == len(EXPECTED)


@pytest.mark.parametrize("error_type", sorted(ERROR_TYPES))
async def test_every_error_type_becomes_its_class(error_type):
    status = ERROR_TYPES[error_type][1]
    rec = Recorder(fail(status, error_type, f"msg for {error_type}", {"region": "fra"}))
    # close_thread is not idempotent: one request, no retry, whatever the status
    async with make_client(rec) as client:
        with pytest.raises(E.LiveChatError) as info:
            await client.close_thread(chat_id="C")
    err = info.value
    assert type(err) is EXPECTED[error_type]
    assert (err.type, err.message, err.status) == (error_type, f"msg for {error_type}", status)
    assert err.data == {"region": "fra"} and err.action == "close_thread"
    assert str(err) == f"{error_type}: msg for {error_type}"
    # misdirected_request: sent once more to the region it names (test_auth); else never retried
    assert rec.calls == (2 if error_type == "misdirected_request" else 1)


async def test_misdirected_request_exposes_region_and_missing_message_gets_default():
    rec = Recorder(httpx.Response(421, json={"error": {"type": "misdirected_request", "data": {"region": "fra"}}}))
    async with make_client(rec) as client:
        with pytest.raises(E.MisdirectedRequestError) as info:
            await client.follow_chat(chat_id="C")
    assert info.value.region == "fra" and info.value.message == "Wrong region"


async def test_unknown_error_type_is_a_generic_api_error():
    rec = Recorder(fail(418, "teapot_overheated", "too hot"))
    async with make_client(rec) as client:
        with pytest.raises(E.ApiError) as info:
            await client.follow_chat(chat_id="C")
    assert type(info.value) is E.ApiError
    assert (info.value.type, info.value.message, info.value.status) == ("teapot_overheated", "too hot", 418)


@pytest.mark.parametrize(
    "status,cls,error_type",
    [
        (502, E.ServiceUnavailableError, "service_unavailable"),
        (500, E.InternalError, "internal"),
        (504, E.RequestTimeoutError, "request_timeout"),
        (401, E.AuthenticationError, "authentication"),
        (404, E.NotFoundError, "not_found"),
        (413, E.EntityTooLargeError, "entity_too_large"),
        (418, E.ApiValidationError, "validation"),
        (599, E.InternalError, "internal"),
        (302, E.ApiError, "unexpected_status"),
    ],
)
async def test_non_json_error_body_is_mapped_by_status(status, cls, error_type):
    rec = Recorder(httpx.Response(status, text="<html><body>Bad\x1b[31m Gateway</body></html>"))
    async with make_client(rec, attempts=1) as client:
        with pytest.raises(E.ApiError) as info:
            await client.get_customers()
    assert type(info.value) is cls and info.value.type == error_type and info.value.status == status
    assert info.value.message.startswith(f"HTTP {status}")
    assert "\x1b" not in info.value.message


async def test_json_body_without_error_envelope_is_mapped_by_status():
    rec = Recorder(httpx.Response(403, json={"detail": "forbidden"}))
    async with make_client(rec) as client:
        with pytest.raises(E.AuthorizationError):
            await client.follow_chat(chat_id="C")


async def test_response_validation_error_names_action_and_field():
    rec = Recorder(ok({"chats_summary": [{"id": "C", "users": [{"type": "agent", "present": "maybe"}]}]}))
    async with make_client(rec) as client:
        with pytest.raises(E.ResponseValidationError) as info:
            await client.get_chats_summary()
    err = info.value
    assert err.action == "get_chats_summary"
    assert err.field == "chats_summary.0.users.0.agent.present"
    assert "get_chats_summary" in str(err) and "chats_summary.0.users.0.agent.present" in str(err)


async def test_missing_required_response_field_and_non_object_body():
    rec = Recorder(ok({"path": "x"}), httpx.Response(200, text="[1, 2]"), httpx.Response(200, text="oops"))
    async with make_client(rec) as client:
        with pytest.raises(E.ResponseValidationError, match="upload_image.*url"):
            await client.upload_image(image=b"png")
        for _ in range(2):
            with pytest.raises(E.ResponseValidationError, match="not a JSON object"):
                await client.follow_chat(chat_id="C")


async def test_request_validation_happens_before_sending():
    rec = Recorder(ok())
    async with make_client(rec) as client:
        with pytest.raises(E.RequestValidationError) as info:
            await client.send_typing_indicator(chat_id="C", is_typing="yes")
        assert info.value.field == "is_typing" and isinstance(info.value, E.ApiValidationError)
        with pytest.raises(E.RequestValidationError, match="unknown action"):
            await client.call("no_such_action", {})
        with pytest.raises(E.RequestValidationError, match="event"):
            await client.call("send_event", {"chat_id": "C", "event": {"type": "message"}})
    assert rec.calls == 0


TRANSPORT_FAILURES = [
    (httpx.ConnectError("refused"), E.LiveChatConnectionError, False),
    (httpx.ConnectTimeout("slow connect"), E.LiveChatTimeoutError, False),
    (httpx.ReadTimeout("slow read"), E.LiveChatTimeoutError, True),
    (httpx.RemoteProtocolError("peer closed"), E.LiveChatConnectionError, True),
    (httpx.ReadError("reset"), E.LiveChatConnectionError, True),
    (httpx.UnsupportedProtocol("bad scheme"), E.LiveChatConnectionError, False),
]


@pytest.mark.parametrize("exc,cls,sent", TRANSPORT_FAILURES)
async def test_transport_failures_are_wrapped(exc, cls, sent):
    rec = Recorder(exc)
    async with make_client(rec, attempts=1) as client:
        with pytest.raises(cls) as info:
            await client.get_customers()
    assert info.value.request_sent is sent
    assert info.value.__cause__ is None and info.value.__context__ is None


@pytest.mark.parametrize("action", sorted(ACTIONS))
async def test_no_raw_httpx_exception_escapes_any_action(action):
    failures = [
        httpx.ConnectError("x"),
        httpx.ReadTimeout("x"),
        httpx.RemoteProtocolError("x"),
        httpx.DecodingError("x"),
        httpx.Response(200, text="not json"),
    ]
    kwargs = dict(REQUESTS[action])
    if action == "send_file":
        kwargs["file"] = b"data"
    if action == "upload_image":
        kwargs["image"] = b"data"
    for failure in failures:
        rec = Recorder(failure)
        async with make_client(rec, attempts=2) as client:
            try:
                await getattr(client, action)(**kwargs)
            except E.LiveChatError:
                pass
            except httpx.HTTPError as exc:  # pragma: no cover - the failure this test guards against
                pytest.fail(f"{action} leaked {exc!r}")
            else:
                pytest.fail(f"{action} succeeded on {failure!r}")


async def test_token_never_in_repr_str_or_errors():
    leaky = f"echo of Bearer {TOKEN} here"
    rec = Recorder(fail(401, "authentication", leaky), httpx.Response(502, text=leaky), httpx.ConnectError(leaky))
    client = make_client(rec, attempts=1)
    assert TOKEN not in repr(client) and TOKEN not in str(client) and "***" in repr(client)
    assert TOKEN not in repr(client._credentials) and TOKEN not in str(vars(client))
    async with client:
        for _ in range(3):
            with pytest.raises(E.LiveChatError) as info:
                await client.follow_chat(chat_id="C")
            err = info.value
            for text in (str(err), repr(err), err.message, str(err.args)):
                assert TOKEN not in text
    assert rec.calls == 3


async def test_closed_client_refuses_calls():
    rec = Recorder(ok())
    client = make_client(rec)
    await client.aclose()
    with pytest.raises(E.ClientClosedError):
        await client.follow_chat(chat_id="C")
    assert rec.calls == 0


def test_empty_token_is_refused():
    with pytest.raises(ValueError):
        AgentClient(token="")

"""Customer website visits: start_visit, update_customer_page, end_visit (customer principals).

These are customer-side actions of the emulator (the v3.0 agent API only sees their pushes):

* ``start_visit`` ``{"ip"?, "user_agent"?, "geolocation"?, "referrer"?, "url"?, "title"?}`` —
  ends a visit still open, starts a new one (integer ``visit_id``), resets the customer's
  ``last_visit`` (``started_at``, ``referrer``, ``ip``, ``user_agent``, ``geolocation``, empty
  ``last_pages``), counts it in ``statistics.visits_count`` and pushes
  ``customer_visit_started`` (v3.6: ``incoming_customer``); with a ``url`` the first page
  follows as below.
* ``update_customer_page`` ``{"url", "title"?, "referrer"?}`` — the customer opened a page (a
  visit starts first when none is open): appended to ``last_visit.last_pages`` (the last 20
  kept) and pushed as ``customer_page_updated``; the referrer defaults to the previous page.
* ``end_visit`` ``{}`` — closes the open visit (``last_visit.ended_at``), pushes
  ``customer_visit_ended``; no-op without one.

Every push goes to the agents holding a ``customers:ro``-satisfying scope (v3.6 sockets only
when they follow the customer, see world/watch.py). ``POST
/customer/token`` starts a visit for the new customer (ip and User-Agent of the request); the
simulator's customers start, browse and end visits through the same actions.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from lcconsole.emulator.contract import Outcome
from lcconsole.emulator.world.ctx import Ctx, dumps, iso, loads
from lcconsole.emulator.world.customers import customer_row, customers_audience
from lcconsole.emulator.world.objects import customer_obj
from lcconsole.emulator.world.watch import push_about
from lcconsole.wire.requests import Req

MAX_PAGES = 20
_TEXT = Field(default=None, max_length=2048)


class GeolocationIn(Req):
    """Where the visitor is (all optional)."""

    country: str | None = _TEXT
    country_code: str | None = _TEXT
    region: str | None = _TEXT
    city: str | None = _TEXT
    timezone: str | None = _TEXT
    latitude: str | float | None = None
    longitude: str | float | None = None


class StartVisit(Req):
    """start_visit payload."""

    ip: str | None = _TEXT
    user_agent: str | None = _TEXT
    geolocation: GeolocationIn | None = None
    referrer: str | None = _TEXT
    url: str | None = _TEXT
    title: str | None = _TEXT


class UpdatePage(Req):
    """update_customer_page payload."""

    url: str = Field(max_length=2048)
    title: str | None = _TEXT
    referrer: str | None = _TEXT


class EndVisit(Req):
    """end_visit payload (none)."""


def _open_visit(ctx: Ctx) -> int | None:
    row = ctx.one("SELECT id FROM visits WHERE customer_id=? AND ended_at IS NULL ORDER BY id DESC LIMIT 1", (ctx.me,))
    return row[0] if row else None


def _last_visit(ctx: Ctx) -> dict[str, Any]:
    return loads(customer_row(ctx, ctx.me)["last_visit"], None) or {}


def _end(ctx: Ctx, visit_id: int) -> None:
    ended = iso(ctx.now)
    ctx.x("UPDATE visits SET ended_at=? WHERE id=?", (ended, visit_id))
    visit = _last_visit(ctx)
    visit["ended_at"] = ended
    ctx.x("UPDATE customers SET last_visit=? WHERE id=?", (dumps(visit), ctx.me))
    push_about(
        ctx,
        ctx.me,
        "customer_visit_ended",
        {"customer_id": ctx.me, "visit_id": visit_id, "ended_at": ended},
        customers_audience(ctx, ctx.me),
        online=True,
    )


def _start(ctx: Ctx, req: StartVisit | None) -> int:
    previous = _open_visit(ctx)
    if previous is not None:
        _end(ctx, previous)
    started = iso(ctx.now)
    visit_id = ctx.x("INSERT INTO visits(customer_id, started_at) VALUES (?, ?)", (ctx.me, started)).lastrowid
    assert visit_id is not None  # an INSERT always has a row id
    geo = req.geolocation.model_dump(exclude_none=True) if req and req.geolocation else {}
    visit = {
        "started_at": started,
        "referrer": (req.referrer if req else None) or "",
        "ip": (req.ip if req else None) or "",
        "user_agent": (req.user_agent if req else None) or "",
        "geolocation": geo,
        "last_pages": [],
    }
    ctx.x(
        "UPDATE customers SET last_visit=?, visits_count=visits_count+1, country=COALESCE(?, country) WHERE id=?",
        (dumps(visit), geo.get("country"), ctx.me),
    )
    customer = customer_obj(customer_row(ctx, ctx.me), ctx.now)
    push_about(
        ctx,
        ctx.me,
        "customer_visit_started",
        {
            "customer_id": ctx.me,
            "visit_id": visit_id,
            "started_at": started,
            "ip": visit["ip"],
            "user_agent": visit["user_agent"],
            "geolocation": geo,
        },
        customers_audience(ctx, ctx.me),
        meta={"customer": customer},
    )
    push_about(
        ctx,
        ctx.me,
        "customer_statistics_updated",
        {"customer_id": ctx.me, "statistics": customer["statistics"]},
        customers_audience(ctx, ctx.me),
        dialect="3.6",
    )
    return visit_id


def _page(ctx: Ctx, visit_id: int, url: str, title: str | None, referrer: str | None) -> None:
    visit = _last_visit(ctx)
    pages = list(visit.get("last_pages") or [])
    if referrer is None:
        referrer = pages[-1]["url"] if pages else visit.get("referrer", "")
    opened = iso(ctx.now)
    pages.append({"opened_at": opened, "url": url, "title": title or ""})
    visit["last_pages"] = pages[-MAX_PAGES:]
    ctx.x("UPDATE customers SET last_visit=? WHERE id=?", (dumps(visit), ctx.me))
    push_about(
        ctx,
        ctx.me,
        "customer_page_updated",
        {
            "customer_id": ctx.me,
            "visit_id": visit_id,
            "opened_at": opened,
            "url": url,
            "title": title or "",
            "referrer": referrer or "",
        },
        customers_audience(ctx, ctx.me),
    )


def start_visit(ctx: Ctx, req: StartVisit) -> Outcome:
    """A new visit (and its first page when `url` is given): `{"visit_id"}`."""
    visit_id = _start(ctx, req)
    if req.url:
        _page(ctx, visit_id, req.url, req.title, req.referrer)
    return Outcome({"visit_id": visit_id})


def update_customer_page(ctx: Ctx, req: UpdatePage) -> Outcome:
    """The customer opened a page: `{"visit_id"}` (a visit starts when none is open)."""
    visit_id = _open_visit(ctx)
    if visit_id is None:
        visit_id = _start(ctx, None)
    _page(ctx, visit_id, req.url, req.title, req.referrer)
    return Outcome({"visit_id": visit_id})


def end_visit(ctx: Ctx, req: EndVisit) -> Outcome:
    """The customer left the website: `{"visit_id"}` of the visit ended (null when none)."""
    visit_id = _open_visit(ctx)
    if visit_id is not None:
        _end(ctx, visit_id)
    return Outcome({"visit_id": visit_id})

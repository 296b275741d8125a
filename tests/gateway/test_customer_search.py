"""The v3.0 gateway's customer search: an exact filter (e-mail, id or name) first, then a
substring scan of the newest customers (the customer list has no substring filter)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from lcconsole.gateway.v30 import SEARCH_LIMIT, SEARCH_SCAN, Gateway30

PEOPLE = [
    SimpleNamespace(id=f"c0ffee00-0000-4000-8000-00000000000{i}", name=name, email=email)
    for i, (name, email) in enumerate([("Jane Doe", "jane@x.io"), ("Bob", "bob@y.io")])
]


class CustomerList:
    """`get_customers` over PEOPLE with the list's exact filters; records each request."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    async def get_customers(self, **request: Any) -> Any:
        self.calls.append(request)
        filters = request.get("filters") or {}
        field = {"customer_id": "id"}
        found = [p for p in PEOPLE if all(getattr(p, field.get(k, k)) in v["values"] for k, v in filters.items())]
        return SimpleNamespace(customers=found)


async def test_customer_search_filters_then_scans() -> None:
    customers = CustomerList()
    search = Gateway30(customers, None).search_customers
    assert [c.name for c in await search("bob@y.io")] == ["Bob"]
    assert customers.calls == [{"limit": SEARCH_LIMIT, "filters": {"email": {"values": ["bob@y.io"]}}}]
    assert [c.name for c in await search(PEOPLE[0].id)] == ["Jane Doe"]
    assert customers.calls[-1]["filters"] == {"customer_id": {"values": [PEOPLE[0].id]}}
    customers.calls.clear()
    assert [c.name for c in await search("JAN")] == ["Jane Doe"]  # no exact name: the scan finds it
    assert customers.calls == [
        {"limit": SEARCH_LIMIT, "filters": {"name": {"values": ["JAN"]}}},
        {"limit": SEARCH_SCAN},
    ]
    assert len(await search("")) == 2 and customers.calls[-1] == {"limit": SEARCH_LIMIT}

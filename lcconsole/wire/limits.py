"""Size limits on request fields, shared by the client and the emulator (`validation` errors).

LiveChat documents only the message text (16 KB of raw UTF-8) and uploads (10 MB). The other
bounds are the emulator's own: generous for any real use, small enough that one request can
neither bloat the store nor keep the server busy for long.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, Field

T = TypeVar("T")

SEARCH_QUERY_CHARS = 256
"""`get_archives` `filters.query`: searched as a substring of every message of every thread."""

FILTER_VALUES = 100
"""Ids or values in one filter list (`agent_ids`, `group_ids`, `values`, `exclude_values`)."""

PROPERTY_FILTERS = 50
"""`namespace.property` conditions in one `filters.properties`."""

SearchQuery = Annotated[str, Field(max_length=SEARCH_QUERY_CHARS)]
FilterList = Annotated[list[T], Field(max_length=FILTER_VALUES)]


def _few_properties(filters: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    count = sum(len(props) for props in filters.values())
    if count > PROPERTY_FILTERS:
        raise ValueError(f"at most {PROPERTY_FILTERS} property conditions, got {count}")
    return filters


PropertyCount = AfterValidator(_few_properties)
"""Bounds the `namespace.property` pairs of a property filter mapping."""

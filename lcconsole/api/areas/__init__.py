"""Typed action methods of `AgentClient`, one mixin per area of the spec's index.

Each method only builds its parameters and calls the client's `_invoke`; `Invoker` declares that
one dependency, and every mixin method takes `self: Invoker`, so a type checker holds the mixins
to it (`BaseClient` provides it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from lcconsole.api.uploads import FileSource


class Invoker(Protocol):
    """What an area mixin uses from the client: one typed action call."""

    async def _invoke(
        self,
        action: str,
        params: Mapping[str, Any],
        *,
        upload: FileSource | None = None,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> Any:
        """Build, send and parse one action; no-payload actions return None."""
        ...

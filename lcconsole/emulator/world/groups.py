"""The Configuration API's `list_groups`: the account's groups, with their names.

The emulator serves this one Configuration API action (`POST /v<version>/configuration/action/
list_groups`, scope `groups--all:ro`) so the console can show group names instead of numbers.
Answer: `[{"id", "name", "language_code"}]` by id, plus `routing_status` and `agent_priorities`
when `fields` asks for them. A group's routing status is `accepting_chats` when one of its agents
is available (present, not away, accepting), `not_accepting_chats` when one is present, else
`offline`; every agent belongs to group 0.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from lcconsole.emulator.world.ctx import Ctx

Field = Literal["agent_priorities", "routing_status"]
SCOPES = ("groups--all:ro",)
"""What `list_groups` requires."""


class ListGroups(BaseModel):
    """`list_groups` request: `fields` (optional) names the extra fields wanted."""

    model_config = ConfigDict(extra="forbid")
    fields: list[Field] | None = None


def list_groups(ctx: Ctx, req: ListGroups) -> list[dict[str, Any]]:
    """Every group by id (see the module docstring)."""
    wanted = set(req.fields or ())
    members: dict[int, list[Any]] = {}
    if wanted:
        agents = ctx.q("SELECT id, present, away, routing_status FROM agents ORDER BY seq")
        for agent in agents:
            info = ctx.agent(agent["id"])
            for gid in info.groups if info is not None else (0,):
                members.setdefault(gid, []).append(agent)
    out = []
    for row in ctx.q("SELECT id, name FROM groups ORDER BY id"):
        group: dict[str, Any] = {"id": row["id"], "name": row["name"], "language_code": "en"}
        agents = members.get(row["id"], [])
        if "routing_status" in wanted:
            group["routing_status"] = _routing_status(agents)
        if "agent_priorities" in wanted:
            group["agent_priorities"] = {a["id"]: "normal" for a in agents}
        out.append(group)
    return out


def _routing_status(agents: list[Any]) -> str:
    present = [a for a in agents if a["present"]]
    if any(not a["away"] and a["routing_status"] == "accepting_chats" for a in present):
        return "accepting_chats"
    return "not_accepting_chats" if present else "offline"

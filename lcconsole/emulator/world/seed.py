"""Seeding: the administrator, group 0, extra agents, and (once) the demo world. Idempotent."""

from __future__ import annotations

from collections.abc import Sequence

from lcconsole.emulator.auth import ensure_credentials, new_account_id, new_pat
from lcconsole.emulator.world.ctx import Ctx, dumps, new_token
from lcconsole.wire.actions import ALL_SCOPES

ADMIN = "agent1@example.com"
GROUPS = {0: "General", 1: "Sales", 2: "Billing"}


def _name_from_email(email: str) -> str:
    local = email.split("@", 1)[0]
    parts = [p for p in local.replace(".", " ").replace("_", " ").replace("-", " ").split() if p]
    return " ".join(p.capitalize() for p in parts) or email


def ensure_agent(
    ctx: Ctx,
    email: str,
    scopes: Sequence[str],
    *,
    name: str | None = None,
    permission: str = "normal",
    groups: Sequence[int] = (),
    replace_scopes: bool = True,
) -> None:
    """Create the agent (random token, account id and PAT) or, when it exists, set its scopes exactly."""
    row = ctx.one("SELECT id FROM agents WHERE id=?", (email,))
    if row is None:
        seq = ctx.row("SELECT COALESCE(MAX(seq), 0) + 1 FROM agents")[0]
        ctx.x(
            "INSERT INTO agents(id, seq, name, token, account_id, pat, scopes, permission,"
            " avatar) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                email,
                seq,
                name or _name_from_email(email),
                new_token(),
                new_account_id(),
                new_pat(),
                dumps(list(scopes)),
                permission,
                f"https://cdn.example.com/avatars/{seq}.png",
            ),
        )
    elif replace_scopes:
        ctx.x("UPDATE agents SET scopes=? WHERE id=?", (dumps(list(scopes)), email))
    for group in groups:
        ctx.x("INSERT OR IGNORE INTO agent_groups(agent_id, group_id) VALUES (?, ?)", (email, group))
    ctx.agents_changed()


def seed(ctx: Ctx, world: str, agents: Sequence[tuple[str, Sequence[str]]]) -> None:
    """Ensure the administrator and group 0; add agents; add the demo world once."""
    if world not in ("empty", "demo"):
        raise ValueError(f"unknown world {world!r} (expected 'empty' or 'demo')")
    ctx.x("INSERT OR IGNORE INTO meta(key, value) VALUES ('created', ?)", (str(ctx.ts),))
    ctx.x("INSERT OR IGNORE INTO groups(id, name) VALUES (0, ?)", (GROUPS[0],))
    ensure_credentials(ctx.conn)  # agents of a database written before PATs
    ensure_agent(ctx, ADMIN, ALL_SCOPES, name="Alex Morgan", permission="administrator", groups=(0,))
    ctx.x("UPDATE agents SET scopes=?, permission='administrator' WHERE id=?", (dumps(list(ALL_SCOPES)), ADMIN))
    for email, scopes in agents:
        ensure_agent(ctx, email, scopes)
    if world == "demo" and ctx.one("SELECT 1 FROM meta WHERE key='demo'") is None:
        from lcconsole.emulator.world.demo import build_demo

        for gid, gname in GROUPS.items():
            ctx.x("INSERT OR IGNORE INTO groups(id, name) VALUES (?, ?)", (gid, gname))
        build_demo(ctx)
        ctx.x("INSERT INTO meta(key, value) VALUES ('demo', '1')")

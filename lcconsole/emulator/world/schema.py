"""SQLite schema of the emulator and the connection set-up (WAL, synchronous=NORMAL, foreign keys).

WAL with synchronous=NORMAL survives a SIGKILL of the process at any moment: a transaction that
returned from COMMIT is in the WAL file, one that did not is rolled back on the next open.
Flexible bits (properties, event bodies, last_visit, user_ids, tags) are JSON text columns.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from pathlib import Path

SCHEMA_VERSION = 1

DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS groups (id INTEGER PRIMARY KEY, name TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS agents (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,                 -- JSON list
    account_id TEXT,                      -- UUID, the user name of PAT (Basic) auth
    pat TEXT,                             -- personal access token (emulator/auth.py)
    permission TEXT NOT NULL DEFAULT 'normal',
    avatar TEXT,
    routing_status TEXT NOT NULL DEFAULT 'accepting_chats',
    present INTEGER NOT NULL DEFAULT 0,
    away INTEGER NOT NULL DEFAULT 0,
    last_seen INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS agent_groups (
    agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL,
    PRIMARY KEY (agent_id, group_id)
);

CREATE TABLE IF NOT EXISTS customers (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    token TEXT UNIQUE,
    name TEXT,
    email TEXT,
    avatar TEXT,
    fields TEXT NOT NULL DEFAULT '{}',
    last_visit TEXT,                      -- JSON object or NULL
    country TEXT,
    chats_count INTEGER NOT NULL DEFAULT 0,
    threads_count INTEGER NOT NULL DEFAULT 0,
    visits_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    agent_last_event_created_at TEXT,
    customer_last_event_created_at TEXT,
    present INTEGER NOT NULL DEFAULT 0,
    last_seen INTEGER NOT NULL DEFAULT 0,
    ban_days INTEGER,
    ban_until REAL
);
CREATE INDEX IF NOT EXISTS customers_created ON customers(created_at, seq);

CREATE TABLE IF NOT EXISTS visits (      -- customers' website visits (world/visits.py)
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- the visit_id of the pushes
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE INDEX IF NOT EXISTS visits_customer ON visits(customer_id, id);

CREATE TABLE IF NOT EXISTS chats (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    customer_id TEXT REFERENCES customers(id),
    properties TEXT NOT NULL DEFAULT '{}',
    active INTEGER NOT NULL DEFAULT 0,
    last_thread_id TEXT,
    last_order INTEGER NOT NULL,          -- sort key of chat summaries (last activity, µs-like)
    created INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chats_order ON chats(last_order, id);
CREATE INDEX IF NOT EXISTS chats_active_order ON chats(active, last_order, id);
CREATE INDEX IF NOT EXISTS chats_customer ON chats(customer_id);

CREATE TABLE IF NOT EXISTS chat_access (
    chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL,
    PRIMARY KEY (chat_id, group_id)
);
CREATE INDEX IF NOT EXISTS chat_access_group ON chat_access(group_id, chat_id);

CREATE TABLE IF NOT EXISTS agent_grants (   -- access.type "agent" grants (world/grants.py)
    resource TEXT NOT NULL,               -- chat | customer
    resource_id TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    PRIMARY KEY (resource, resource_id, agent_id)
);
CREATE INDEX IF NOT EXISTS agent_grants_agent ON agent_grants(agent_id, resource, resource_id);

CREATE TABLE IF NOT EXISTS customer_access (  -- a customer's access groups (none: unrestricted)
    customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL,
    PRIMARY KEY (customer_id, group_id)
);

CREATE TABLE IF NOT EXISTS chat_users (
    chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    user_type TEXT NOT NULL,              -- agent | customer
    seq INTEGER NOT NULL,
    last_seen INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (chat_id, user_id)
);
CREATE INDEX IF NOT EXISTS chat_users_user ON chat_users(user_id, chat_id);

CREATE TABLE IF NOT EXISTS followers (
    chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    agent_id TEXT NOT NULL,
    PRIMARY KEY (chat_id, agent_id)
);
CREATE INDEX IF NOT EXISTS followers_agent ON followers(agent_id, chat_id);

CREATE TABLE IF NOT EXISTS threads (
    id TEXT PRIMARY KEY,
    chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    active INTEGER NOT NULL,
    user_ids TEXT NOT NULL DEFAULT '[]',
    properties TEXT NOT NULL DEFAULT '{}',
    tags TEXT NOT NULL DEFAULT '[]',
    access TEXT NOT NULL DEFAULT '[]',    -- group ids snapshot, refreshed on access changes
    events_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS threads_chat ON threads(chat_id, ord);
CREATE INDEX IF NOT EXISTS threads_closed ON threads(active, ts);

CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    custom_id TEXT,
    type TEXT NOT NULL,
    author_id TEXT,
    recipients TEXT NOT NULL,
    ts INTEGER NOT NULL,
    body TEXT NOT NULL,                   -- JSON: the type-specific fields
    properties TEXT NOT NULL DEFAULT '{}',
    text TEXT                             -- searchable text (get_archives query)
);
CREATE INDEX IF NOT EXISTS events_thread ON events(thread_id, ord);
CREATE INDEX IF NOT EXISTS events_custom ON events(chat_id, custom_id) WHERE custom_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS chat_last_event (
    chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    event_id TEXT NOT NULL,
    PRIMARY KEY (chat_id, type)
);

CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    data BLOB NOT NULL,
    created INTEGER NOT NULL
);
"""


def _private_file(path: Path) -> None:
    """The database holds every token: new directories 0700, the file itself 0600."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)


def connect(db_path: str | Path) -> sqlite3.Connection:
    """Open (and create) the database with the emulator's pragmas and schema."""
    path = str(db_path)
    if path != ":memory:":
        _private_file(Path(path))
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    if path != ":memory:":
        conn.execute("PRAGMA journal_mode=WAL")
        for suffix in ("-wal", "-shm"):  # SQLite copies the database's mode; make sure
            with contextlib.suppress(FileNotFoundError):
                os.chmod(path + suffix, 0o600)
        # checkpoints run in a background thread (Checkpointer); this is only a safety net
        conn.execute("PRAGMA wal_autocheckpoint=20000")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=5000")
    conn.executescript(DDL)
    _add_columns(conn)
    conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    return conn


ADDED_COLUMNS = {
    "agents": ("account_id TEXT", "pat TEXT"),
    "threads": ("summary TEXT",),  # v3.6 thread summary (JSON) or NULL
    "chat_users": ("visibility TEXT NOT NULL DEFAULT 'all'",),  # v3.6 all | agents
    "files": ("expires REAL",),  # v3.6 upload_file: gone after this unless a file event used it
    "events": ("deleted INTEGER NOT NULL DEFAULT 0",),  # v3.6 delete_event (customer side)
    "customers": ("details TEXT",),  # v3.6 phone_number, omnichannel, address (JSON) or NULL
}
"""Columns added after a table's first release: a database written before them gets them on open."""


def _add_columns(conn: sqlite3.Connection) -> None:
    for table, columns in ADDED_COLUMNS.items():
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        for column in columns:
            if column.split()[0] not in present:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
    conn.execute("CREATE UNIQUE INDEX IF NOT EXISTS agents_account ON agents(account_id)")
    conn.execute("CREATE INDEX IF NOT EXISTS events_deleted ON events(id) WHERE deleted=1")


class Checkpointer(threading.Thread):
    """Runs PASSIVE WAL checkpoints off the request path (they fsync the database file).

    Commits stay cheap (a WAL append without fsync under synchronous=NORMAL); a checkpoint never
    blocks writers, and durability does not depend on it.
    """

    def __init__(self, db_path: str, interval: float = 0.5) -> None:
        super().__init__(name="lcconsole-wal-checkpointer", daemon=True)
        self.db_path = db_path
        self.interval = interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        conn = sqlite3.connect(self.db_path, check_same_thread=False)
        try:
            while not self._stop_event.wait(self.interval):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    pass
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout=5)

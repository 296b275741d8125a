"""The emulator's world: its state in SQLite and the semantics of each area, one module per area
(used through `lcconsole.emulator.engine`; not the console's client-side store, `lcconsole.ui.store`).

schema (tables, pragmas, background WAL checkpoints) · ctx (per-request context, clock, ids,
JSON helpers) · objects (wire objects from rows) · access (visibility, push audiences, follow
actions) · grants (grant/revoke/set_access on chats and customers) · threads (thread/event
primitives) · chats · events · files · properties · customers · visits (customers' website
visits) · agents (agent-level and RTM-only actions) · summaries (get_chats_summary,
get_archives, threads summary, login summary) · pages (keyset page ids) · routing · seed · demo.
"""

"""v3.6 push names and the v3.0 push each one replaces (docs/v3.6-notes.md §5)."""

from __future__ import annotations

RENAMED_FROM_V30: dict[str, str] = {
    "incoming_chat_thread": "incoming_chat",
    "thread_closed": "chat_deactivated",
    "chat_user_added": "user_added_to_chat",
    "chat_user_removed": "user_removed_from_chat",
    "chat_thread_properties_updated": "thread_properties_updated",
    "chat_thread_properties_deleted": "thread_properties_deleted",
    "chat_thread_tagged": "thread_tagged",
    "chat_thread_untagged": "thread_untagged",
    "last_seen_timestamp_updated": "events_marked_as_seen",
    "agent_updated": "routing_status_set",
    "access_granted": "chat_access_updated",
    "access_revoked": "chat_access_updated",
    "access_set": "chat_access_updated",
    "customer_created": "incoming_customer",
    "customer_visit_started": "incoming_customer",
    "customer_visit_ended": "customer_left",
}
"""v3.0 push name -> v3.6 push name, where the name changed."""

PUSHES = (
    "incoming_chat", "chat_deactivated", "chat_deleted", "thread_deleted", "threads_deleted",
    "event_deleted", "incoming_event", "event_updated", "incoming_rich_message_postback",
    "incoming_multicast", "incoming_typing_indicator", "incoming_sneak_peek",
    "incoming_thinking_indicator", "incoming_event_preview", "chat_access_updated",
    "chat_transferred", "user_added_to_chat", "user_removed_from_chat",
    "chat_properties_updated", "chat_properties_deleted", "thread_properties_updated",
    "thread_properties_deleted", "event_properties_updated", "event_properties_deleted",
    "thread_tagged", "thread_untagged", "events_marked_as_seen", "chat_unfollowed",
    "queue_positions_updated", "thread_summary_set", "incoming_error", "incoming_customers",
    "incoming_customer", "customer_updated", "customer_page_updated", "customer_banned",
    "customer_transferred", "customer_left", "customer_statistics_updated",
    "subscribed_customers_totals_updated", "routing_status_set", "agent_disconnected",
)
"""The v3.6 pushes the emulator can send (a subset of the docs' push list)."""

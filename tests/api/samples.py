"""The spec's sample request and response payloads, one pair per Web action.

Transcribed from the v3.0 Web API method reference ([S30-early] in docs/api-notes.md §0; §1 there
for get_chats_summary / get_archives): `...` dropped, `// "X" object` placeholders written as `{}` / `[]`, missing commas
restored. `RESPONSES[action]` is None for actions documented with "No response payload".
"""

from __future__ import annotations

CHAT_ID = "PJ0MRSHTDG"
THREAD_ID = "K600PKZON8"

REQUESTS: dict[str, dict] = {
    "get_chat_threads": {"chat_id": CHAT_ID, "thread_ids": [THREAD_ID]},
    "get_chat_threads_summary": {"chat_id": CHAT_ID, "limit": 25, "page_id": "MjpkZXNj"},
    "start_chat": {
        "chat": {
            "properties": {"source": {"type": "facebook"}},
            "users": [{"id": "b7eff798-f8df-4364-8059-649c35c9ed0c", "type": "customer"}],
            "thread": {
                "events": [
                    {"type": "message", "custom_id": "31-0C-1C-07-DB-16", "text": "hello there", "recipients": "all"},
                    {
                        "type": "system_message",
                        "custom_id": "31-0C-1C-07-DB-16",
                        "text": "hello there",
                        "recipients": "agents",
                    },
                ],
                "properties": {"source": {"type": "facebook"}},
                "tags": ["bug_report"],
            },
            "access": {"group_ids": [1]},
            "is_followed": True,
        },
        "continuous": True,
    },
    "activate_chat": {
        "chat": {
            "id": CHAT_ID,
            "access": {"group_ids": [1]},
            "properties": {"source": {"type": "facebook"}},
            "thread": {
                "events": [
                    {"type": "message", "custom_id": "31-0C-1C-07-DB-16", "text": "hello there"},
                    {"type": "system_message", "custom_id": "31-0C-1C-07-DB-16", "text": "hello there"},
                ],
                "properties": {"source": {"type": "facebook"}},
                "tags": ["bug_report"],
            },
        }
    },
    "add_user_to_chat": {"chat_id": CHAT_ID, "user_id": "agent1@example.com", "user_type": "agent"},
    "remove_user_from_chat": {"chat_id": CHAT_ID, "user_id": "agent1@example.com", "user_type": "agent"},
    "send_event": {
        "chat_id": CHAT_ID,
        "attach_to_last_thread": False,
        "event": {"type": "message", "text": "hello world", "recipients": "agents", "custom_id": "31-0C-1C-07-DB-16"},
    },
    "send_file": {"chat_id": "a0c22fdd-fb71-40b5-bfc6-a8a0bc3117f5", "custom_id": "12345-bhdsa"},
    "send_rich_message_postback": {
        "chat_id": CHAT_ID,
        "thread_id": THREAD_ID,
        "event_id": "a0c22fdd-fb71-40b5-bfc6-a8a0bc3117f7",
        "postback": {"id": "Method URL_yes", "toggled": True},
    },
    "multicast": {
        "scopes": {
            "agents": {"all": True, "ids": ["agent1@example.com", "agent2@example.com"], "groups": [1, 2]},
            "customers": {"ids": ["b7eff798-f8df-4364-8059-649c35c9ed0c"]},
        },
        "content": {"example": {"nested": "json"}},
        "type": "type1",
    },
    "send_typing_indicator": {"chat_id": CHAT_ID, "recipients": "all", "is_typing": True},
    "ban_customer": {"customer_id": "b7eff798-f8df-4364-8059-649c35c9ed0c", "ban": {"days": 5}},
    "close_thread": {"chat_id": CHAT_ID},
    "transfer_chat": {"chat_id": CHAT_ID, "target": {"type": "group", "ids": [1]}, "force": True},
    "grant_access": {"resource": "chat", "id": CHAT_ID, "access": {"type": "group", "id": 1}},
    "revoke_access": {"resource": "chat", "id": CHAT_ID, "access": {"type": "group", "id": 1}},
    "set_access": {"resource": "chat", "id": CHAT_ID, "access": {"type": "group", "id": 1}},
    "update_agent": {"routing_status": "accepting_chats"},
    "update_chat_properties": {
        "chat_id": CHAT_ID,
        "properties": {"rating": {"score": 2, "comment": "Very good, veeeery good"}},
    },
    "update_chat_thread_properties": {
        "chat_id": CHAT_ID,
        "thread_id": THREAD_ID,
        "properties": {"rating": {"score": 2, "comment": "Very good, veeeery good"}},
    },
    "update_event_properties": {
        "chat_id": CHAT_ID,
        "thread_id": THREAD_ID,
        "event_id": "2_EW2WQSA8",
        "properties": {"rating": {"score": 1, "comment": "Very good, veeeery good"}},
    },
    "update_last_seen_timestamp": {"chat_id": CHAT_ID, "timestamp": 123456789},
    "upload_image": {},
    "get_customers": {
        "filters": {
            "country": {"values": ["United States", "Poland"]},
            "visits_count": {"gte": 20},
            "created_at": {"gte": "2017-10-12T15:19:21.010200+01:00"},
        },
        "page_id": "MTUxNzM5ODEzMTQ5Ng==",
    },
    "create_customer": {
        "email": "customer1@example.com",
        "avatar": "https://domain.com/avatars/1.jpg",
        "fields": {"some_key": "some_value"},
    },
    "update_customer": {
        "customer_id": "d4efab70-984f-40ee-aa09-c9cc3c4b0882",
        "name": "John Doe",
        "avatar": "https://domain.com/avatars/1.jpg",
        "fields": {"score": "low"},
    },
    "delete_chat_properties": {"chat_id": CHAT_ID, "properties": {"rating": ["score", "comment"]}},
    "delete_chat_thread_properties": {
        "chat_id": CHAT_ID,
        "thread_id": THREAD_ID,
        "properties": {"rating": ["score", "comment"]},
    },
    "delete_event_properties": {
        "chat_id": CHAT_ID,
        "thread_id": THREAD_ID,
        "event_id": "2_EW2WQSA8",
        "properties": {"rating": ["score", "comment"]},
    },
    "tag_chat_thread": {"chat_id": CHAT_ID, "thread_id": THREAD_ID, "tag": "bug_report"},
    "untag_chat_thread": {"chat_id": CHAT_ID, "thread_id": THREAD_ID, "tag": "bug_report"},
    "follow_chat": {"chat_id": CHAT_ID},
    "unfollow_chat": {"chat_id": CHAT_ID},
    # docs/api-notes.md §1
    "get_chats_summary": {
        "filters": {"include_active": True, "properties": {"routing": {"pinned": {"values": [True]}}}},
        "limit": 10,
        "order": "desc",
    },
    "get_archives": {
        "filters": {
            "query": "refund",
            "date_from": "2019-08-01",
            "date_to": "2019-08-31",
            "agent_ids": ["agent1@example.com"],
            "group_ids": [0],
        },
        "pagination": {"page": 1, "limit": 25},
    },
}

RESPONSES: dict[str, dict | None] = {
    "get_chat_threads": {
        "chat": {
            "id": CHAT_ID,
            "users": [],
            "threads": [],
            "threads_summary": [
                {"thread_id": THREAD_ID, "order": 129846129847},
                {"thread_id": THREAD_ID, "order": 129846129848},
            ],
            "properites": {},
            "access": {},
        }
    },
    "get_chat_threads_summary": {
        "threads_summary": [
            {"id": "PT039ES4OG", "order": 2, "events_count": 2},
            {"id": "PT039DS6IP", "order": 1, "events_count": 17},
        ],
        "found_threads": 7,
        "next_page_id": "MTUxNzM5ODEzMTQ5Ng==",
        "previous_page_id": "MTUxNzM5ODEzMTQ5Nw==",
    },
    "start_chat": {"chat": {"id": CHAT_ID, "users": [], "thread": {}}},
    "activate_chat": {
        "chat": {"id": CHAT_ID, "users": [], "properties": {}, "access": {}, "threads": [], "is_followed": True}
    },
    "send_event": {"thread_id": THREAD_ID, "event": {}},
    "send_file": {"url": "https://cdn.livechat-static.com/api/file/lc/att/345678/bhdbfhdbf87348374837483.png"},
    "update_last_seen_timestamp": {"timestamp": 123456789},
    "upload_image": {
        "url": "https://cdn.livechat-static.com/api/file/lc/img/24434343/dmkslfmndsfgds6fsdfsdnfsd.png",
        "path": "24434343/dmkslfmndsfgds6fsdfsdnfsd.png",
    },
    "get_customers": {
        "customers": [],
        "total_customers": 2340,
        "next_page_id": "MTUxNzM5ODEzMTQ5Ng==",
        "previous_page_id": "MTUxNzM5ODEzMTQ5Ng==",
    },
    "create_customer": {},
    "update_customer": {},
    "get_chats_summary": {
        "chats_summary": [],
        "found_chats": 2340,
        "next_page_id": "MTUx",
        "previous_page_id": "MTUy",
    },
    "get_archives": {
        "chats": [{"chat": {"id": CHAT_ID, "users": [], "thread": {}}}],
        "pagination": {"page": 1, "total": 3},
    },
}
for _name in REQUESTS:
    RESPONSES.setdefault(_name, None)

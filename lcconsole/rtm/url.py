"""RTM websocket URL from the API base URL."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

RTM_PATH = "/v3.0/agent/rtm/ws"


def rtm_url(base_url: str) -> str:
    """`{ws|wss}://host[/prefix]/v3.0/agent/rtm/ws` for an http(s) base URL (ws for http, wss for
    https); a ws(s) URL is used as given (the RTM path is added when it has no path)."""
    parts = urlsplit(base_url.strip())
    scheme = parts.scheme.lower()
    if not parts.netloc:
        raise ValueError(f"not an absolute URL: {base_url!r}")
    if scheme in ("ws", "wss"):
        path = parts.path if parts.path not in ("", "/") else RTM_PATH
        return urlunsplit((scheme, parts.netloc, path, parts.query, ""))
    if scheme not in ("http", "https"):
        raise ValueError(f"unsupported URL scheme {parts.scheme!r} (use http, https, ws or wss)")
    path = parts.path.rstrip("/")
    if not path.endswith(RTM_PATH):
        path += RTM_PATH
    return urlunsplit(("ws" if scheme == "http" else "wss", parts.netloc, path, "", ""))

"""RTM websocket URL from the API base URL."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from lcconsole.wire.dialects import LIVECHAT_HOST, V30

RTM_PATH = V30.rtm_path


def rtm_url(base_url: str, rtm_path: str = RTM_PATH) -> str:
    """`{ws|wss}://host[/prefix]<rtm_path>` (default: v3.0's) for an http(s) base URL
    (ws for http, wss for https); a ws(s) URL is used as given (the path added when it has none)."""
    parts = urlsplit(base_url.strip())
    scheme = parts.scheme.lower()
    if not parts.netloc:
        raise ValueError(f"not an absolute URL: {base_url!r}")
    if scheme in ("ws", "wss"):
        path = parts.path if parts.path not in ("", "/") else rtm_path
        return urlunsplit((scheme, parts.netloc, path, parts.query, ""))
    if scheme not in ("http", "https"):
        raise ValueError(f"unsupported URL scheme {parts.scheme!r} (use http, https, ws or wss)")
    path = parts.path.rstrip("/")
    if not path.endswith(rtm_path):
        path += rtm_path
    return urlunsplit(("ws" if scheme == "http" else "wss", parts.netloc, path, "", ""))


def regional_url(url: str, region: str) -> str:
    """The RTM URL for `region`: LiveChat's own host becomes `api-<region>.livechatinc.com`
    (`api.livechatinc.com` for the default `dal`); any other host (an emulator, a proxy) is kept,
    the region then travels only in the `X-Region` header."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host != LIVECHAT_HOST and not (host.startswith("api-") and host.endswith(".livechatinc.com")):
        return url
    new_host = LIVECHAT_HOST if region == "dal" else f"api-{region}.livechatinc.com"
    netloc = new_host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))

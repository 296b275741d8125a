"""Serving the app with uvicorn on an already-bound loopback socket (shared by cli and embedded).

Binding the socket ourselves gives the real port before serving (`--port 0`), so the engine's
`base_url` is right for the very first upload.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import socket
import ssl
from dataclasses import dataclass, field
from typing import Any

import uvicorn

from lcconsole.emulator.auth import basic_header
from lcconsole.emulator.idle import IDLE_TIMEOUT, idle_closing
from lcconsole.emulator.server import CUSTOMER_TOKEN_PATH, RTM_PATH
from lcconsole.wire.dialects import V30


def bind_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening TCP socket on (host, port); port 0 picks a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # proto: asyncio sets TCP_NODELAY
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def base_url_of(sock: socket.socket, tls: bool = False) -> str:
    """`http://host:port` of a bound socket (`https://` when it serves TLS)."""
    host, port = sock.getsockname()[:2]
    scheme = "https" if tls else "http"
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"


@dataclass(frozen=True)
class TlsFiles:
    """A PEM certificate (chain) and its private key: the server speaks https/wss with them."""

    cert: str
    key: str

    def check(self) -> None:
        """Raise ssl.SSLError/OSError now, with a clear cause, if the pair cannot be loaded."""
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(self.cert, self.key)


def silence_logging() -> None:
    """Keep the emulator's and uvicorn's log records off the terminal (an embedded emulator runs
    under a full-screen console): a NullHandler stops Python's last-resort stderr output, while
    records still propagate to whatever handlers the application configured."""
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "lcconsole.emulator"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


def make_server(
    app: Any, *, embedded: bool = False, tls: TlsFiles | None = None, idle_timeout: float = IDLE_TIMEOUT
) -> uvicorn.Server:
    """Uvicorn tuned for throughput: httptools when installed, no access log, warnings only.

    `embedded`: leave logging configuration alone and print nothing (see `silence_logging`).
    `tls`: serve https/wss with this certificate and key. `idle_timeout`: seconds an HTTP
    connection may send nothing before it is closed (`idle.py`).
    """
    protocol: type[asyncio.Protocol]
    if importlib.util.find_spec("httptools"):
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

        protocol = HttpToolsProtocol
    else:
        from uvicorn.protocols.http.h11_impl import H11Protocol

        protocol = H11Protocol
    http = idle_closing(protocol, idle_timeout)
    extra: dict[str, Any] = {}
    if embedded:
        extra["log_config"] = None
    if tls:
        extra.update(ssl_certfile=tls.cert, ssl_keyfile=tls.key)
    if embedded:
        silence_logging()
    config = uvicorn.Config(
        app,
        http=http,
        lifespan="off",
        log_level="warning",
        access_log=False,
        server_header=False,
        date_header=False,
        backlog=2048,
        timeout_graceful_shutdown=2,
        **extra,
    )
    return uvicorn.Server(config)


@dataclass(frozen=True)
class EmulatorInfo:
    """Where a running emulator listens and its agents, admin first:
    `[{"id", "token", "account_id", "pat", "scopes"}]` (token: OAuth-style bearer token;
    account_id + pat: personal access token, Basic auth).

    The repr leaves the tokens out; `ready_json()` is the ready-file document.
    """

    base_url: str
    agents: list[dict[str, Any]] = field(default_factory=list, repr=False)

    @property
    def rtm_url(self) -> str:
        """The RTM websocket URL."""
        return "ws" + self.base_url[len("http") :] + RTM_PATH

    @property
    def customer_token_url(self) -> str:
        """Where customers get tokens."""
        return self.base_url + CUSTOMER_TOKEN_PATH

    @property
    def api_url(self) -> str:
        """Base of the agent Web API actions (`{api_url}/<action>`)."""
        return self.base_url + V30.action_path.rstrip("/")

    @property
    def token(self) -> str:
        """The administrator's access token."""
        token: str = self.agents[0]["token"]
        return token

    @property
    def tls(self) -> bool:
        """True when the emulator serves https/wss."""
        return self.base_url.startswith("https:")

    def _agent(self, agent_id: str) -> dict[str, Any]:
        for agent in self.agents:
            if agent["id"] == agent_id:
                return agent
        raise KeyError(agent_id)

    def token_of(self, agent_id: str) -> str:
        """The access token of one agent."""
        token: str = self._agent(agent_id)["token"]
        return token

    def basic_auth_of(self, agent_id: str | None = None) -> str:
        """`Basic base64(account_id:PAT)` of one agent (default: the administrator)."""
        agent = self._agent(agent_id) if agent_id else self.agents[0]
        return basic_header(agent["account_id"], agent["pat"])

    def ready_json(self) -> str:
        """The ready file: base_url, rtm_url, customer_token_url, tls, agents."""
        keys = ("id", "token", "account_id", "pat")
        return json.dumps(
            {
                "base_url": self.base_url,
                "rtm_url": self.rtm_url,
                "customer_token_url": self.customer_token_url,
                "tls": self.tls,
                "agents": [{**{k: a[k] for k in keys if k in a}, "scopes": list(a["scopes"])} for a in self.agents],
            },
            indent=2,
        )

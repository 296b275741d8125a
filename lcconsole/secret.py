"""`Secret`: a token holder that never shows its value in repr, str or f-strings; `Credentials`:
a bearer token or an account id + Personal Access Token, and the header each one makes."""

from __future__ import annotations

import base64


class Secret:
    """A string that does not show itself; `reveal()` is the one way to read it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret value, for the one place that needs it (the HTTP/RTM client)."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


class Credentials:
    """How a client proves who it is: an OAuth bearer token, or a Personal Access Token (PAT)
    sent as HTTP Basic `base64(account_id:pat)`. Neither secret shows in repr or str."""

    __slots__ = ("scheme", "account_id", "_secret")

    def __init__(self, scheme: str, secret: str | Secret, account_id: str | None = None) -> None:
        if scheme not in ("Bearer", "Basic"):
            raise ValueError("scheme must be 'Bearer' or 'Basic'")
        value = secret.reveal() if isinstance(secret, Secret) else str(secret)
        if not value:
            raise ValueError("a token is required" if scheme == "Bearer" else "a PAT is required")
        if scheme == "Basic" and not account_id:
            raise ValueError("a PAT needs the account id it belongs to")
        self.scheme = scheme
        self.account_id = account_id if scheme == "Basic" else None
        self._secret = Secret(value)

    @classmethod
    def bearer(cls, token: str | Secret) -> Credentials:
        """An OAuth access token (a leading `Bearer ` is dropped)."""
        value = token.reveal() if isinstance(token, Secret) else str(token)
        if value[:7].lower() == "bearer ":
            value = value[7:]
        return cls("Bearer", value)

    @classmethod
    def basic(cls, account_id: str, pat: str | Secret) -> Credentials:
        """A Personal Access Token of the account `account_id`."""
        return cls("Basic", pat, account_id)

    @classmethod
    def of(cls, value: str | Secret | Credentials) -> Credentials:
        """`value` itself if it is Credentials, else a bearer token."""
        return value if isinstance(value, Credentials) else cls.bearer(value)

    def authorization(self) -> str:
        """The `Authorization` header value (also the RTM login `token`)."""
        if self.scheme == "Bearer":
            return f"Bearer {self._secret.reveal()}"
        raw = f"{self.account_id}:{self._secret.reveal()}".encode()
        return f"Basic {base64.b64encode(raw).decode('ascii')}"

    def secrets(self) -> tuple[str, ...]:
        """Every string that must be scrubbed from text shown to anyone (token/PAT, encoded form)."""
        value = self._secret.reveal()
        return (value, self.authorization().split(" ", 1)[1]) if self.scheme == "Basic" else (value,)

    def scrub(self, text: str) -> str:
        """`text` with every secret replaced by `***`."""
        for secret in self.secrets():
            if secret and secret in text:
                text = text.replace(secret, "***")
        return text

    def __repr__(self) -> str:
        who = f", account_id={self.account_id!r}" if self.account_id else ""
        return f"Credentials({self.scheme!r}{who}, secret='***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Credentials) and (self.scheme, self.account_id, self._secret) == (
            other.scheme,
            other.account_id,
            other._secret,
        )

    def __hash__(self) -> int:
        return hash((self.scheme, self.account_id, self._secret))

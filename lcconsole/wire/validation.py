"""Pydantic validation errors as short `field.path: problem` text, the same everywhere the client
checks a model (requests before sending, responses, the RTM login, pushes)."""

from __future__ import annotations

from pydantic import ValidationError


def problems(exc: ValidationError, limit: int | None = None) -> list[tuple[str, str]]:
    """(dotted field path, problem) of the first `limit` errors (all when None)."""
    errors = exc.errors(include_url=False, include_input=False)[:limit]
    return [(".".join(str(p) for p in err.get("loc", ())), str(err.get("msg", "invalid"))) for err in errors]


def first_problem(exc: ValidationError) -> tuple[str, str]:
    """(dotted field path, problem) of the first error."""
    return problems(exc, 1)[0]


def describe(exc: ValidationError, limit: int = 3) -> str:
    """`path: problem; path: problem` for the first `limit` errors (`<payload>` for the root)."""
    return "; ".join(f"{path or '<payload>'}: {msg}" for path, msg in problems(exc, limit))

"""Base pieces of the wire objects: WireModel (tolerant base), the users discriminator,
Properties, Access."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

PRIVATE_PREFIX = "__priv_"


def _is_private(key: object) -> bool:
    return isinstance(key, str) and key.startswith(PRIVATE_PREFIX)


class WireModel(BaseModel):
    """Base of every response object: unknown fields kept, `__priv_*` fields dropped."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)
    """`defer_build`: validators are built on first use, not at import (start-up time)."""

    @model_validator(mode="before")
    @classmethod
    def _drop_private(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in data:  # (a plain loop: this runs for every object of every answer)
                if isinstance(key, str) and key.startswith(PRIVATE_PREFIX):
                    return {k: v for k, v in data.items() if not _is_private(k)}
        return data


def user_tag(value: Any) -> str:
    """The discriminator of a `users` entry (both versions): `agent`, `customer` or `unknown`."""
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if kind in ("agent", "customer") else "unknown"


# --- properties and access ----------------------------------------------------------------------


class PropertyValue(WireModel):
    """One stored property: `{"value": v}` (a bare value is accepted and wrapped)."""

    value: Any = None

    @model_validator(mode="before")
    @classmethod
    def _wrap_bare(cls, data: Any) -> Any:
        if isinstance(data, dict) and "value" in data:
            return data
        if isinstance(data, PropertyValue):
            return data
        return {"value": data}


class Properties(RootModel[dict[str, dict[str, PropertyValue]]]):
    """Stored properties `{namespace: {name: {"value": v}}}` with small helpers."""

    model_config = ConfigDict(defer_build=True)

    root: dict[str, dict[str, PropertyValue]] = Field(default_factory=dict)

    def get(self, namespace: str, name: str, default: Any = None) -> Any:
        """The plain value of `namespace.name`, or `default`."""
        prop = self.root.get(namespace, {}).get(name)
        return default if prop is None else prop.value

    def plain(self) -> dict[str, dict[str, Any]]:
        """`{namespace: {name: value}}` (the v3.0 request format)."""
        return {ns: {n: p.value for n, p in names.items()} for ns, names in self.root.items()}

    def merged(self, update: Properties | dict[str, Any]) -> Properties:
        """A copy with `update` (stored or plain format) applied on top, as a push would."""
        other = update if isinstance(update, Properties) else Properties.model_validate(update)
        out = {ns: dict(names) for ns, names in self.root.items()}
        for ns, names in other.root.items():
            out.setdefault(ns, {}).update(names)
        return Properties(out)

    def without(self, names: dict[str, list[str]]) -> Properties:
        """A copy without the `{namespace: [name, ...]}` properties (delete pushes)."""
        out = {ns: {n: p for n, p in props.items() if n not in names.get(ns, ())} for ns, props in self.root.items()}
        return Properties({ns: props for ns, props in out.items() if props})

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]  # namespaces, as a dict iterates
        return iter(self.root)

    def __contains__(self, namespace: object) -> bool:
        return namespace in self.root

    def __getitem__(self, namespace: str) -> dict[str, PropertyValue]:
        return self.root[namespace]

    def __len__(self) -> int:
        return len(self.root)

    def __bool__(self) -> bool:
        return bool(self.root)


class Access(WireModel):
    """Chat access: the groups that can see the chat (group 0 = all agents)."""

    group_ids: list[int] = Field(default_factory=list)

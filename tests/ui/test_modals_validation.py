"""Pure parsers behind the modals, and the result payloads against the wire request models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lcconsole.ui.modals import (
    PathSuggester,
    PropertyChange,
    TagListSuggester,
)
from lcconsole.ui.modals.validation import (
    FormError,
    check_attachment,
    date_filter_value,
    parse_date,
    parse_email,
    parse_fields,
    parse_json,
    parse_property_value,
    parse_timestamp,
)
from lcconsole.wire.requests import REQUEST_MODELS


def test_property_values_are_typed_and_bounded() -> None:
    assert parse_property_value("42", "int") == 42
    assert parse_property_value("-2147483648", "int") == -(2**31)
    assert parse_property_value(" TRUE ", "bool") is True
    assert parse_property_value("false", "bool") is False
    assert parse_property_value(" keep spaces ", "string") == " keep spaces "
    for text, kind in (("2147483648", "int"), ("4.2", "int"), ("yes", "bool"), ("", "int")):
        with pytest.raises(FormError):
            parse_property_value(text, kind)


def test_email_date_fields_json() -> None:
    assert parse_email("a.b@example.co") == "a.b@example.co"
    assert parse_email("  ") is None
    for bad in ("nope", "a@b", "a b@c.de", "@c.de"):
        with pytest.raises(FormError):
            parse_email(bad)
    assert parse_date("2024-02-29", "From") == "2024-02-29"
    for bad in ("2023-02-29", "2024-1-01", "01/02/2024"):
        with pytest.raises(FormError):
            parse_date(bad, "From")
    assert parse_timestamp("2017-10-12T15:19:21.010200+01:00", "Created")
    assert date_filter_value("2024-01-31", "lte", "Created") == "2024-01-31T23:59:59.999999Z"
    assert date_filter_value("2024-01-31", "gte", "Created") == "2024-01-31T00:00:00.000000Z"
    assert date_filter_value("2024-01-31T10:00:00Z", "lte", "C") == "2024-01-31T10:00:00Z"
    with pytest.raises(FormError):
        parse_timestamp("yesterday", "Created")
    assert parse_fields("a=1\n\n b = x=y \n") == {"a": "1", "b": "x=y"}
    with pytest.raises(FormError, match="line 2"):
        parse_fields("a=1\nbroken")
    with pytest.raises(FormError, match="line 1 column"):
        parse_json("{'single': 1}")


def test_attachment_checks(tmp_path: Path) -> None:
    small = tmp_path / "a.txt"
    small.write_text("x")
    assert check_attachment(str(small)) == small.resolve()
    big = tmp_path / "big.bin"
    with open(big, "wb") as fh:
        fh.truncate(10 * 1024 * 1024 + 1)
    with pytest.raises(FormError, match="too large"):
        check_attachment(str(big))
    with pytest.raises(FormError, match="No such file"):
        check_attachment(str(tmp_path / "missing"))
    with pytest.raises(FormError, match="Not a regular file"):
        check_attachment(str(tmp_path))


async def test_suggesters(tmp_path: Path) -> None:
    tags = TagListSuggester(["billing", "Bug", "vip"])
    assert await tags.get_suggestion("vip, bi") == "vip, billing"
    assert await tags.get_suggestion("bu") == "Bug"
    assert await tags.get_suggestion("billing, ") is None
    (tmp_path / "report-2024.txt").write_text("x")
    (tmp_path / "report-2025.txt").write_text("x")
    (tmp_path / "docs").mkdir()
    (tmp_path / ".hidden").write_text("x")
    paths = PathSuggester()
    base = f"{tmp_path}{os.sep}"
    assert await paths.get_suggestion(base + "re") == base + "report-202"
    assert await paths.get_suggestion(base + "d") == base + "docs" + os.sep
    assert await paths.get_suggestion(base + "report-2025") == base + "report-2025.txt"
    assert await paths.get_suggestion(base + "h") is None
    assert await paths.get_suggestion(base + ".h") == base + ".hidden"
    relative = PathSuggester(cwd=tmp_path)
    assert await relative.get_suggestion("do") == "docs" + os.sep


def test_property_changes_give_the_properties_argument() -> None:
    change = PropertyChange("chat", delete=True, names=(("a", "x"), ("a", "y"), ("b", "z")))
    assert change.properties() == {"a": ["x", "y"], "b": ["z"]}
    REQUEST_MODELS["delete_chat_properties"].model_validate({"chat_id": "X", "properties": change.properties()})
    REQUEST_MODELS["update_chat_properties"].model_validate(
        {"chat_id": "X", "properties": PropertyChange("chat", "a", "n", 5).properties()}
    )


def test_every_modal_binding_has_an_id_description_and_tooltip() -> None:
    from textual.binding import Binding

    import lcconsole.ui.modals as modals

    classes = [
        getattr(modals, name)
        for name in modals.__all__
        if isinstance(getattr(modals, name), type) and hasattr(getattr(modals, name), "BINDINGS")
    ]
    assert len(classes) == 20
    seen: set[str] = set()
    for cls in classes:
        for klass in cls.__mro__:
            if not klass.__module__.startswith("lcconsole"):
                continue
            for binding in klass.__dict__.get("BINDINGS", []):
                assert isinstance(binding, Binding), (cls, binding)
                assert binding.id and binding.description and binding.tooltip, (cls, binding)
                seen.add(binding.id)
    assert {
        "modal.cancel",
        "modal.submit",
        "browser.next_page",
        "archives.preview",
        "viewer.search",
        "copy.pick1",
        "canned.cancel",
    } <= seen

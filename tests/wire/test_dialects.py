"""wire.dialects: the login model is handed out with its list items' models built first."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from lcconsole.wire.dialects import build_list_items_first, dialect


def test_list_item_models_are_built_before_the_model_that_lists_them() -> None:
    class Part(BaseModel):
        model_config = ConfigDict(defer_build=True)
        x: int = 0

    class Single(BaseModel):
        model_config = ConfigDict(defer_build=True)
        y: int = 0

    class Whole(BaseModel):
        model_config = ConfigDict(defer_build=True)
        parts: list[Part] = Field(default_factory=list)
        single: Single | None = None

    assert build_list_items_first(Whole) is Whole
    assert Part.__pydantic_complete__
    assert not Single.__pydantic_complete__  # built with Whole, on first use
    assert not Whole.__pydantic_complete__
    whole = Whole.model_validate({"parts": [{"x": 1}, {"x": 2}], "single": {"y": 3}})
    assert [p.x for p in whole.parts] == [1, 2] and whole.single == Single(y=3)
    assert Part.model_validate({"x": 4}).model_dump_json() == '{"x":4}'


def test_both_versions_login_models_parse_their_summaries() -> None:
    for version in ("3.0", "3.6"):
        model = dialect(version).login_response
        summary_model = model.model_fields["chats_summary"].annotation.__args__[0]  # type: ignore[union-attr]
        assert summary_model.__pydantic_complete__
        login = model.model_validate({"chats_summary": [{"id": "C1", "users": []}]})
        assert login.chats_summary[0].id == "C1"  # type: ignore[attr-defined]

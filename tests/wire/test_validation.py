"""wire.validation: pydantic errors as `field.path: problem`, the one formatter of the client."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from lcconsole.wire.objects import ChatSummary
from lcconsole.wire.validation import describe, first_problem, problems


def _error(data: object) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        ChatSummary.model_validate(data)
    return info.value


def test_paths_are_dotted_and_the_root_is_named():
    exc = _error({"id": "C1", "access": {"group_ids": ["x"]}})
    assert first_problem(exc)[0] == "access.group_ids.0"
    assert describe(exc).startswith("access.group_ids.0: ")
    assert describe(_error([1]), limit=1).startswith("<payload>: ")


def test_limit_caps_the_problems():
    exc = _error({"id": 1, "access": {"group_ids": ["x", "y"]}})
    assert len(problems(exc)) >= 3
    assert len(problems(exc, 2)) == 2 and describe(exc, limit=2).count("; ") == 1

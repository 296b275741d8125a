"""WireModel: set fields and unknown fields are per instance; changes never leak between them."""

from __future__ import annotations

from lcconsole.wire.objects import Customer


def test_assignment_changes_only_that_instance():
    a = Customer.model_validate({"id": "a", "name": "A"})
    b = Customer.model_validate({"id": "b", "name": "B"})
    a.email = "a@example.com"
    assert a.model_fields_set == {"id", "name", "email"}
    assert b.model_fields_set == {"id", "name"}
    assert b.model_dump(exclude_unset=True) == {"id": "b", "name": "B"}
    c = Customer.model_validate({"id": "c", "name": "C"})
    assert c.model_dump(exclude_unset=True) == {"id": "c", "name": "C"}


def test_model_copy_with_update_leaves_the_original_alone():
    a = Customer.model_validate({"id": "a", "name": "A"})
    copy = a.model_copy(update={"email": "x@example.com"})
    assert "email" in copy.model_fields_set
    assert a.model_fields_set == {"id", "name"}
    assert Customer.model_validate({"id": "d", "name": "D"}).model_fields_set == {"id", "name"}


def test_unknown_fields_are_kept_and_never_shared():
    plain = Customer.model_validate({"id": "p"})
    other = Customer.model_validate({"id": "q"})
    assert plain.model_extra == {} and other.model_extra == {}
    plain.favourite = "tea"  # an unknown attribute goes to this model's own extra
    assert plain.model_extra == {"favourite": "tea"}
    assert other.model_extra == {}
    assert Customer.model_validate({"id": "r"}).model_extra == {}
    extra = Customer.model_validate({"id": "s", "shoe_size": 44})
    assert extra.model_extra == {"shoe_size": 44}
    assert extra.model_dump()["shoe_size"] == 44

"""A quantity written with a decimal comma is refused with how to write it."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from shared.numbers import PositiveQuantity

QUANTITY = TypeAdapter(PositiveQuantity)


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("12,5", "use a decimal point: 12.5"),
        ("-3,25", "use a decimal point: -3.25"),
        ("1,234.5", "write it without them: 1234.5"),
    ],
)
def test_a_comma_in_a_quantity_is_refused_with_the_way_to_write_it(typed: str, hint: str) -> None:
    with pytest.raises(ValidationError, match=hint):
        QUANTITY.validate_python(typed)


def test_other_text_is_simply_not_a_decimal() -> None:
    with pytest.raises(ValidationError, match="not a decimal number"):
        QUANTITY.validate_python("twelve")

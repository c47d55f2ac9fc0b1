"""Decimal conventions: the one place that sets the scale of quantities and money."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer

SCALE = 6
QUANTUM = Decimal(1).scaleb(-SCALE)
MAX_DIGITS = 24


def quantize(value: Decimal | int | str) -> Decimal:
    """Round a value to the project's fixed scale."""
    return Decimal(value).quantize(QUANTUM, rounding=ROUND_HALF_EVEN)


def _parse_decimal(value: Any) -> Any:
    # Floats arrive from JSON numbers; going through str keeps 0.1 as 0.1, not 0.1000000000000000055.
    if isinstance(value, bool):
        raise ValueError("a boolean is not a quantity")
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, (str, int)):
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise ValueError("not a decimal number") from exc
        if not result.is_finite():
            raise ValueError("must be a finite number")
        return result
    return value


def _serialize_decimal(value: Decimal) -> str:
    normal = value.normalize()
    text = format(normal, "f")
    return text


DecimalValue = Annotated[
    Decimal,
    BeforeValidator(_parse_decimal),
    PlainSerializer(_serialize_decimal, return_type=str, when_used="json"),
]
"""A decimal accepted as a JSON number or string and sent back as a string."""

PositiveQuantity = Annotated[DecimalValue, Field(gt=0, max_digits=MAX_DIGITS, decimal_places=SCALE)]
"""A quantity that must be greater than zero."""

NonNegativeQuantity = Annotated[
    DecimalValue, Field(ge=0, max_digits=MAX_DIGITS, decimal_places=SCALE)
]
"""A quantity or amount that may be zero but never negative."""

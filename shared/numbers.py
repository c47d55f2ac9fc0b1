"""Decimal conventions: the one place that sets the scale of quantities and money."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer

SCALE = 6
QUANTUM = Decimal(1).scaleb(-SCALE)
MAX_DIGITS = 24
"""Digits of the NUMERIC column on PostgreSQL (storage may hold sums beyond what one input holds)."""
INTEGER_DIGITS = 12
"""Digits before the point of any decimal a request may carry."""
LIMIT = Decimal(9) * Decimal(10) ** INTEGER_DIGITS
"""Every stored amount is strictly below this in absolute value, on both databases: the scaled
integer SQLite keeps must fit 64 bits; the headroom over one input holds running totals."""
MAX_INT = 2**31 - 1
"""The largest integer a request may carry (counts, days, minutes, versions)."""


class AmountOutOfRange(ValueError):
    """A computed amount does not fit the stored precision."""

    def __init__(self, value: Decimal) -> None:
        super().__init__(f"{value} is beyond the largest amount that can be stored ({LIMIT:,})")
        self.value = value


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
        text = str(value).strip()
        try:
            result = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(_why_not_a_decimal(text)) from exc
        if not result.is_finite():
            raise ValueError("must be a finite number")
        return result
    return value


_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")
_THOUSANDS_COMMAS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


def _why_not_a_decimal(text: str) -> str:
    # The clerk's habit of a decimal comma ("12,5") gets told how to write it instead.
    if _THOUSANDS_COMMAS.fullmatch(text) and "." in text:
        return f"'{text}' has thousands separators; write it without them: {text.replace(',', '')}"
    if _DECIMAL_COMMA.fullmatch(text):
        return f"'{text}' has a decimal comma; use a decimal point: {text.replace(',', '.')}"
    return "not a decimal number"


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

BoundedDecimal = Annotated[
    DecimalValue, Field(max_digits=INTEGER_DIGITS + SCALE, decimal_places=SCALE)
]
"""A decimal a request may carry: at most 12 integer digits and 6 decimals, of either sign."""

PositiveQuantity = Annotated[BoundedDecimal, Field(gt=0)]
"""A quantity that must be greater than zero."""

NonNegativeQuantity = Annotated[BoundedDecimal, Field(ge=0)]
"""A quantity or amount that may be zero but never negative."""

NonNegativeInt = Annotated[int, Field(ge=0, le=MAX_INT)]
"""A count, number of days or minutes: zero or more, bounded so every database stores it."""

PositiveInt = Annotated[int, Field(ge=1, le=MAX_INT)]
"""A count of at least one, bounded so every database stores it."""

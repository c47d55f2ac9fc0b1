"""Instants and dates as clerks write them: a date is the start of that day at the plant.

Every body field and query parameter that takes an instant uses `PlantDateTime`, every one that
takes a calendar day uses `PlantDate`. Both refuse numbers: pydantic would otherwise read `0` as
the Unix epoch, and an order typed with a number would fall due on 1 January 1970.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

DEFAULT_PLANT_TIMEZONE = "UTC"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EXAMPLE = "write it as 2026-12-03 or 2026-12-03T08:00:00Z"

_plant_zone: tzinfo = UTC


def plant_zone(name: str) -> ZoneInfo:
    """The IANA time zone of that name; ValueError if there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {name!r} (use an IANA name such as Europe/Paris)"
        ) from exc


def use_plant_timezone(name: str) -> None:
    """Read plain dates and times without a zone in this time zone from now on."""
    global _plant_zone
    _plant_zone = UTC if name == DEFAULT_PLANT_TIMEZONE else plant_zone(name)


def plant_timezone() -> tzinfo:
    """The time zone plain dates and times without a zone are read in."""
    return _plant_zone


def start_of_day(day: date) -> datetime:
    """Midnight at the plant on that day, in UTC."""
    return datetime.combine(day, time(), tzinfo=_plant_zone).astimezone(UTC)


def _refuse_numbers(value: Any) -> None:
    if isinstance(value, (bool, int, float)):
        raise ValueError(f"a number is not a date or time; {_EXAMPLE}")


def _parse_instant(value: Any) -> Any:
    _refuse_numbers(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return start_of_day(value)
    if not isinstance(value, str):
        raise ValueError(f"not a date or time; {_EXAMPLE}")
    text = value.strip()
    # The extended form only: "20261203" or "0.5" are numbers to a clerk, not dates.
    if not _ISO_DATE.match(text):
        raise ValueError(f"not a date or time; {_EXAMPLE}")
    try:
        if len(text) == 10:
            return start_of_day(date.fromisoformat(text))
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"not a valid date or time ({exc}); {_EXAMPLE}") from exc


def _in_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=_plant_zone)
    return value.astimezone(UTC)


def _parse_day(value: Any) -> Any:
    _refuse_numbers(value)
    if isinstance(value, datetime):
        return _in_plant_day(value)
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError("not a date; write it as 2026-12-03")
    text = value.strip()
    if not _ISO_DATE.match(text):
        raise ValueError("not a date; write it as 2026-12-03")
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return _in_plant_day(datetime.fromisoformat(text))
    except ValueError as exc:
        raise ValueError(f"not a valid date ({exc}); write it as 2026-12-03") from exc


def _in_plant_day(value: datetime) -> date:
    if value.tzinfo is None:
        return value.date()
    return value.astimezone(_plant_zone).date()


PlantDateTime = Annotated[
    datetime,
    BeforeValidator(_parse_instant),
    AfterValidator(_in_utc),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": "An ISO 8601 date and time (2026-12-03T08:00:00Z); a plain date "
            "(2026-12-03) means the start of that day, and a time without a zone is read, in the "
            "plant's time zone. Numbers are refused.",
        }
    ),
]
"""An instant: ISO 8601 date-time or plain date (start of that day at the plant), held in UTC."""

PlantDate = Annotated[
    date,
    BeforeValidator(_parse_day),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": "An ISO 8601 date (2026-12-03); a date and time is taken as its day "
            "in the plant's time zone. Numbers are refused.",
        }
    ),
]
"""A calendar day: ISO 8601 date, or a date-time taken as its day at the plant."""


def example_day(days_ahead: int) -> str:
    """A day so many days after today, for documented examples: an example dated in the past
    would plan, order or book into the past when tried."""
    return (datetime.now(UTC).date() + timedelta(days=days_ahead)).isoformat()


def example_instant(days_ahead: int, hour: int) -> str:
    """An instant at that hour (UTC) so many days after today, for documented examples."""
    day = datetime.now(UTC).date() + timedelta(days=days_ahead)
    return datetime.combine(day, time(hour), tzinfo=UTC).isoformat().replace("+00:00", "Z")

"""Plain dates, zones and numbers where instants and days are asked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from shared.settings import Settings
from shared.timestamps import PlantDate, PlantDateTime, use_plant_timezone

INSTANT = TypeAdapter(PlantDateTime)
DAY = TypeAdapter(PlantDate)


@pytest.fixture
def paris() -> Iterator[None]:
    use_plant_timezone("Europe/Paris")
    yield
    use_plant_timezone("UTC")


def test_a_plain_date_is_the_start_of_that_day_in_utc_by_default() -> None:
    assert INSTANT.validate_json('"2026-12-03"') == datetime(2026, 12, 3, tzinfo=UTC)


def test_a_plain_date_is_the_start_of_that_day_at_the_plant(paris: None) -> None:
    assert INSTANT.validate_python("2026-12-03") == datetime(2026, 12, 2, 23, tzinfo=UTC)
    assert INSTANT.validate_python("2026-07-03") == datetime(2026, 7, 2, 22, tzinfo=UTC)


def test_a_time_without_a_zone_is_read_at_the_plant(paris: None) -> None:
    assert INSTANT.validate_python("2026-12-03T08:00:00") == datetime(2026, 12, 3, 7, tzinfo=UTC)
    assert INSTANT.validate_python("2026-12-03T08:00:00Z") == datetime(2026, 12, 3, 8, tzinfo=UTC)


@pytest.mark.parametrize("number", [0, 0.5, 1764547200, True, "0", "0.5", "20261203"])
def test_numbers_are_not_instants(number: object) -> None:
    with pytest.raises(ValidationError, match="not a date"):
        INSTANT.validate_json(json.dumps(number))


@pytest.mark.parametrize("number", [0, 19000, "0", "20261203"])
def test_numbers_are_not_days(number: object) -> None:
    with pytest.raises(ValidationError, match="not a date"):
        DAY.validate_json(json.dumps(number))


def test_an_impossible_date_is_refused_with_the_reason() -> None:
    with pytest.raises(ValidationError, match="day is out of range"):
        INSTANT.validate_python("2026-02-30")


def test_a_date_time_given_for_a_day_is_its_day_at_the_plant(paris: None) -> None:
    assert DAY.validate_python("2026-12-03") == date(2026, 12, 3)
    assert DAY.validate_python("2026-12-03T23:30:00Z") == date(2026, 12, 4)


def test_the_json_schema_is_a_date_time_string_that_says_a_date_is_accepted() -> None:
    class Window(BaseModel):
        start: PlantDateTime
        end: PlantDateTime | None = Field(None)
        day: PlantDate

    properties = Window.model_json_schema()["properties"]
    assert properties["start"]["type"] == "string"
    assert properties["start"]["format"] == "date-time"
    assert "plain date" in properties["start"]["description"]
    assert properties["day"]["format"] == "date"


def test_an_unknown_plant_timezone_is_refused_by_the_settings() -> None:
    with pytest.raises(ValidationError, match="unknown time zone"):
        Settings(plant_timezone="Mars/Olympus")

"""Optimistic concurrency for updates: ETag from a version number, If-Match checked against it."""

from __future__ import annotations

from fastapi import Response

from shared.errors import PreconditionFailed, PreconditionRequired


def etag(version: int) -> str:
    """The ETag of a resource version."""
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    """Put the resource's version in the ETag header."""
    response.headers["ETag"] = etag(version)


def check_if_match(if_match: str | None, version: int) -> None:
    """Refuse an update made against another version than the current one."""
    if if_match is None:
        raise PreconditionRequired("Send If-Match with the ETag you read, to update safely.")
    wanted = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" not in wanted and etag(version) not in wanted:
        raise PreconditionFailed(
            f"The resource changed: it is now at version {version}.", current_etag=etag(version)
        )

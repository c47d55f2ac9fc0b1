"""Static assets of the pages, served by each service from installed package data."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from fastapi import APIRouter
from fastapi.responses import Response

from shared.errors import NotFound

ASSETS_PATH = "/pages/assets"
"""Where every service serves the page assets."""

CACHE_CONTROL = "public, max-age=3600"

MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def _htmx() -> Traversable:
    # htmx as published, shipped inside the django-js-lib-htmx wheel (plain files, no Django).
    return resources.files("js_lib_htmx").joinpath("static", "htmx", "htmx.min.js")


class AssetShelf:
    """The files a page may load, by the name it loads them under."""

    def __init__(self) -> None:
        self.files: dict[str, Traversable] = {"htmx.min.js": _htmx()}
        self.add_folder(resources.files("shared.pages").joinpath("static"))

    def add_folder(self, folder: Traversable) -> None:
        """Serve every .js and .css file of a package folder under its own name."""
        for entry in folder.iterdir():
            if entry.is_file() and entry.name.endswith(tuple(MEDIA_TYPES)):
                self.files[entry.name] = entry

    def response(self, name: str) -> Response:
        """The asset, or NotFound."""
        entry = self.files.get(name)
        if entry is None:
            raise NotFound(f"No page asset named '{name}'.")
        media_type = MEDIA_TYPES[name[name.rindex(".") :]]
        return Response(
            entry.read_bytes(), media_type=media_type, headers={"Cache-Control": CACHE_CONTROL}
        )


def assets_router(*folders: Traversable) -> APIRouter:
    """Routes serving htmx, the shared page script and style, and the service's own assets."""
    shelf = AssetShelf()
    for folder in folders:
        shelf.add_folder(folder)
    router = APIRouter(tags=["pages"], include_in_schema=False)

    @router.get(ASSETS_PATH + "/{name}")
    async def page_asset(name: str) -> Response:
        return shelf.response(name)

    return router


def asset_url(name: str) -> str:
    """The path a page loads an asset from."""
    return f"{ASSETS_PATH}/{name}"

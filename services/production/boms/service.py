"""Use cases of bills of materials."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.production.boms.models import Bom, BomComponent
from services.production.boms.schemas import BomCreate
from services.production.catalog.models import KnownItem
from services.production.database import outbox
from services.production.domain.bom import (
    BomSpec,
    ComponentSpec,
    ExplodedLine,
    Usage,
    explode,
    find_cycle,
    where_used,
)
from services.production.events import BomLine, BomPublished
from shared.db import new_id, utcnow
from shared.dependencies import PageParams
from shared.errors import InvalidInput, NotFound
from shared.queries import fetch_page, get_one, refuse_unknown_codes


def today() -> date:
    """The current date in UTC."""
    return utcnow().date()


def spec_of(bom: Bom) -> BomSpec:
    """The pure structure of a stored BOM."""
    return BomSpec(
        product_sku=bom.product_sku,
        output_quantity=bom.output_quantity,
        bom_id=bom.id,
        version=bom.version,
        components=[ComponentSpec(c.sku, c.quantity, c.scrap_factor) for c in bom.components],
    )


async def unknown_skus(session: AsyncSession, skus: list[str]) -> list[str]:
    """The skus production has never heard of from inventory."""
    known = set(
        (await session.execute(select(KnownItem.sku).where(KnownItem.sku.in_(skus)))).scalars()
    )
    return sorted(set(skus) - known)


async def refuse_unknown_skus(session: AsyncSession, skus: list[str]) -> None:
    """422 naming the skus production has never heard of, suggesting the known sku that differs
    only in case."""
    await refuse_unknown_codes(session, KnownItem.sku, skus, "sku", "unknown_skus")


class BomHistory:
    """Every stored version of every BOM, read once, to ask which applies to a product when."""

    def __init__(self, boms: list[Bom]) -> None:
        self._versions: dict[str, list[Bom]] = {}
        for bom in sorted(boms, key=lambda b: b.version, reverse=True):
            self._versions.setdefault(bom.product_sku, []).append(bom)

    def structure_on(self, on: date) -> dict[str, BomSpec]:
        """The BOM that applies on a date for every product that has one."""
        chosen = {sku: self.version_on(sku, on) for sku in self._versions}
        return {sku: spec_of(bom) for sku, bom in chosen.items() if bom is not None}

    def changes_after(self, on: date) -> set[date]:
        """The dates after `on` from which some product's BOM version applies."""
        return {
            b.effective_from
            for versions in self._versions.values()
            for b in versions
            if b.effective_from > on
        }

    def version_on(self, product_sku: str, on: date) -> Bom | None:
        """The highest version of a product's BOM effective on a date, if any."""
        return next(
            (b for b in self._versions.get(product_sku, ()) if b.effective_from <= on), None
        )


async def bom_history(session: AsyncSession) -> BomHistory:
    """Every BOM version, for questions about one date or several."""
    return BomHistory(list((await session.execute(select(Bom))).scalars()))


async def effective_structure(session: AsyncSession, on: date | None = None) -> dict[str, BomSpec]:
    """The BOM that applies on a date (default today) for every product that has one."""
    return (await bom_history(session)).structure_on(on or today())


def _check_no_cycle(history: BomHistory, new: BomSpec, effective_from: date) -> None:
    # The new version applies from its date on, until forever (it is the highest version), while the
    # other products' versions change on their own dates: check the structure at each of those dates.
    dates = {effective_from} | history.changes_after(effective_from)
    for on in sorted(dates):
        structure = history.structure_on(on)
        structure[new.product_sku] = new
        path = find_cycle(new.product_sku, structure)
        if path:
            raise InvalidInput(
                f"{new.product_sku} would contain itself: {' -> '.join(path)}.", cycle=path
            )


async def create_bom(session: AsyncSession, data: BomCreate) -> Bom:
    """Store a new version of a product's BOM whose skus are all known items, and publish it."""
    skus = [line.sku for line in data.components]
    duplicates = sorted({s for s in skus if skus.count(s) > 1})
    if duplicates:
        raise InvalidInput(
            f"A sku appears twice: {', '.join(duplicates)}.", duplicate_skus=duplicates
        )
    await refuse_unknown_skus(session, [data.product_sku, *skus])
    effective_from = data.effective_from or today()
    spec = BomSpec(
        product_sku=data.product_sku,
        output_quantity=data.output_quantity,
        components=[ComponentSpec(c.sku, c.quantity, c.scrap_factor) for c in data.components],
    )
    _check_no_cycle(await bom_history(session), spec, effective_from)
    latest = await session.execute(
        select(func.max(Bom.version)).where(Bom.product_sku == data.product_sku)
    )
    bom = Bom(
        id=new_id(),
        product_sku=data.product_sku,
        version=(latest.scalar() or 0) + 1,
        output_quantity=data.output_quantity,
        effective_from=effective_from,
        created_at=utcnow(),
        components=[
            BomComponent(
                position=n, sku=line.sku, quantity=line.quantity, scrap_factor=line.scrap_factor
            )
            for n, line in enumerate(data.components)
        ],
    )
    session.add(bom)
    await session.flush()
    await outbox.record(
        session,
        BomPublished(
            bom_id=bom.id,
            product_sku=bom.product_sku,
            version=bom.version,
            output_quantity=bom.output_quantity,
            effective_from=bom.effective_from,
            components=[
                BomLine(sku=c.sku, quantity=c.quantity, scrap_factor=c.scrap_factor)
                for c in bom.components
            ],
        ),
        bom.id,
    )
    return bom


async def get_bom(session: AsyncSession, bom_id: str) -> Bom:
    """A BOM by id, or NotFound."""
    return await get_one(session, Bom, bom_id, f"No BOM with id '{bom_id}'.", bom_id=bom_id)


async def list_boms(
    session: AsyncSession, page: PageParams, product_sku: str | None = None
) -> tuple[list[Bom], int]:
    """BOMs by product and version (newest version first), one page, and how many match."""
    query = select(Bom)
    if product_sku:
        query = query.where(Bom.product_sku == product_sku)
    return await fetch_page(session, query, page, Bom.product_sku, Bom.version.desc())


async def effective_bom(session: AsyncSession, product_sku: str, on: date | None = None) -> Bom:
    """The version of a product's BOM that applies on a date (default today), or NotFound."""
    on = on or today()
    row = await session.execute(
        select(Bom)
        .where(Bom.product_sku == product_sku, Bom.effective_from <= on)
        .order_by(Bom.version.desc())
        .limit(1)
    )
    bom = row.scalar_one_or_none()
    if bom is None:
        raise NotFound(
            f"{product_sku} has no BOM effective on {on.isoformat()}.", product_sku=product_sku
        )
    return bom


async def explosion(
    session: AsyncSession, product_sku: str, quantity: Decimal, on: date | None = None
) -> tuple[Bom, list[ExplodedLine]]:
    """The effective BOM of a product and the multi-level explosion of a quantity of it."""
    on = on or today()
    bom = await effective_bom(session, product_sku, on)
    structure = await effective_structure(session, on)
    return bom, explode(product_sku, quantity, structure)


async def usages(session: AsyncSession, sku: str, on: date | None = None) -> list[Usage]:
    """Where an item is used, through every level of the BOMs effective on a date."""
    return where_used(sku, await effective_structure(session, on))

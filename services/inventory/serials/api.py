"""HTTP routes of serials."""

from __future__ import annotations

from fastapi import APIRouter

from services.inventory.serials import service
from services.inventory.serials.schemas import SerialMovementRead, SerialRead
from shared.auth import require_scope
from shared.dependencies import ReadSessionDep

router = APIRouter(prefix="/api/v1/serials", tags=["stock"])
READ = [require_scope("inventory:read")]


@router.get(
    "/{sku}/{serial}",
    dependencies=READ,
    response_model=SerialRead,
    responses={404: {"description": "The sku never had the serial (`not-found` problem)."}},
)
async def get_serial(sku: str, serial: str, session: ReadSessionDep) -> SerialRead:
    """Where a serial is and every movement of it; 404 if the sku never had it."""
    history = await service.serial_history(session, sku, serial)
    unit = history.serial
    return SerialRead(
        sku=unit.sku,
        serial=unit.serial,
        status=unit.status,  # type: ignore[arg-type]
        warehouse=unit.warehouse,
        location=unit.location or None,
        lot=unit.lot or None,
        movements=[
            SerialMovementRead(
                movement_id=m.movement_id,
                kind=m.kind,
                reference=m.reference,
                warehouse=m.warehouse,
                location=m.location or None,
                status=m.status,  # type: ignore[arg-type]
                recorded_at=m.recorded_at,
            )
            for m in history.movements
        ],
    )

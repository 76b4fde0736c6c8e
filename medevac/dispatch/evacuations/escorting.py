"""The officer's own unarmed aircraft for a line 6 X pickup flies with an armed escort.

When a dispatcher tasks an aircraft of their choice (approve with another asset, or reassign) and
that aircraft is an unarmed helicopter, the engine judges the choice with every armed helicopter
free to escort beside it, and pairs the one that keeps the carrier waiting least (as it does for
its own recommendations). Where none can cover the landing zone the choice is refused, naming the
field, unless the officer says to go without one (`without_escort`): then the evacuation carries
an `unescorted` warning and the audit log an `evacuation.unescorted` entry.
"""

from datetime import datetime

import asyncpg

from medevac.dispatch.engine.model import Plan, Snapshot
from medevac.dispatch.evacuations.machine import LIVE
from medevac.dispatch.planning import snapshot as snapshots
from medevac.errors import DomainError, FieldError

# Free to escort: an armed helicopter, available or returning, neither a live carrier nor a live escort.
FREE_ESCORTS = snapshots.ASSETS.replace(
    "ORDER BY a.id",
    "AND a.armed AND a.kind = 'helicopter' AND a.status IN ('available', 'returning') "
    "AND e.id IS NULL ORDER BY a.id")
if FREE_ESCORTS == snapshots.ASSETS:  # fail at start-up, never offer a busy or unarmed aircraft as an escort
    raise RuntimeError("the planner's asset query changed: update escorting.FREE_ESCORTS")
UNESCORTED = {"code": "unescorted",
              "message": "line 6 X pickup flown without an armed escort, by the officer's decision"}


def needs_escort(security: str | None, asset) -> bool:
    return security == "X" and asset.kind == "helicopter" and not asset.armed


async def with_escorts(conn: asyncpg.Connection, single: Snapshot, mission_id, carrier_id,
                       now: datetime) -> Snapshot:
    """The one-choice snapshot with every armed helicopter free to escort added beside the carrier."""
    rows = await conn.fetch(FREE_ESCORTS, mission_id, list(LIVE), None)
    # Escorts only: no room aboard, so the engine cannot swap the officer's carrier for one of them.
    escorts = [snapshots.asset_from(r, now).model_copy(update={"litters": 0, "seats": 0}) for r in rows
               if r["id"] != carrier_id and r["escorting_until"] is None and not snapshots.held_out(r)]
    return single.model_copy(update={"assets": [*single.assets, *escorts]})


def unescorted(single: Snapshot) -> Snapshot:
    """The snapshot the engine judges a flight without an escort on: the pickup as line 6 E
    (enemy, approach with caution), since the officer takes the X risk on themselves."""
    return single.model_copy(update={"patients": [
        p.model_copy(update={"security": "E"}) if p.security == "X" else p for p in single.patients]})


def escort_of(plan: Plan, carrier_id: str, callsign: str) -> str:
    """The escort the engine paired with the carrier, or a 422 naming the field when it pairs none."""
    sortie = next((s for s in plan.sorties if s.asset_id == carrier_id), None)
    if sortie is not None and sortie.escort is not None:
        return sortie.escort.asset_id
    reasons = sorted(set(plan.unassigned.values()))
    escort = [r for r in reasons if "escort" in r or "armed" in r]
    why = (f"none can cover it ({escort[0]})" if escort
           else f"the engine cannot plan this flight ({'; '.join(reasons) or 'unknown'}), so it cannot pair one")
    raise DomainError(
        f"{callsign} is unarmed and line 6 says X: it needs an armed escort over the landing zone, and {why}. "
        "Choose an armed aircraft, or send without_escort: true to go without one.",
        [FieldError("asset_id", f"{callsign} is unarmed and no armed escort can be paired for this line 6 X pickup"),
         FieldError("without_escort", "set to true to fly it without an escort (recorded in the audit log)")])

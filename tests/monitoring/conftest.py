"""Arranging evacuation history behind the API's back: rows with chosen times, for exact checks."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tests import factories

T0 = datetime(2025, 3, 1, 6, 0, tzinfo=timezone.utc)


class History:
    """Writes requests, casualties and evacuations of one mission with explicit stage times."""

    def __init__(self, db, mission_id, facility_id, asset_id):
        self.db, self.mission_id, self.facility_id, self.asset_id = db, mission_id, facility_id, asset_id

    async def casualty(self, precedence: str, injured: datetime | None, called: datetime,
                       stages_min: tuple[float, float, float, float] | None, casualty_injured: datetime | None = None):
        """stages_min: minutes call→tasked, tasked→airborne, airborne→pickup, pickup→handover (None: still waiting)."""
        request_id = uuid.uuid4()
        await self.db.execute(
            """INSERT INTO evac_requests (id, mission_id, status, pickup_lat, pickup_lon, called_at, injured_at,
                   source, nine_line, created_by) VALUES ($1, $2, $3, 6.6, 22.0, $4, $5, 'json', '{}', 'test')""",
            request_id, self.mission_id, "handed_over" if stages_min else "open", called, injured)
        evacuation_id = None
        if stages_min:
            stamps, at = [], called
            for minutes in stages_min:
                at = at + timedelta(minutes=minutes)
                stamps.append(at)
            evacuation_id = uuid.uuid4()
            await self.db.execute(
                """INSERT INTO evacuations (id, mission_id, request_id, asset_id, facility_id, state, approval,
                       approved_by, recommended, precedence, asset_kind, beds_reserved, tasked_at, airborne_at,
                       at_pickup_at, loaded_at, handed_over_at, completed_at)
                   VALUES ($1, $2, $3, $4, $5, 'complete', 'manual', 'test', true, $6, 'helicopter', 1,
                           $7, $8, $9, $9, $10, $10)""",
                evacuation_id, self.mission_id, request_id, self.asset_id, self.facility_id, precedence, *stamps)
        await self.db.execute(
            """INSERT INTO casualties (id, request_id, mission_id, ordinal, precedence, patient_type, injured_at,
                   status, evacuation_id, handed_over_at) VALUES ($1, $2, $3, 1, $4, 'litter', $5, $6, $7, $8)""",
            uuid.uuid4(), request_id, self.mission_id, precedence, casualty_injured,
            "handed_over" if stages_min else "waiting", evacuation_id, stamps[-1] if stages_min else None)
        return request_id


@pytest.fixture
async def history(db, mission):
    seeded = await factories.theatre(db, mission.id, helicopters=1, level_i=False, level_ii=factories.LEVEL_II | {
        "capabilities": ["resuscitation", "damage_control_surgery"]})
    return History(db, mission.id, seeded.level_ii.id, seeded.helos[0].id)

from datetime import UTC, datetime

from medevac.dispatch.engine import AssetState, FacilityState, Snapshot
from medevac.dispatch.engine.coverage import coverage

NOON = datetime(2024, 3, 10, 11, 0, tzinfo=UTC)
MIDNIGHT = datetime(2024, 3, 10, 23, 0, tzinfo=UTC)


def _snapshot(night_capable: bool) -> Snapshot:
    l2 = FacilityState(id="l2", name="L2", level=2, location={"lat": 6.5, "lon": 22.0},
                       capabilities=["resuscitation", "surgery"], beds=10, icu_beds=1, operating_tables=1,
                       helipad=True, night_landing=True, refuel=True)
    l1 = FacilityState(id="l1", name="L1", level=1, location={"lat": 7.5, "lon": 22.0},
                       capabilities=["resuscitation"], beds=5, icu_beds=0, operating_tables=0,
                       helipad=True, night_landing=True, refuel=True)
    helo = AssetState(id="h", callsign="H", kind="helicopter", role="medevac", base={"lat": 6.5, "lon": 22.0},
                      cruise_kmh=220, range_km=600, litters=4, seats=4, night_capable=night_capable,
                      hoist=False, armed=False, notice_to_move_min={"day": 15, "night": 30})
    return Snapshot(now=NOON, patients=[], assets=[helo], facilities=[l2, l1])


def test_coverage_is_faster_near_care_and_slower_or_absent_at_night():
    day = coverage(_snapshot(True), 6.5, 22.0, 7.5, 22.5, step_km=50, at=NOON)
    assert len(day.cells) >= 4
    near = min(day.cells, key=lambda c: abs(c.lat - 6.5) + abs(c.lon - 22.0))
    far = max(day.cells, key=lambda c: abs(c.lat - 6.5) + abs(c.lon - 22.0))
    assert near.surgery_min < far.surgery_min
    assert all(c.resuscitation_min <= c.surgery_min for c in day.cells)
    night = coverage(_snapshot(True), 6.5, 22.0, 7.5, 22.5, step_km=50, at=MIDNIGHT)
    assert night.cells[0].surgery_min > day.cells[0].surgery_min  # longer notice to move at night
    day_only = coverage(_snapshot(False), 6.5, 22.0, 7.5, 22.5, step_km=50, at=MIDNIGHT)
    assert all(c.surgery_min is None or c.surgery_min > 300 for c in day_only.cells)

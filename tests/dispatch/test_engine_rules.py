"""Time-independent hard rules and the travel model's arithmetic."""

from datetime import UTC, datetime

from medevac.dispatch.engine import rules
from medevac.dispatch.engine.model import AssetState, FacilityState, Patient
from medevac.dispatch.engine.travel import Launch, Timeline, TravelModel
from medevac.dispatch.scenario import Location

NOON = datetime(2019, 11, 12, 12, 0, tzinfo=UTC)
GAO = {"lat": 16.25, "lon": 0.0}


def asset(**over) -> AssetState:
    base = dict(id="h1", callsign="H1", kind="helicopter", role="medevac", base=GAO, cruise_kmh=240,
                range_km=600, litters=4, seats=4, night_capable=True, hoist=False, armed=False,
                notice_to_move_min={"day": 20, "night": 30})
    return AssetState(**{**base, **over})


def facility(**over) -> FacilityState:
    base = dict(id="f1", name="F1", level=2, location={"lat": 17.0, "lon": 0.5},
                capabilities=["resuscitation", "surgery"], beds=5, icu_beds=1, operating_tables=1,
                helipad=True, night_landing=True, refuel=True)
    return FacilityState(**{**base, **over})


def patient(**over) -> Patient:
    base = dict(id="p1", request_id="r1", injured_at=NOON, reported_at=NOON, location={"lat": 16.8, "lon": 0.2},
                precedence="A", patient_type="litter")
    return Patient(**{**base, **over})


def test_line_four_and_six_need_hoist_ventilator_crew_and_arms():
    assert rules.asset_rejects(asset(), patient(special_equipment="B")) == "no hoist"
    assert rules.asset_rejects(asset(hoist=True), patient(special_equipment="B")) is None
    assert rules.asset_rejects(asset(role="casevac"), patient(special_equipment="D"))
    assert rules.asset_rejects(asset(), patient(security="X")) == "pickup needs an armed asset"
    assert rules.asset_rejects(asset(litters=0), patient()) == "no litter space"


def test_facility_must_offer_the_care_of_the_precedence_and_the_needs():
    level_one = facility(capabilities=["resuscitation"], operating_tables=0)
    assert rules.facility_rejects(level_one, patient(precedence="B")) == "facility lacks surgery"
    assert rules.facility_rejects(level_one, patient(precedence="A")) is None
    assert rules.facility_rejects(level_one, patient(precedence="D", needs=["ct"])) == "facility lacks ct"
    assert rules.facility_rejects(facility(status="closed"), patient()) == "facility closed"


def test_fixed_wing_needs_airfields_and_helicopters_helipads():
    plane = asset(kind="fixed_wing")
    assert rules.landing_rejects(plane, facility(refuel=False, level=2)) == "facility has no airfield"
    assert rules.landing_rejects(asset(), facility(helipad=False)) == "facility has no helipad"
    far = Location(lat=18.0, lon=2.0)
    assert rules.pickup_rejects(plane, far, [facility()]) == "no airfield at the pickup"


def test_capacity_lets_walking_patients_use_spare_litters():
    helo = asset(litters=2, seats=1)
    assert rules.fits_aboard(helo, 2, 1) and rules.fits_aboard(helo, 0, 3)
    assert not rules.fits_aboard(helo, 3, 0) and not rules.fits_aboard(helo, 1, 3)


def test_timeline_adds_notice_to_move_flight_load_and_unload():
    travel = TravelModel(NOON, road_factor=1.3, load_min=10, unload_min=10)
    helo, site, dest = asset(), Location(lat=16.8, lon=0.2), facility()
    line = travel.timeline(helo, Launch(helo.base, 0, at_base=True), site, dest)
    assert isinstance(line, Timeline)
    assert line.wheels_up == 20 * 60
    out_s = travel.flight(helo, helo.base, site)[1]
    in_s = travel.flight(helo, site, dest.location)[1]
    assert line.at_pickup == line.wheels_up + out_s
    assert line.handover == line.at_pickup + 600 + in_s + 600
    assert line.back_at_base is None  # it refuels at the facility


def test_range_counts_the_way_home_when_the_facility_cannot_refuel():
    travel = TravelModel(NOON, 1.3, 10, 10)
    helo, site = asset(range_km=200), Location(lat=16.8, lon=0.2)
    assert isinstance(travel.timeline(helo, Launch(helo.base, 0, True), site, facility()), Timeline)
    verdict = travel.timeline(helo, Launch(helo.base, 0, True), site, facility(refuel=False))
    assert isinstance(verdict, str) and verdict.startswith("out of range")


def test_day_only_asset_waits_for_daylight_and_ground_ignores_the_dark():
    midnight = datetime(2019, 11, 12, 0, 0, tzinfo=UTC)
    travel = TravelModel(midnight, 1.3, 10, 10)
    day_only, site = asset(night_capable=False), Location(lat=16.8, lon=0.2)
    line = travel.timeline(day_only, Launch(day_only.base, 0, True), site, facility())
    assert isinstance(line, Timeline) and line.wheels_up > 4 * 3600
    ambulance = asset(kind="ground", cruise_kmh=40, night_capable=False)
    line = travel.timeline(ambulance, Launch(ambulance.base, 0, True), site, facility())
    assert isinstance(line, Timeline) and line.tasked_at == 0

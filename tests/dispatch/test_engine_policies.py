"""No policy ever breaks a hard rule, on generated snapshots; explanations say why."""

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medevac import geo
from medevac.dispatch.engine import AssetState, FacilityState, Patient, Plan, Snapshot, get_policy
from medevac.dispatch.scenario import Location

T0 = datetime(2024, 3, 10, 0, 0, tzinfo=UTC)
CAPABILITIES = [["resuscitation"], ["resuscitation", "blood"],
                ["resuscitation", "damage_control_surgery", "surgery", "icu", "blood"]]


def _point(draw, spread: float = 2.0) -> dict:
    return {"lat": round(6 + draw(st.floats(0, spread)), 3), "lon": round(20 + draw(st.floats(0, spread)), 3)}


@st.composite
def snapshots(draw) -> Snapshot:
    now = T0 + timedelta(minutes=draw(st.integers(0, 24 * 60)))
    facilities = []
    for i in range(draw(st.integers(1, 4))):
        caps = draw(st.sampled_from(CAPABILITIES))
        facilities.append(FacilityState(
            id=f"f{i}", name=f"F{i}", level=1 + (len(caps) > 2), location=_point(draw), capabilities=caps,
            beds=draw(st.integers(0, 6)), icu_beds=0, operating_tables=int("surgery" in caps),
            helipad=draw(st.booleans()), night_landing=draw(st.booleans()), refuel=draw(st.booleans()),
            status=draw(st.sampled_from(["open", "open", "closed"])),
        ))
    assets = []
    for i in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["helicopter", "helicopter", "ground", "fixed_wing"]))
        busy = draw(st.booleans())
        assets.append(AssetState(
            id=f"a{i}", callsign=f"A{i}", kind=kind, role=draw(st.sampled_from(["medevac", "casevac"])),
            base=_point(draw), cruise_kmh=draw(st.sampled_from([40, 220, 480])),
            range_km=draw(st.sampled_from([150, 400, 800])), litters=draw(st.integers(0, 4)),
            seats=draw(st.integers(0, 4)), night_capable=draw(st.booleans()), hoist=draw(st.booleans()),
            armed=draw(st.booleans()), notice_to_move_min={"day": 15, "night": 30},
            status=draw(st.sampled_from(["available", "available", "maintenance", "weather_hold"])),
            free_at=now + timedelta(minutes=draw(st.integers(1, 120))) if busy else None,
        ))
    patients = []
    for i in range(draw(st.integers(1, 8))):
        injured = now - timedelta(minutes=draw(st.integers(0, 90)))
        site = _point(draw) if i == 0 or draw(st.booleans()) else patients[-1].location.model_dump()
        patients.append(Patient(
            id=f"p{i}", request_id=f"r{site['lat']},{site['lon']}", injured_at=injured, reported_at=injured,
            location=site, precedence=draw(st.sampled_from("ABCDE")),
            patient_type=draw(st.sampled_from(["litter", "ambulatory"])),
            security=draw(st.sampled_from("NPEX")), special_equipment=draw(st.sampled_from("ABCD")),
        ))
    return Snapshot(now=now, patients=patients, assets=assets, facilities=facilities)


def _km(asset, a, b) -> float:
    km = geo.distance_km(a.lat, a.lon, b.lat, b.lon)
    return km * 1.3 if asset.kind == "ground" else km


def _covered(s, assets, patient_id: str) -> bool:
    """An armed escort over the patient's landing zone from the carrier's landing to its lift-off."""
    e = s.escort
    where, landed, lifts = next(((stop.location, stop.at, stop.depart) for stop in s.stops
                                 if patient_id in stop.patient_ids), (s.pickup, s.at_pickup, s.depart_pickup))
    return (e is not None and assets[e.asset_id].armed and e.asset_id != s.asset_id
            and any(v.location == where and v.at <= landed and v.leave >= lifts for v in e.visits))


def broken_rules(snapshot: Snapshot, plan: Plan) -> list[str]:
    """An independent reading of DESIGN §2's hard rules (no engine code)."""
    assets = {a.id: a for a in snapshot.assets}
    facilities = {f.id: f for f in snapshot.facilities}
    patients = {p.id: p for p in snapshot.patients}
    beds = {f.id: f.beds for f in snapshot.facilities}
    seen: set[str] = set()
    broken = []
    for s in plan.sorties:
        a, f = assets[s.asset_id], facilities[s.facility_id]
        aboard = [patients[p] for p in s.patient_ids]
        if a.status not in ("available", "tasked", "returning"):
            broken.append(f"{a.id} is {a.status}")
        if a.free_at and s.wheels_up < a.free_at:
            broken.append(f"{a.id} flies before it is free")
        if s.wheels_up < snapshot.now:
            broken.append("sortie in the past")
        litter = sum(p.patient_type == "litter" for p in aboard)
        if litter > a.litters or len(aboard) > a.litters + a.seats:
            broken.append(f"{a.id} over capacity")
        back = 0 if f.refuel else _km(a, f.location, a.base)
        start = s.start
        if s.refuel is not None:  # a tank to the refuelling facility, another from there
            start = s.refuel.location
            if _km(a, s.start, start) > a.range_km + 0.5 or not facilities[s.refuel.facility_id].refuel:
                broken.append(f"{a.id} out of range")
        path = [start, s.pickup, *(stop.location for stop in s.stops), f.location]
        if sum(_km(a, x, y) for x, y in zip(path, path[1:])) + back > a.range_km + 0.5:
            broken.append(f"{a.id} out of range")
        if f.status != "open":
            broken.append(f"{f.id} not open")
        if a.kind == "helicopter" and not f.helipad:
            broken.append(f"{f.id} has no helipad")
        stops = [(s.pickup, s.at_pickup), *((stop.location, stop.at) for stop in s.stops), (s.start, s.wheels_up)]
        dark = [geo.is_night(where.lat, where.lon, at) for where, at in stops]
        if a.kind != "ground" and not a.night_capable and any(dark):
            broken.append(f"{a.id} flies in the dark")
        landing_dark = geo.is_night(f.location.lat, f.location.lon, s.at_facility)
        if a.kind != "ground" and landing_dark and not (f.night_landing and a.night_capable):
            broken.append(f"{f.id} night landing")
        for p in aboard:
            if p.id in seen:
                broken.append(f"{p.id} carried twice")
            seen.add(p.id)
            boards = next((stop.location for stop in s.stops if p.id in stop.patient_ids), s.pickup)
            if geo.distance_km(p.location.lat, p.location.lon, boards.lat, boards.lon) > 0.5:  # its landing zone
                broken.append(f"{p.id} not at the pickup")
            if p.special_equipment == "B" and not a.hoist or p.security == "X" and not (a.armed or _covered(s, assets, p.id)):
                broken.append(f"{p.id} needs hoist/arms")
            if p.special_equipment == "D" and a.role != "medevac":
                broken.append(f"{p.id} needs a medical crew")
            if p.precedence == "A" and "resuscitation" not in f.capabilities:
                broken.append(f"{p.id} A to no resuscitation")
            if p.precedence == "B" and (f.operating_tables == 0 or "surgery" not in f.capabilities):
                broken.append(f"{p.id} B to no surgery")
        beds[f.id] -= len(aboard)
        if beds[f.id] < 0:
            broken.append(f"{f.id} over beds")
    return broken


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(snapshots(), st.sampled_from(["closest", "optimized", "hindsight"]))
def test_no_policy_breaks_a_hard_rule(snapshot, policy):
    plan = get_policy(policy).plan(snapshot, time_limit_s=0.5)
    assert broken_rules(snapshot, plan) == []
    planned = {pid for s in plan.sorties for pid in s.patient_ids}
    assert planned | set(plan.unassigned) == {p.id for p in snapshot.patients}
    assert not planned & set(plan.unassigned)


@settings(max_examples=15, deadline=None)
@given(snapshots())
def test_optimized_scores_at_least_the_dispatcher_rule(snapshot):
    closest = get_policy("closest").plan(snapshot, explain=False)
    optimized = get_policy("optimized").plan(snapshot, time_limit_s=0.5, explain=False)
    assert optimized.score >= closest.score - 1e-6


@settings(max_examples=15, deadline=None)
@given(snapshots())
def test_every_request_gets_a_recommendation_that_explains_itself(snapshot):
    plan = get_policy("optimized").plan(snapshot, time_limit_s=0.5)
    assert {r.request_id for r in plan.recommendations} == {p.request_id for p in snapshot.patients}
    for rec in plan.recommendations:
        assert len(rec.alternatives) <= 2 and all(alt.reason for alt in rec.alternatives)
        if rec.asset_id is not None:
            assert rec.wheels_up <= rec.at_pickup <= rec.at_facility and rec.margin_min is not None
        if not rec.on_time:
            assert rec.unservable_in_time
    assert Plan.model_validate_json(plan.model_dump_json()) == plan


def test_optimized_falls_back_to_closest_without_time():
    snapshot = _mass_casualty()
    plan = get_policy("optimized").plan(snapshot, time_limit_s=0.0)
    assert plan.fallback and plan.fallback_reason
    assert [s.patient_ids for s in plan.sorties] == [
        s.patient_ids for s in get_policy("closest").plan(snapshot).sorties]


def _mass_casualty() -> Snapshot:
    now = datetime(2024, 3, 10, 10, 0, tzinfo=UTC)
    level2 = FacilityState(id="l2", name="L2", level=2, location={"lat": 6.5, "lon": 22.0},
                           capabilities=CAPABILITIES[2], beds=20, icu_beds=2, operating_tables=2,
                           helipad=True, night_landing=True, refuel=True)
    helos = [AssetState(id=f"h{i}", callsign=f"H{i}", kind="helicopter", role="medevac", base={"lat": 6.5, "lon": 22.0},
                        cruise_kmh=220, range_km=600, litters=4, seats=4, night_capable=True, hoist=False,
                        armed=True, notice_to_move_min={"day": 15, "night": 30}) for i in range(3)]
    patients = [Patient(id=f"p{i}", request_id="r1", injured_at=now, reported_at=now, location={"lat": 7.0, "lon": 22.3},
                        precedence="AB"[i % 2], patient_type="litter") for i in range(10)]
    return Snapshot(now=now, patients=patients, assets=helos, facilities=[level2])


def test_a_request_nobody_can_reach_in_time_says_why_and_gives_the_best_late_option():
    snapshot = _mass_casualty()
    far = snapshot.model_copy(update={"patients": [p.model_copy(update={"location": Location(lat=8.3, lon=23.5)})
                                                   for p in snapshot.patients[:1]]})
    rec = get_policy("optimized").plan(far, time_limit_s=1.0).recommendations[0]
    assert not rec.on_time and "after the 60-min standard" in rec.unservable_in_time
    assert rec.best_late_option is not None and rec.best_late_option.margin_min < 0

"""Multi-pickup sorties from the routing library: taken where they pay, and only then."""

import json
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medevac.dispatch.engine import AssetState, FacilityState, Patient, Snapshot, get_policy
from medevac.dispatch.engine.context import PlanningContext
from medevac.dispatch.engine.greedy import greedy_choices
from medevac.dispatch.engine.policies import Optimized, _finish
from medevac.dispatch.engine.routing import clustered_sites, routing_choices
from medevac.dispatch.scenario import Location, Scenario
from medevac.dispatch.simulator import simulate
from medevac.dispatch.tracecheck import check
from tests.dispatch.test_engine_policies import broken_rules, snapshots

NOW = datetime(2024, 3, 10, 8, 0, tzinfo=UTC)  # mid-morning over the Central African Republic
LEVEL_II = FacilityState(id="l2", name="L2", level=2, location={"lat": 6.5, "lon": 22.0},
                         capabilities=["resuscitation", "damage_control_surgery", "surgery", "blood"], beds=20,
                         icu_beds=2, operating_tables=2, helipad=True, night_landing=True, refuel=True)


def _helo(id_: str, base: dict, litters: int) -> AssetState:
    return AssetState(id=id_, callsign=id_.upper(), kind="helicopter", role="medevac", base=base, cruise_kmh=220,
                      range_km=900, litters=litters, seats=2, night_capable=True, hoist=False, armed=False,
                      notice_to_move_min={"day": 15, "night": 30})


def _patient(id_: str, where: dict, precedence: str = "C") -> Patient:
    return Patient(id=id_, request_id=f"r-{id_}", injured_at=NOW, reported_at=NOW, location=where,
                   precedence=precedence, patient_type="litter")


def two_small_sites(precedence: str = "C") -> Snapshot:
    """Two 1-litter sites 15 km apart, 55 km from the Level II; a 4-litter helicopter there and a
    second one 330 km away."""
    return Snapshot(
        now=NOW, facilities=[LEVEL_II],
        patients=[_patient("p1", {"lat": 6.9, "lon": 22.3}, precedence),
                  _patient("p2", {"lat": 7.03, "lon": 22.35}, precedence)],
        assets=[_helo("near", LEVEL_II.location.model_dump(), 4), _helo("far", {"lat": 9.0, "lon": 24.0}, 4)],
    )


def test_one_sortie_through_both_sites_scores_higher_than_one_site_sorties():
    snapshot = two_small_sites()
    routed = Optimized().plan(snapshot, time_limit_s=1.0)
    single = Optimized(routing=False).plan(snapshot, time_limit_s=1.0)
    closest = get_policy("closest").plan(snapshot)
    assert routed.candidate in ("routing", "solver")  # the solver keeps the routed chain it was hinted
    [sortie] = [s for s in routed.sorties if s.stops]
    assert sortie.asset_id == "near" and sorted(sortie.patient_ids) == ["p1", "p2"]
    assert sortie.at_pickup < sortie.depart_pickup < sortie.stops[0].at < sortie.stops[0].depart < sortie.at_facility
    assert routed.score > max(single.score, closest.score)
    assert all(not s.stops for s in single.sorties + closest.sorties)
    # Each request is told when the aircraft reaches its own site.
    at = {r.request_id: r.at_pickup for r in routed.recommendations}
    assert at[f"r-{sortie.stops[0].patient_ids[0]}"] == sortie.stops[0].at


def test_no_model_without_a_cluster_of_small_sites():
    far_apart = two_small_sites().model_copy(update={"patients": [
        _patient("p1", {"lat": 6.9, "lon": 22.3}), _patient("p2", {"lat": 7.9, "lon": 22.3})]})
    assert clustered_sites(PlanningContext(far_apart)) == []
    assert Optimized().plan(far_apart, time_limit_s=1.0).candidate != "routing"


@st.composite
def clustered(draw) -> Snapshot:
    """A generated snapshot with its pickup sites drawn together to within about 30 km."""
    snapshot = draw(snapshots())
    origin = snapshot.patients[0].location

    def near(where: Location) -> Location:
        return Location(lat=round(origin.lat + (where.lat - origin.lat) * 0.15, 4),
                        lon=round(origin.lon + (where.lon - origin.lon) * 0.15, 4))

    patients = [p.model_copy(update={"location": near(p.location)}) for p in snapshot.patients]
    return snapshot.model_copy(update={"patients": patients})


@st.composite
def small_sites(draw) -> Snapshot:
    """Where routing is tried: 2-5 small sites within ~30 km, a few helicopters with spare litters,
    any time of day, tight or loose range, facilities with or without refuelling and night landings."""
    now = NOW.replace(hour=0) + timedelta(minutes=draw(st.integers(0, 24 * 60)))
    facilities = [LEVEL_II.model_copy(update={
        "refuel": draw(st.booleans()), "night_landing": draw(st.booleans()), "beds": draw(st.integers(1, 6))})]
    assets = [_helo(f"h{i}", {"lat": 6.5 + draw(st.floats(-0.5, 0.5)), "lon": 22.0}, draw(st.integers(1, 4))
                    ).model_copy(update={"night_capable": draw(st.booleans()),
                                         "range_km": draw(st.sampled_from([150, 250, 900]))})
              for i in range(draw(st.integers(1, 3)))]
    patients = []
    for i in range(draw(st.integers(2, 5))):
        where = {"lat": 6.9 + draw(st.floats(0, 0.25)), "lon": 22.3 + draw(st.floats(0, 0.25))}
        for j in range(draw(st.integers(1, 2))):
            patients.append(_patient(f"p{i}-{j}", where, draw(st.sampled_from("ABCDE"))).model_copy(update={
                "injured_at": now, "reported_at": now,
                "patient_type": draw(st.sampled_from(["litter", "ambulatory"]))}))
    return Snapshot(now=now, patients=patients, assets=assets, facilities=facilities)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_sites())
def test_the_routing_candidate_keeps_every_hard_rule(snapshot):
    """Its own plan, whether or not it wins: range through every pickup, night at every stop,
    capacity with everyone aboard, beds, and each patient boarding at their own site."""
    ctx = PlanningContext(snapshot)
    routed = routing_choices(ctx, clustered_sites(ctx), 0.05)
    plan = _finish(ctx, "optimized", greedy_choices(ctx, start=routed), 0.0, True)
    assert broken_rules(snapshot, plan) == []
    for sortie in plan.sorties:
        times = [sortie.at_pickup, sortie.depart_pickup] + [t for stop in sortie.stops for t in (stop.at, stop.depart)]
        assert times == sorted(times) and times[-1] < sortie.at_facility


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(clustered(), small_sites()))
def test_routed_plans_keep_every_hard_rule(snapshot):
    plan = Optimized().plan(snapshot, time_limit_s=0.5)
    assert broken_rules(snapshot, plan) == []
    planned = [pid for s in plan.sorties for pid in s.patient_ids]
    assert len(planned) == len(set(planned)) and set(planned) | set(plan.unassigned) == {p.id for p in snapshot.patients}
    assert plan.score >= get_policy("closest").plan(snapshot, explain=False).score - 1e-6


def test_simulated_multi_pickup_sorties_pass_the_independent_trace_checker(tmp_path):
    """Priority and routine calls from four small sites at once (a convoy hit along a road): the
    simulator flies the routed sorties and the trace alone proves physics and custody (each
    patient boards where they are). Calls minutes apart would not do: a tasked sortie is committed."""
    sites = [(6.9, 22.3), (7.03, 22.35), (6.95, 22.45), (7.1, 22.2)]
    casualties = [
        {"id": f"c{i}", "injured_at": "2024-03-10T07:00:00Z", "reported_at": "2024-03-10T07:05:00Z",
         "location": {"lat": lat, "lon": lon}, "precedence": "CD"[i % 2], "patient_type": "litter"}
        for i, (lat, lon) in enumerate(sites)]
    scenario = Scenario.model_validate({
        "name": "small-sites", "start": "2024-03-10T07:00:00Z", "duration_hours": 8,
        "facilities": [LEVEL_II.model_dump(exclude={"status", "free_beds"}, mode="json")],
        "assets": [_helo("near", LEVEL_II.location.model_dump(), 4).model_dump(
                       exclude={"status", "free_at", "free_location", "free_at_facility"}, mode="json"),
                   _helo("far", {"lat": 9.0, "lon": 24.0}, 4).model_dump(
                       exclude={"status", "free_at", "free_location", "free_at_facility"}, mode="json")],
        "casualties": casualties,
    })
    path, trace = tmp_path / "scenario.json", tmp_path / "trace.jsonl"
    path.write_text(scenario.model_dump_json())
    result, records = simulate(scenario, "optimized", seed=0, time_limit_s=1.0)
    trace.write_text("".join(json.dumps(r) + "\n" for r in records))

    report = check(path, trace)

    assert [str(v) for v in report.violations] == []
    assert any(r["type"] == "dispatch" and r["stops"] for r in records)
    assert sum(m.unserved for m in result.precedence.values()) == 0

"""Consolidation points: casualties of nearby requests carried by ground to one landing zone,
proposed beside the plan where it hands the most urgent over sooner and nobody later."""

import pytest

from medevac.dispatch.engine import AssetState, FacilityState, Patient, Snapshot, get_policy
from medevac.grid import mgrs_to_latlon
from tests.dispatch.test_engine_escort import CARRIER, scenario

# A convoy ambushed 73 km north of Bria: casualties at three points 1 km apart along the road.
POINTS = {"R1": (7.2, 22.0), "R2": (7.209, 22.0), "R3": (7.218, 22.0)}


def convoy(points=POINTS, security="N", incident=lambda rid: "convoy", urgent=("R2",)):
    return [{"id": f"{rid}-{i}", "injured_at": "2024-03-10T07:00:00Z", "reported_at": "2024-03-10T07:05:00Z",
             "location": {"lat": lat, "lon": lon}, "precedence": "A" if rid in urgent and i == 0 else "B",
             "patient_type": "litter", "security": security, "incident": incident(rid)}
            for rid, (lat, lon) in points.items() for i in range(2)]


def snapshot(casualties) -> Snapshot:
    sc = scenario(casualties, [CARRIER])
    return Snapshot(now=sc.casualties[0].reported_at,
                    patients=[Patient(**c.model_dump(), request_id=c.id.split("-")[0]) for c in sc.casualties],
                    assets=[AssetState(**a.model_dump()) for a in sc.assets],
                    facilities=[FacilityState(**f.model_dump()) for f in sc.facilities],
                    road_factor=sc.road_factor, load_min=sc.load_min, unload_min=sc.unload_min)


@pytest.mark.parametrize("policy", ["closest", "optimized"])
def test_points_a_short_drive_apart_get_a_consolidation_proposal(policy):
    plan = get_policy(policy).plan(snapshot(convoy()), time_limit_s=0.5)
    (sortie,) = plan.sorties  # the plan itself lands at each point in turn
    assert len(sortie.stops) == 2
    recs = {r.request_id: r for r in plan.recommendations}
    proposal = recs["R2"].consolidation
    assert proposal is not None and proposal == recs["R1"].consolidation == recs["R3"].consolidation
    assert proposal.request_ids == ["R1", "R2", "R3"] and len(proposal.patient_ids) == 6
    assert (proposal.location.lat, proposal.location.lon) in POINTS.values()
    lat, lon = mgrs_to_latlon(proposal.grid)
    assert abs(lat - proposal.location.lat) < 0.001 and abs(lon - proposal.location.lon) < 0.001
    # Two landings fewer (10 min loading each) and the hops; the move is loading plus up to 2.8 km by road.
    saved = (sortie.at_facility - proposal.at_facility).total_seconds() / 60
    assert proposal.saved_min == round(saved) and proposal.saved_min >= 20
    assert 10 < proposal.ground_move_min <= 10 + 2.8 / 15 * 60 + 1
    assert proposal.asset_id == "mi8" and f"grid {proposal.grid}" in proposal.text


def test_separate_calls_served_one_after_the_other_are_all_at_care_with_the_first():
    two = {"R1": (7.2, 22.0), "R2": (7.209, 22.0)}
    plan = get_policy("closest").plan(snapshot(convoy(two, incident=str, urgent=("R1", "R2"))))
    first, second = sorted(plan.sorties, key=lambda s: s.handover_at)  # one aircraft, one call at a time
    proposal = plan.recommendations[0].consolidation
    assert proposal.request_ids == ["R1", "R2"] and len(proposal.patient_ids) == 4
    assert proposal.at_facility <= first.at_facility  # the first call's patients are not later...
    assert proposal.saved_min == round((second.at_facility - proposal.at_facility).total_seconds() / 60)
    assert proposal.saved_min >= 45  # ...and the second call's A no longer waits for a round trip


def test_no_proposal_beyond_a_short_ground_move():
    far = {"R1": (7.2, 22.0), "R2": (7.25, 22.0)}  # 5.5 km apart, 7.7 km by road
    plan = get_policy("closest").plan(snapshot(convoy(far)))
    assert all(r.consolidation is None for r in plan.recommendations)


def test_no_ground_move_proposed_under_line_6_x():
    sc = snapshot(convoy(security="X"))
    gunship = AssetState(**{**CARRIER, "id": "mi24", "callsign": "HIND 1", "armed": True, "litters": 0})
    plan = get_policy("closest").plan(sc.model_copy(update={"assets": [*sc.assets, gunship]}))
    assert plan.sorties and all(r.consolidation is None for r in plan.recommendations)

"""`optimized` keeps one deadline, lets the exact score pick the plan, and explains every request."""

import time
from datetime import UTC, datetime, timedelta

from medevac.dispatch.engine import AssetState, FacilityState, Patient, Snapshot, get_policy, policies
from medevac.dispatch.engine.context import PlanningContext
from medevac.dispatch.engine.greedy import greedy_choices
from medevac.dispatch.engine.sorties import Choice

NOW = datetime(2024, 3, 10, 9, 0, tzinfo=UTC)  # mid-morning in the Central African Republic


def _helicopter(i: int, lat: float, lon: float, **extra) -> AssetState:
    fields = {"cruise_kmh": 220, "range_km": 700, "notice_to_move_min": {"day": 15, "night": 30}, **extra}
    return AssetState(id=f"h{i}", callsign=f"H{i}", kind="helicopter", role="medevac", base={"lat": lat, "lon": lon},
                      litters=4, seats=4, night_capable=True, hoist=False, armed=True, **fields)


def _hospital(i: int, lat: float, lon: float) -> FacilityState:
    return FacilityState(id=f"f{i}", name=f"F{i}", level=2, location={"lat": lat, "lon": lon},
                         capabilities=["resuscitation", "damage_control_surgery", "surgery", "blood"],
                         beds=20, icu_beds=2, operating_tables=2, helipad=True, night_landing=True, refuel=True)


def _patient(pid: str, lat: float, lon: float, precedence: str, called_min_ago: int) -> Patient:
    at = NOW - timedelta(minutes=called_min_ago)
    return Patient(id=pid, request_id=f"r-{pid}", injured_at=at, reported_at=at, location={"lat": lat, "lon": lon},
                   precedence=precedence, patient_type="litter")


def _theatre(patients: int = 24, assets: int = 8) -> Snapshot:
    """Several sites around two hospitals, more urgent patients than aircraft."""
    sites = [(6.0 + 0.35 * (i % 5), 20.0 + 0.4 * (i // 5)) for i in range(max(1, patients // 2))]
    return Snapshot(
        now=NOW,
        patients=[_patient(f"p{i}", *sites[i % len(sites)], "ABCD"[i % 4], called_min_ago=5 + i % 20)
                  for i in range(patients)],
        assets=[_helicopter(i, 6.2 + 0.3 * (i % 3), 20.2 + 0.5 * (i // 3)) for i in range(assets)],
        facilities=[_hospital(0, 6.4, 20.5), _hospital(1, 7.0, 21.2)],
    )


def test_a_slow_phase_leaves_no_time_for_the_solver_and_the_fallback_is_reported(monkeypatch):
    snapshot = _theatre()

    def slow_greedy(ctx, start=None):
        time.sleep(0.45)  # a phase that eats the budget (a busy machine, a huge snapshot)
        return greedy_choices(ctx, start)

    monkeypatch.setattr(policies, "greedy_choices", slow_greedy)
    plan = get_policy("optimized").plan(snapshot, time_limit_s=0.4)
    assert plan.fallback and "no time left for the solver" in plan.fallback_reason
    closest = get_policy("closest").plan(snapshot, explain=False)
    assert plan.score >= closest.score
    assert {r.request_id for r in plan.recommendations} == {p.request_id for p in snapshot.patients}


def test_the_solver_answers_within_its_limit_and_reports_its_plan_as_optimized():
    snapshot = _theatre()
    plan = get_policy("optimized").plan(snapshot, time_limit_s=2.0)
    assert plan.objective_bound is not None and not plan.fallback  # the solver ran and answered in time
    assert plan.score >= get_policy("closest").plan(snapshot, explain=False).score


def test_the_exact_objective_gets_both_urgent_patients_inside_their_golden_hour():
    # The dispatcher rule gives the most urgent call the aircraft that arrives first (X), which
    # leaves the second call to the distant Y, too late. Swapping them, or X flying both calls
    # one after the other, puts both inside the hour: only the exact objective sees that.
    first = _patient("first", 6.0, 20.0, "A", called_min_ago=30)  # 30 min of its hour left
    second = _patient("second", 6.0, 20.3, "A", called_min_ago=29)
    snapshot = Snapshot(
        now=NOW, patients=[first, second], load_min=2, unload_min=2,
        assets=[_helicopter(0, 6.0, 20.1, notice_to_move_min={"day": 5, "night": 5}),
                _helicopter(1, 6.0, 19.5, notice_to_move_min={"day": 5, "night": 5})],
        facilities=[_hospital(0, 6.0, 20.15)],
    )
    closest = get_policy("closest").plan(snapshot)
    assert [(s.asset_id, s.patient_ids) for s in closest.sorties] == [("h0", ["first"]), ("h1", ["second"])]
    assert [r.on_time for r in closest.recommendations] == [True, False]
    plan = get_policy("optimized").plan(snapshot, time_limit_s=1.0)
    assert not plan.fallback
    assert all(r.on_time and r.margin_min >= 0 for r in plan.recommendations)
    assert plan.score > closest.score


def test_every_assignment_carries_times_margin_and_two_alternatives_with_reasons():
    snapshot = _theatre()
    plan = get_policy("optimized").plan(snapshot, time_limit_s=1.0)
    recs = {r.request_id: r for r in plan.recommendations}
    patients = {p.id: p for p in snapshot.patients}
    for sortie in plan.sorties:
        for pid in sortie.patient_ids:
            outcome = next(o for o in recs[patients[pid].request_id].patients if o.patient_id == pid)
            assert outcome.asset_id == sortie.asset_id and outcome.margin_min is not None
    for rec in recs.values():
        if rec.asset_id is not None:
            assert rec.wheels_up <= rec.at_pickup <= rec.at_facility
            assert rec.margin_min is not None and len(rec.alternatives) == 2
            assert all(alt.reason for alt in rec.alternatives)
            assert all(alt.asset_id != rec.asset_id or alt.facility_id != rec.facility_id for alt in rec.alternatives)


def test_greedy_chains_later_sorties_after_the_given_first_wave():
    snapshot = _theatre(patients=12, assets=2)
    ctx = PlanningContext(snapshot)
    lead = ctx.sites[-1]  # the least urgent site first, to see it kept
    first = {"h0": [Choice(lead.index, 0, tuple(p.id for p in lead.patients))]}
    chained = greedy_choices(ctx, start=first)
    assert chained["h0"][0] == first["h0"][0]
    planned = [pid for chain in chained.values() for c in chain for pid in c.patient_ids]
    assert len(planned) == len(set(planned)) and {p.id for p in lead.patients} <= set(planned)
    assert len(planned) > len(lead.patients)

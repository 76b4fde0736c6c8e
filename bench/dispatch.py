"""Dispatch policies on the shipped scenarios, and decision latency by snapshot size.

Seed 0 replays a scenario file as shipped; seeds 1… shift each incident by up to ±2 h and
±10 km (same casualties, same precedences; incidents inside a camp keep their place), so day/night
and contention vary between runs.
"""

import argparse
import math
import random
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta

from medevac.dispatch.engine import AssetState, FacilityState, Patient, Snapshot, get_policy
from medevac.dispatch.engine.bounds import best_handovers
from medevac.dispatch.engine.policies import Optimized
from medevac.dispatch.scenario import Location, Scenario, load_scenario, shipped_scenarios
from medevac.dispatch.simulator import CareFigures, simulate
from medevac.dispatch.simulator.results import care_minutes, metrics, percentile
from medevac.geo import distance_km

SCENARIOS = ("minusca", "minusma", "masscal", "bench-scattered", "bench-escort", "bench-remote",
             "bench-night-masscal")
POLICIES = ("closest", "optimized", "hindsight")
SEEDS = range(10)
TIME_LIMIT_S = {"closest": 1.0, "optimized": 1.0, "hindsight": 1.0}
SIZES = ((10, 10), (50, 20), (60, 30), (200, 30), (500, 40))
SNAPSHOTS_PER_SIZE = 5
LATENCY_TARGETS_S = {(60, 30): 1.0, (500, 40): 5.0}
CAMP_RADIUS_KM = 2.0


def perturbed(scenario: Scenario, seed: int) -> Scenario:
    if seed == 0:
        return scenario
    rng = random.Random(seed)
    shifts: dict = {}
    moved = []
    for c in scenario.casualties:
        incident = c.incident or (c.location.lat, c.location.lon, c.reported_at.date())
        if incident not in shifts:
            km, angle = rng.uniform(0, 10), rng.uniform(0, 2 * math.pi)
            if _in_camp(scenario, c.location):  # a camp attack or a sick call stays in the camp
                km = 0.0
            shifts[incident] = (timedelta(minutes=rng.randint(-120, 120)), km * math.cos(angle) / 111,
                                km * math.sin(angle) / 111)
        dt, dlat, dlon = shifts[incident]
        dt = max(dt, scenario.start - c.injured_at)
        moved.append(c.model_copy(update={
            "injured_at": c.injured_at + dt, "reported_at": c.reported_at + dt,
            "location": Location(lat=round(c.location.lat + dlat, 4), lon=round(c.location.lon + dlon, 4)),
        }))
    return scenario.model_copy(update={"casualties": moved})


def _in_camp(scenario: Scenario, where: Location) -> bool:
    return any(distance_km(where.lat, where.lon, f.location.lat, f.location.lon) <= CAMP_RADIUS_KM
               for f in scenario.facilities)


def _one(job: tuple[str, int]) -> tuple[list, CareFigures, dict[str, tuple[int, int, int]]]:
    """Results per policy, the bound with every asset at its base at the call, and per policy the
    routing counts (see `_routing_counts`)."""
    name, seed = job
    scenario = perturbed(load_scenario(str(shipped_scenarios() / f"{name}.json")), seed)
    best = best_handovers(scenario.casualties, scenario.assets, scenario.facilities, scenario.road_factor,
                          scenario.load_min, scenario.unload_min)
    bound = metrics(scenario.casualties, best, {f.id: f for f in scenario.facilities})
    at_base = metrics(scenario.casualties, best_handovers(
        scenario.casualties, scenario.assets, scenario.facilities, scenario.road_factor, scenario.load_min,
        scenario.unload_min, prepositioned=False), {f.id: f for f in scenario.facilities})
    runs = [simulate(scenario, p, seed, time_limit_s=TIME_LIMIT_S[p], bound=bound, best=best) for p in POLICIES]
    urgent = {p: _urgent_minutes(scenario, records) for p, (_, records) in zip(POLICIES, runs)}
    return ([result for result, _ in runs], at_base,
            {p: _routing_counts(records) for p, (_, records) in zip(POLICIES, runs)}, urgent)


def _urgent_minutes(scenario: Scenario, records: list[dict]) -> list[float]:
    """Minutes to care of the A and B casualties served (pooled over seeds for mean and p90)."""
    handovers: dict = {}
    for r in records:
        if r["type"] == "handover":
            handovers.setdefault(r["casualty"], []).append((r["facility"], datetime.fromisoformat(r["at"])))
    minutes = care_minutes(scenario.casualties, handovers, {f.id: f for f in scenario.facilities})
    return [minutes[c.id] for c in scenario.casualties if c.precedence in "AB" and minutes[c.id] is not None]


def _routing_counts(records: list[dict]) -> tuple[int, int, int]:
    """(decisions that tasked a sortie, of them won by the routing candidate, multi-pickup sorties flown)."""
    decisions = {r["at"]: r.get("candidate") for r in records if r["type"] == "dispatch"}
    multi = sum(1 for r in records if r["type"] == "dispatch" and r.get("stops"))
    return len(decisions), sum(c == "routing" for c in decisions.values()), multi


def routing_table(counts: dict[str, list[dict[str, tuple[int, int, int]]]]) -> None:
    print("\nMulti-pickup sorties and the routing candidate, totals over seeds: tasking decisions, "
          "decisions whose plan was the routing candidate's, multi-pickup sorties flown")
    print("scenario                policy      decisions  routing won  multi-pickup sorties")
    for name, per_seed in counts.items():
        for policy in POLICIES:
            total = [sum(c[policy][i] for c in per_seed) for i in range(3)]
            print(f"{name:23} {policy:10} {total[0]:10} {total[1]:12} {total[2]:12}")


def _fmt(value, pct: bool = False) -> str:
    if value is None:
        return "   -  "
    return f"{value:6.1%}" if pct else f"{value:6.0f}"


def scenario_tables(results: dict[str, list], at_base: dict[str, list],
                    urgent: dict[str, list]) -> list[tuple[str, bool | None, str]]:
    """Print the policy tables; return the quality verdicts (target, met, evidence)."""
    print("Per scenario and policy, over the seeds: shares with counts (n/N, totals over seeds); expected "
          "survivors (sum over seeds, of the most possible: everyone cared for at once); A+B time to care "
          "(min, pooled over seeds, served casualties only); unserved reachable / unreachable (totals). "
          "bound: each patient alone, best launch incl. an airborne crew at any refuelling facility; "
          "bound@base: every asset at its base at the call")
    header = ("policy       golden-hour (n/N)    surgery-2h (n/N)   exp. survivors      A+B mean   A+B p90  "
              "unserved reach/unreach")
    verdicts = []
    for name, runs in results.items():
        print(f"\n{name} — {len(runs)} seeds")
        print(header)
        rows = {p: [r[i] for r in runs] for i, p in enumerate(POLICIES)}
        for label, items in rows.items():
            print(_row(label, items, urgent[name][label]))
        for label, items in (("bound", [r[0].contention_free_bound for r in runs]), ("bound@base", at_base[name])):
            gh, s2 = _total(items, "golden_hour"), _total(items, "surgery_2h")
            print(f"{label:10} {_fmt(_share(gh), True)} ({gh[0]:3}/{gh[1]:3})   {_fmt(_share(s2), True)} ({s2[0]:3}/{s2[1]:3})")
        verdicts += _verdicts(name, rows, urgent[name])
    return verdicts


def _row(label: str, items: list, minutes: list[float]) -> str:
    gh, s2 = _total(items, "golden_hour"), _total(items, "surgery_2h")
    es, of = sum(x.expected_survivors for x in items), sum(x.expected_survivors_of for x in items)
    mean, p90 = (statistics.fmean(minutes), percentile(minutes, 0.9)) if minutes else (None, None)
    reach, unreach = sum(x.unserved_reachable for x in items), sum(x.unserved_unreachable for x in items)
    return (f"{label:10} {_fmt(_share(gh), True)} ({gh[0]:3}/{gh[1]:3})   {_fmt(_share(s2), True)} ({s2[0]:3}/{s2[1]:3})"
            f"   {es:7.2f} / {of:6.1f}   {_fmt(mean)} ({len(minutes):3})  {_fmt(p90)}    {reach:4} / {unreach:3}")


def _total(items, attr: str) -> tuple[int, int]:
    return sum(getattr(x, attr).count for x in items), sum(getattr(x, attr).of for x in items)


def _share(counts: tuple[int, int]) -> float | None:
    return counts[0] / counts[1] if counts[1] else None


def _verdicts(name: str, rows, urgent) -> list[tuple[str, bool | None, str]]:
    out = []
    o, c, h = rows["optimized"], rows["closest"], rows["hindsight"]
    for attr in ("golden_hour", "surgery_2h"):
        mine, theirs = _total(o, attr), _total(c, attr)
        out.append((f"{name}: optimized ≥ closest, {attr}", mine[0] >= theirs[0], f"{mine[0]} vs {theirs[0]} of {mine[1]}"))
    es = {p: sum(x.expected_survivors for x in rows[p]) for p in POLICIES}
    out.append((f"{name}: optimized ≥ closest, expected survivors", es["optimized"] >= es["closest"] - 1e-9,
                f"{es['optimized']:.2f} vs {es['closest']:.2f}"))
    out.append((f"{name}: optimized ≥ 95 % of hindsight's expected survivors",
                es["optimized"] >= 0.95 * es["hindsight"], f"{es['optimized']:.2f} vs {es['hindsight']:.2f}"))
    for label, f in (("mean", statistics.fmean), ("p90", lambda v: percentile(v, 0.9))):
        mine, theirs = (f(urgent[p]) if urgent[p] else None for p in ("optimized", "closest"))
        met = None if mine is None or theirs is None else mine <= theirs
        served = (len(urgent["optimized"]), len(urgent["closest"]))
        out.append((f"{name}: optimized ≤ closest, A+B {label} time to care", met,
                    f"{_fmt(mine).strip()} vs {_fmt(theirs).strip()} min (served {served[0]} vs {served[1]})"))
    lat = [x.solver for x in o]
    print(f"  optimized decisions: {sum(s.calls for s in lat)}, p95 of run p95s "
          f"{max(s.p95_ms or 0 for s in lat):.0f} ms, max {max(s.max_ms or 0 for s in lat):.0f} ms, "
          f"fallbacks {sum(s.fallbacks for s in lat)}")
    del h
    return out


def synthetic_snapshot(patients: int, assets: int, seed: int) -> Snapshot:
    """A 600 × 600 km theatre at noon: 8 facilities, patients at ~patients/3 sites."""
    rng = random.Random(seed)
    now = datetime(2024, 3, 10, 11, 0, tzinfo=UTC)

    def point() -> dict:
        return {"lat": round(5 + rng.uniform(0, 5.4), 3), "lon": round(18 + rng.uniform(0, 5.4), 3)}

    facilities = [FacilityState(
        id=f"f{i}", name=f"F{i}", level=2 if i < 3 else 1, location=point(),
        capabilities=["resuscitation", "damage_control_surgery", "surgery", "blood"] if i < 3 else ["resuscitation"],
        beds=40 if i < 3 else 10, icu_beds=2, operating_tables=2 if i < 3 else 0, helipad=True,
        night_landing=i < 3, refuel=i < 5) for i in range(8)]
    fleet = [AssetState(
        id=f"a{i}", callsign=f"A{i}", kind="helicopter", role="medevac", base=point(), cruise_kmh=230,
        range_km=650, litters=rng.choice([2, 4, 6]), seats=6, night_capable=rng.random() < 0.5, hoist=False,
        armed=rng.random() < 0.5, notice_to_move_min={"day": 20, "night": 30},
        free_at=now + timedelta(minutes=rng.randint(10, 90)) if rng.random() < 0.3 else None) for i in range(assets)]
    sites = [point() for _ in range(max(1, patients // 3))]
    casualties = []
    for i in range(patients):
        injured = now - timedelta(minutes=rng.randint(0, 60))
        casualties.append(Patient(
            id=f"p{i}", request_id=f"r{i % len(sites)}", injured_at=injured, reported_at=injured,
            location=sites[i % len(sites)], precedence=rng.choice("AABBCCDE"),
            patient_type="litter" if rng.random() < 0.7 else "ambulatory",
            security=rng.choice("NNPX"), special_equipment="A"))
    return Snapshot(now=now, patients=casualties, assets=fleet, facilities=facilities)


def solver_table() -> list[tuple[str, bool | None, str]]:
    print("\nDecision latency of `optimized` (synthetic 600 × 600 km theatre, 2-core machine); "
          "score ratio = optimized / closest on the same snapshots (exact objective)")
    print("patients assets  limit   p50 ms   p95 ms   max ms   fallbacks  valid-in-limit  score ratio")
    verdicts = []
    for patients, assets in SIZES:
        limit = 1.0 if patients <= 60 else 5.0
        samples, fallbacks, in_limit, ratios = [], 0, 0, []
        for seed in range(SNAPSHOTS_PER_SIZE):
            snapshot = synthetic_snapshot(patients, assets, seed)
            started = time.perf_counter()
            plan = get_policy("optimized").plan(snapshot, time_limit_s=limit)
            elapsed = (time.perf_counter() - started) * 1000
            samples.append(elapsed)
            fallbacks += plan.fallback
            in_limit += elapsed <= limit * 1000 and _valid(snapshot, plan)
            baseline = get_policy("closest").plan(snapshot, explain=False).score
            ratios.append(plan.score / baseline if baseline > 0 else 1.0)
        samples.sort()
        p95 = samples[min(len(samples) - 1, math.ceil(0.95 * len(samples)) - 1)]
        print(f"{patients:8} {assets:6} {limit:5.1f} s {statistics.median(samples):8.0f} {p95:8.0f} "
              f"{samples[-1]:8.0f}   {fallbacks:9}   {in_limit:>8}/{len(samples)}    {statistics.fmean(ratios):8.2f}")
        if (patients, assets) in LATENCY_TARGETS_S:
            target_s = LATENCY_TARGETS_S[(patients, assets)]
            verdicts.append((f"decision p95 < {target_s:.0f} s at {patients} patients / {assets} assets, "
                             f"valid plan inside the limit", p95 < target_s * 1000 and in_limit == len(samples),
                             f"p95 {p95:.0f} ms, {in_limit}/{len(samples)} valid in limit"))
    return verdicts


def convoy_snapshot(seed: int) -> Snapshot:
    """Where multi-pickup sorties may pay: a convoy hit at 3-6 points along 30 km of road (1-3
    casualties each, mostly priority/routine), three helicopters 40-150 km away, two facilities."""
    rng = random.Random(seed)
    now = datetime(2024, 3, 10, 9, 0, tzinfo=UTC)
    road = (6.9, 22.3)
    facilities = [FacilityState(
        id=f"f{i}", name=f"F{i}", level=2, location={"lat": 6.5 + 0.6 * i, "lon": 22.0 - 0.4 * i},
        capabilities=["resuscitation", "damage_control_surgery", "surgery", "blood"], beds=20, icu_beds=2,
        operating_tables=2, helipad=True, night_landing=True, refuel=True) for i in range(2)]
    fleet = [AssetState(
        id=f"h{i}", callsign=f"H{i}", kind="helicopter", role="medevac",
        base={"lat": road[0] + rng.uniform(-1.2, 1.2), "lon": road[1] + rng.uniform(-1.2, 1.2)}, cruise_kmh=220,
        range_km=700, litters=rng.choice([4, 6]), seats=4, night_capable=True, hoist=False, armed=True,
        notice_to_move_min={"day": 20, "night": 30}) for i in range(3)]
    casualties = []
    for site in range(rng.randint(3, 6)):
        where = {"lat": round(road[0] + 0.27 * rng.random(), 4), "lon": round(road[1] + 0.05 * rng.random(), 4)}
        for j in range(rng.randint(1, 3)):
            injured = now - timedelta(minutes=rng.randint(0, 20))
            casualties.append(Patient(
                id=f"p{site}-{j}", request_id=f"r{site}", injured_at=injured, reported_at=injured, location=where,
                precedence=rng.choice("ABCCDD"), patient_type="litter" if rng.random() < 0.6 else "ambulatory"))
    return Snapshot(now=now, patients=casualties, assets=fleet, facilities=facilities)


def convoy_table(samples: int = 12) -> None:
    print("\nMulti-pickup snapshots (convoy hit at 3-6 points along 30 km; not a shipped scenario): "
          "`optimized` with and without the routing candidate, same snapshots, same process")
    won = multi = 0
    ratios, with_ms, without_ms = [], [], []
    for seed in range(samples):
        snapshot = convoy_snapshot(seed)
        routed = Optimized().plan(snapshot, time_limit_s=1.0, explain=False)
        single = Optimized(routing=False).plan(snapshot, time_limit_s=1.0, explain=False)
        won += routed.candidate == "routing"
        multi += sum(bool(s.stops) for s in routed.sorties)
        ratios.append(routed.score / single.score if single.score > 0 else 1.0)
        with_ms.append(routed.solve_ms)
        without_ms.append(single.solve_ms)
    print("snapshots  routing won  multi-pickup sorties  score ratio with/without (mean, min)  "
          "solve ms with/without (p50)")
    print(f"{samples:9} {won:12} {multi:21}   {statistics.fmean(ratios):8.3f} {min(ratios):6.3f}"
          f"{statistics.median(with_ms):28.0f} / {statistics.median(without_ms):.0f}")


def _valid(snapshot: Snapshot, plan) -> bool:
    """Every open patient is planned or reported unassigned, once."""
    planned = [pid for s in plan.sorties for pid in s.patient_ids]
    return (len(planned) == len(set(planned)) and not set(planned) & set(plan.unassigned)
            and set(planned) | set(plan.unassigned) == {p.id for p in snapshot.patients}
            and all(r.request_id for r in plan.recommendations))


def print_verdicts(verdicts: list[tuple[str, bool | None, str]]) -> None:
    print("\nTargets")
    for target, met, evidence in verdicts:
        mark = "n/a    " if met is None else "met    " if met else "NOT MET"
        print(f"  [{mark}] {target} — {evidence}")


def main(argv: list[str] | None = None) -> None:
    """`python -m bench.dispatch [--quick] [--seeds N] [--only NAME,…]`: --quick runs only the solver
    latency table; --seeds and --only shorten a run while tuning (the recorded figures use neither)."""
    parser = argparse.ArgumentParser(prog="python -m bench.dispatch")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seeds", type=int, default=len(SEEDS))
    parser.add_argument("--only", default=",".join(SCENARIOS))
    args = parser.parse_args(argv or [])
    print(__doc__)
    verdicts = []
    if not args.quick:
        names = [n for n in args.only.split(",") if n]
        print(f"{args.seeds} seeds × {len(names)} scenarios × {', '.join(POLICIES)}; decision time limit "
              f"{TIME_LIMIT_S['optimized']} s (hindsight sees calls up to 6 h ahead); 2 processes.")
        jobs = [(name, seed) for name in names for seed in range(args.seeds)]
        with ProcessPoolExecutor(max_workers=2) as pool:
            outcomes = list(pool.map(_one, jobs))
        results: dict[str, list] = {}
        counts: dict[str, list] = {}
        at_base: dict[str, list] = {}
        urgent: dict[str, dict[str, list]] = {}
        for (name, _), (runs, base_bound, routed, minutes) in zip(jobs, outcomes):
            results.setdefault(name, []).append(runs)
            at_base.setdefault(name, []).append(base_bound)
            counts.setdefault(name, []).append(routed)
            for policy, values in minutes.items():
                urgent.setdefault(name, {}).setdefault(policy, []).extend(values)
        verdicts += scenario_tables(results, at_base, urgent)
        routing_table(counts)
    if args.quick or set(args.only.split(",")) == set(SCENARIOS):
        verdicts += solver_table()
        convoy_table()
    print_verdicts(verdicts)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Small seeded basing instances: a few facilities, aircraft and demand points in a 300 km box."""

import random
from datetime import datetime, timezone

from medevac.dispatch.scenario import Scenario

START = datetime(2024, 3, 10, 8, 0, tzinfo=timezone.utc)


def place(rng: random.Random) -> dict:
    return {"lat": round(6 + rng.uniform(0, 2.5), 3), "lon": round(20 + rng.uniform(0, 2.5), 3)}


def facility(fid: str, location: dict, *, resus=True, tables=0, night=True) -> dict:
    caps = (["resuscitation"] if resus else []) + (["damage_control_surgery"] if tables else [])
    return {"id": fid, "name": fid, "level": 2 if tables else 1, "location": location, "capabilities": caps,
            "beds": 10, "icu_beds": 0, "operating_tables": tables, "helipad": True, "night_landing": night,
            "refuel": True}


def helicopter(aid: str, base: dict, *, night=True, day_ntm=15, night_ntm=30) -> dict:
    return {"id": aid, "callsign": aid, "kind": "helicopter", "role": "medevac", "base": base,
            "cruise_kmh": 240, "range_km": 600, "litters": 4, "seats": 4, "night_capable": night,
            "hoist": False, "armed": False, "notice_to_move_min": {"day": day_ntm, "night": night_ntm}}


def casualty(cid: str, location: dict, precedence: str, hour: int) -> dict:
    at = START.replace(hour=hour).isoformat()
    return {"id": cid, "injured_at": at, "reported_at": at, "location": location, "precedence": precedence,
            "patient_type": "litter"}


def scenario(facilities: list[dict], assets: list[dict], casualties: list[dict]) -> Scenario:
    return Scenario.model_validate({
        "name": "tiny", "start": START.isoformat(), "duration_hours": 24, "facilities": facilities,
        "assets": assets, "casualties": casualties, "load_min": 5, "unload_min": 5,
    })


def random_scenario(seed: int, n_facilities=4, n_assets=3, n_casualties=6) -> Scenario:
    rng = random.Random(seed)
    facilities = [facility(f"f{n}", place(rng), resus=rng.random() < 0.7, tables=int(rng.random() < 0.4),
                           night=rng.random() < 0.6) for n in range(n_facilities)]
    assets = [helicopter(f"h{n}", rng.choice(facilities)["location"], night=rng.random() < 0.5,
                         day_ntm=rng.choice([10, 20, 30])) for n in range(n_assets)]
    casualties = [casualty(f"c{n}", place(rng), rng.choice("AABC"), rng.choice([10, 22]))
                  for n in range(n_casualties)]
    return scenario(facilities, assets, casualties)

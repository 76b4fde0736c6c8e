"""Generate the dispatch benchmark scenarios (bench-*.json) reproducibly.

    python scenarios/bench_scenarios.py          # rewrite the four files
    python scenarios/bench_scenarios.py --check  # exit 1 if a committed file differs

Each one holds a situation where a seasoned dispatcher beats a naive rule, on the laydowns of
theatres.py (../shared/geography.md, with provenance tags):
- scattered: incidents whose casualties lie at points 0.2-2 km apart (a convoy strung along a
  road, a camp attack), to be collected in one sortie;
- escort: line 6 X incidents where the armed aircraft are escorts (Tiger, MD 500E: no litters)
  and the transports unarmed (NH90 MEDEVAC, Mi-171, a contracted Mi-8), as MINUSMA's German
  and Belgian aviation flew in 2017-2018 [src geography.md §4.2];
- remote: pickups in the far south-east and north-east of CAR beyond one tank from Bangui, to be
  reached through a refuelling stop (Bangui-Zemio 733 km, Bangui-Birao 806 km [calc §7]);
- night mass casualty: pre-dawn attacks on three northern Mali camps (cf. Aguelhok 2019,
  Tessalit, Kidal 2015 [src §4.4]), night-capable Pumas and escorts only.
"""

import copy
import math
import random
import sys

import make_scenarios as m
import theatres as t



def scattered_casualties(rng, incident, points, spread_km, key):
    """The incident's wounded at `points` places strung along a line `spread_km` long (a road,
    a camp), reported like any incident: a first 9-line, then an update for the rest."""
    bearing = rng.uniform(0, 2 * math.pi)
    places = []
    for i in range(points):
        d = spread_km * i / max(1, points - 1)
        lat = incident.lat + d * math.cos(bearing) / m.KM_PER_DEG
        lon = incident.lon + d * math.sin(bearing) / (m.KM_PER_DEG * math.cos(math.radians(incident.lat)))
        places.append((round(lat, 4), round(lon, 4)))
    out = []
    for i, record in enumerate(m.incident_casualties(rng, incident)):
        lat, lon = places[i % points]
        out.append({**record, "location": {"lat": lat, "lon": lon}, "incident": key})
    return out


def build(name, prefix, seed, start, hours, laydown, events, *, dnbi_rate=0.0):
    """events: (Incident, points, spread km); one point means every casualty lies there."""
    facilities, assets, camps, _, road_factor = laydown
    rng = random.Random(seed)
    start_at = m.utc(start)
    casualties = list(m.dnbi_trickle(rng, camps, dnbi_rate, start_at, hours))
    for n, (incident, points, spread) in enumerate(events, 1):
        casualties += scattered_casualties(rng, incident, points, spread, f"{prefix}-inc{n}")
    casualties.sort(key=lambda c: (c["reported_at"], c["injured_at"], c["precedence"]))
    for number, record in enumerate(casualties, 1):
        record["id"] = f"{prefix}-{number:03d}"
    return {
        "name": name, "start": m.iso(start_at), "duration_hours": hours,
        "facilities": facilities, "assets": assets, "road_factor": road_factor, "load_min": 10,
        "unload_min": 10, "casualties": [{"id": c.pop("id"), **c} for c in casualties],
    }


def scattered():
    events = [
        # Damara road ambush 55 km north of Bangui [src alwihdainfo]; 7 wounded over 2 km [sim]
        (m.Incident("Convoy ambush on the Damara road", m.utc("2024-03-10T09:20:00"), 4.85, 18.68, "E",
                    {"A": 2, "B": 2, "C": 2, "D": 1}), 5, 2.0),
        # Bambari camp attack (2020-12-25 clashes) [src §1.4]; 6 wounded at 4 posts 0.6 km apart [sim]
        (m.Incident("Attack on the Bambari camp perimeter", m.utc("2024-03-10T13:10:00"), 5.79, 20.69, "P",
                    {"A": 1, "B": 2, "C": 2, "D": 1}), 4, 0.6),
        # Yogofongo ambush, 8 wounded [src abangui 2017]; strung over 1.5 km [sim]
        (m.Incident("Convoy ambush near Yogofongo", m.utc("2024-03-10T15:00:00"), 4.80, 22.99, "E",
                    {"A": 2, "B": 3, "C": 3}), 4, 1.5),
        # Koui IED belt [src info241 2022]: vehicles 200 m apart [sim]
        (m.Incident("IED and ambush on the Koui-Bocaranga road", m.utc("2024-03-11T08:40:00"), 6.95, 15.48, "P",
                    {"A": 1, "B": 2, "C": 2}), 3, 0.4),
    ]
    return build("bench-scattered-car-36h", "sca", 1701, "2024-03-10T06:00:00", 36, m.CAR, events, dnbi_rate=0.05)


# MINUSMA 2017-2018: German/Belgian NH90 MEDEVAC escorted by Tiger at Gao [src §4.2]; Mi-171 and
# the contracted Mi-8 unarmed; MD 500E escorts at Timbuktu [src]. No armed transport.
ESCORT_ASSETS = [a for a in t.MALI_ASSETS if a["id"] in ("slv-2", "ban-mi171", "ctr-mi8", "tun-c130", "amb-gao",
                                                           "amb-tbu", "amb-kidal", "amb-agk")] + [
    t.asset("deu-nh90-1", "CHRISTOPH MALI 1", "helicopter", "medevac", 16.25, 0.00, 260, 800, 6, 6,
            night=True, ntm=(15, 30)),
    t.asset("deu-nh90-2", "CHRISTOPH MALI 2", "helicopter", "medevac", 16.25, 0.00, 260, 800, 6, 6,
            night=True, ntm=(30, 45)),
    t.asset("deu-tiger-1", "TIGER 1", "helicopter", "casevac", 16.25, 0.00, 260, 500, 0, 0,
            night=True, armed=True, ntm=(15, 30)),
    t.asset("deu-tiger-2", "TIGER 2", "helicopter", "casevac", 16.25, 0.00, 260, 500, 0, 0,
            night=True, armed=True, ntm=(30, 45)),
]
ESCORT_MALI = (t.MALI_FACILITIES, ESCORT_ASSETS, t.MALI_CAMPS, t.MALI_HOTSPOTS, 1.3)


def escort():
    events = [
        # Gao-Anefis escort hit [src vipeoples 2015]; X and size [sim]
        (m.Incident("Ambush on the Gao-Anefis escort", m.utc("2018-03-05T08:30:00"), 17.60, 0.45, "X",
                    {"A": 2, "B": 3, "C": 3, "D": 1}), 3, 1.2),
        # Aguelhok complex attack 2 Apr 2021 [src]: several wounded [sim split]
        (m.Incident("Complex attack on Aguelhok camp", m.utc("2018-03-05T11:00:00"), 19.47, 0.86, "X",
                    {"A": 2, "B": 2, "C": 4, "D": 2}), 2, 0.5),
        # Ber IED + direct fire, 8 seriously wounded [src koaci 2023]
        (m.Incident("IED and direct fire near Ber", m.utc("2018-03-05T15:30:00"), 16.70, -2.45, "X",
                    {"A": 2, "B": 4, "C": 2}), 2, 0.3),
        # Gao-Ansongo road IED [src chinamil 2022]; X [sim]
        (m.Incident("IED on Gao-Ansongo road", m.utc("2018-03-06T07:40:00"), 15.86, 0.32, "X",
                    {"A": 1, "B": 2, "C": 2}), 1, 0.0),
    ]
    return build("bench-escort-mali-30h", "esc", 1702, "2018-03-05T06:00:00", 30, ESCORT_MALI, events,
                 dnbi_rate=0.04)


# CAR with the Mi-17s and Mi-171Sh at Bangui only (no forward aircraft): Zemio, Obo and Birao lie
# beyond one tank there and back [calc §7]; Bangassou, Bria and Birao refuel [sim].
REMOTE_ASSETS = [a for a in t.CAR_ASSETS if a["id"] != "slaf-fwd"]
REMOTE_CAR = (t.CAR_FACILITIES, REMOTE_ASSETS, t.CAR_CAMPS, t.CAR_HOTSPOTS, 1.4)


def remote():
    events = [
        # Ndele: Pakistani company, armed-group clashes in the centre-north [src §1.4]; patrol [sim]
        (m.Incident("Patrol ambush north of Ndele", m.utc("2024-03-10T08:10:00"), 8.55, 20.75, "E",
                    {"A": 1, "B": 2, "C": 1}), 2, 0.6),
        # Bamingui (Pakistani bn area [src §1.1]); convoy IED [sim]
        (m.Incident("IED on the Kaga-Bandoro-Ndele road near Bamingui", m.utc("2024-03-10T12:40:00"), 7.57, 20.18,
                    "P", {"A": 1, "B": 1, "C": 2}), 2, 0.4),
        # Am-Sissia patrol attack, 1 killed 1 wounded [src sahel-intelligence 2025]; more wounded [sim]
        (m.Incident("Patrol attacked at Am-Sissia", m.utc("2024-03-11T07:30:00"), 10.50, 23.00, "P",
                    {"A": 1, "B": 1, "C": 1}), 2, 0.5),
        # Zemio-Mboki convoy ambush 22 km from Zemio, 2 Nepalese wounded, flown to Bangui [src 2025]
        (m.Incident("Convoy ambush on the Zemio-Mboki axis", m.utc("2024-03-11T09:10:00"), 5.15, 25.30, "E",
                    {"B": 1, "C": 1}), 1, 0.0),
    ]
    return build("bench-remote-car-48h", "rem", 1703, "2024-03-10T06:00:00", 48, REMOTE_CAR, events)


def night_masscal():
    events = [
        # Tessalit rocket attack: 20 wounded, 6 serious [src bamada]; 01:30 [sim]
        (m.Incident("Rocket attack on Tessalit camp", m.utc("2019-11-20T01:30:00"), 20.25, 0.98, "E",
                    {"A": 3, "B": 3, "C": 8, "D": 6}), 3, 0.8),
        # Aguelhok 20 Jan 2019: 25 wounded [src journalducameroun]; pre-dawn [sim]
        (m.Incident("Complex attack on Aguelhok camp", m.utc("2019-11-20T02:15:00"), 19.47, 0.86, "X",
                    {"A": 5, "B": 6, "C": 8, "D": 6}), 4, 1.0),
        # Kidal Nov 2015: 20 wounded, 4 serious [src guineetime]; 03:00 [sim]
        (m.Incident("Rocket and mortar attack on Kidal camp", m.utc("2019-11-20T03:00:00"), 18.44, 1.41, "E",
                    {"A": 2, "B": 2, "C": 6, "D": 4}), 2, 0.5),
    ]
    return build("bench-night-masscal-mali-10h", "nmc", 1704, "2019-11-20T01:00:00", 10, m.MALI, events)


SCENARIOS = {"bench-scattered.json": scattered, "bench-escort.json": escort, "bench-remote.json": remote,
             "bench-night-masscal.json": night_masscal}


def main(argv):
    builds = {filename: (lambda make=make: copy.deepcopy(make())) for filename, make in SCENARIOS.items()}
    return m.write_or_check(builds, argv, "bench_scenarios.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Generate the shipped scenarios (minusca.json, minusma.json, masscal.json) reproducibly.

    python scenarios/make_scenarios.py          # rewrite the three files
    python scenarios/make_scenarios.py --check  # exit 1 if a committed file differs

The files ship inside the package (medevac/scenarios/), where the console and an installed
`medevac` find them; this generator stays beside the repository's sources.

Laydowns (facilities, assets, camps, hotspots) come from theatres.py, transcribed from
../shared/geography.md with provenance tags. The casualty lists are simulated from documented
patterns: a disease/non-battle-injury (DNBI) trickle at the camps (most UN deaths outside Mali are
illness and accidents [calc UN fatalities data, geography.md §0.3]), rare random trauma clusters
at incident hotspots (1-8 casualties per event [calc §1.4, §4.4]) and scripted events modelled on
named real incidents. Every random draw comes from one seeded generator per scenario.
"""

import json
import math
import random
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import theatres as t

SHIPPED = Path(__file__).resolve().parents[1] / "medevac" / "scenarios"
KM_PER_DEG = 111.32


@dataclass(frozen=True)
class Incident:
    """One trauma event at one pickup site; `counts` are wounded by precedence."""

    name: str
    at: datetime
    lat: float
    lon: float
    security: str
    counts: dict


def utc(text):
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def near(rng, lat, lon, radius_km):
    """Uniform point in a disc around (lat, lon), rounded to ~100 m."""
    distance = radius_km * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / KM_PER_DEG
    dlon = distance * math.sin(bearing) / (KM_PER_DEG * math.cos(math.radians(lat)))
    return round(lat + dlat, 3), round(lon + dlon, 3)


def pick(rng, weighted):
    """Choose from (value, weight) pairs."""
    values, weights = zip(*weighted)
    return rng.choices(values, weights)[0]


def poisson_times(rng, rate_per_hour, start, hours):
    """Event times of a Poisson process over the scenario window."""
    if rate_per_hour <= 0:
        return []
    times, elapsed = [], rng.expovariate(rate_per_hour)
    while elapsed < hours:
        times.append(start + timedelta(minutes=round(elapsed * 60)))
        elapsed += rng.expovariate(rate_per_hour)
    return times


# [sim] clinical mixes. B = urgent-surgical always needs surgery; extras follow blast/gunshot
# patterns (haemorrhage -> blood, head injury -> neurosurgery, IED fire -> burns).
def trauma_needs(rng, precedence):
    if precedence == "A":
        return ["resuscitation"] + (["blood"] if rng.random() < 0.6 else []) + (
            ["icu"] if rng.random() < 0.3 else [])
    if precedence == "B":
        extra = pick(rng, [([], 0.35), (["blood"], 0.35), (["icu"], 0.15),
                           (["neurosurgery"], 0.08), (["burns"], 0.07)])
        return ["surgery"] + extra
    if precedence == "C":
        return ["surgery"] if rng.random() < 0.5 else []  # fractures, soft-tissue wounds
    return []


def dnbi_needs(rng, precedence):
    if precedence == "A":
        return ["resuscitation", "icu"]  # cardiac event, cerebral malaria
    if precedence == "B":
        return ["surgery"]  # acute abdomen, road-accident fracture
    if precedence == "C":
        return pick(rng, [(["surgery"], 0.4), (["blood"], 0.2), ([], 0.4)])
    if precedence == "D":
        return ["ct"] if rng.random() < 0.25 else []  # specialist work-up: Level III/IV only
    return []


def patient_type(rng, precedence):
    litter_share = {"A": 1.0, "B": 1.0, "C": 0.6, "D": 0.2, "E": 0.0}[precedence]
    return "litter" if rng.random() < litter_share else "ambulatory"


def casualty(when, reported, lat, lon, precedence, ptype, needs, security, equipment):
    return {
        "injured_at": iso(when), "reported_at": iso(reported), "location": {"lat": lat, "lon": lon},
        "precedence": precedence, "patient_type": ptype, "needs": needs,
        "security": security, "special_equipment": equipment,
    }


DNBI_MIX = [("A", 0.04), ("B", 0.06), ("C", 0.40), ("D", 0.40), ("E", 0.10)]
TRAUMA_MIX = [("A", 0.25), ("B", 0.30), ("C", 0.30), ("D", 0.15)]
SECURITY_MIX = [("P", 0.50), ("E", 0.35), ("X", 0.15)]


def dnbi_trickle(rng, camps, rate_per_hour, start, hours):
    """Illness and non-battle injury at the camps; a Level I doctor calls it in after 20-90 min."""
    for when in poisson_times(rng, rate_per_hour, start, hours):
        _, lat, lon, _ = pick(rng, [(camp, camp[3]) for camp in camps])
        precedence = pick(rng, DNBI_MIX)
        reported = when + timedelta(minutes=rng.randint(20, 90))
        yield casualty(when, reported, lat, lon, precedence, patient_type(rng, precedence),
                       dnbi_needs(rng, precedence), "N", "A")


def random_incidents(rng, hotspots, rate_per_hour, start, hours, max_size):
    for when in poisson_times(rng, rate_per_hour, start, hours):
        name, lat, lon, radius, _ = pick(rng, [(spot, spot[4]) for spot in hotspots])
        counts = {}
        for _ in range(rng.randint(1, max_size)):
            precedence = pick(rng, TRAUMA_MIX)
            counts[precedence] = counts.get(precedence, 0) + 1
        yield Incident(name, when, *near(rng, lat, lon, radius), pick(rng, SECURITY_MIX), counts)


def incident_casualties(rng, incident):
    """The first 9-line reports ~60 % of the wounded after 8-20 min; an update adds the rest."""
    precedences = [p for p, n in sorted(incident.counts.items()) for _ in range(n)]
    rng.shuffle(precedences)
    first_report = incident.at + timedelta(minutes=rng.randint(8, 20))
    update = first_report + timedelta(minutes=rng.randint(10, 30))
    in_first = math.ceil(0.6 * len(precedences))
    for index, precedence in enumerate(precedences):
        # A blast casualty who cannot protect the airway flies with a ventilator (line 4 D).
        equipment = "D" if precedence == "A" and rng.random() < 0.3 else "A"
        yield casualty(incident.at, first_report if index < in_first else update,
                       incident.lat, incident.lon, precedence, patient_type(rng, precedence),
                       trauma_needs(rng, precedence), incident.security, equipment)


def scenario(name, prefix, seed, start, hours, laydown, *, dnbi_rate, trauma_rate, max_size,
             scripted):
    facilities, assets, camps, hotspots, road_factor = laydown
    rng = random.Random(seed)
    start = utc(start)
    casualties = list(dnbi_trickle(rng, camps, dnbi_rate, start, hours))
    incidents = list(random_incidents(rng, hotspots, trauma_rate, start, hours, max_size))
    for incident in incidents + scripted:
        casualties.extend(incident_casualties(rng, incident))
    casualties.sort(key=lambda c: (c["reported_at"], c["injured_at"], c["precedence"]))
    for number, record in enumerate(casualties, 1):
        record["id"] = f"{prefix}-{number:03d}"
    return {
        "name": name, "start": iso(start), "duration_hours": hours,
        "facilities": facilities, "assets": assets,
        "road_factor": road_factor, "load_min": 10, "unload_min": 10,
        "casualties": [{"id": c.pop("id"), **c} for c in casualties],
    }


CAR = (t.CAR_FACILITIES, t.CAR_ASSETS, t.CAR_CAMPS, t.CAR_HOTSPOTS, 1.4)
MALI = (t.MALI_FACILITIES, t.MALI_ASSETS, t.MALI_CAMPS, t.MALI_HOTSPOTS, 1.3)


def minusca():
    scripted = [
        # 1 killed + 8 wounded, flown to Bangui [src abangui 2017]; dusk timing [sim] forces a
        # night decision with only the Bangui Mi-171Sh night capable.
        Incident("Convoy ambush near Yogofongo (cf. 8 May 2017)", utc("2024-03-11T17:30:00"),
                 4.80, 22.99, "E", {"A": 2, "B": 3, "C": 3}),
        # IED at Kaita near Koui: 3 killed, 1 seriously wounded [src info241 2022]; C [sim]
        Incident("IED on Koui-Bocaranga road (cf. 3 Oct 2022)", utc("2024-03-12T09:10:00"),
                 6.95, 15.48, "P", {"B": 1, "C": 1}),
    ]
    # Road factor 1.15-1.25 measured at Kaga-Bandoro [src]; 1.4 allows for CAR's unpaved roads [sim].
    return scenario("minusca-car-72h", "car", 20240310, "2024-03-10T03:00:00", 72, CAR,
                    dnbi_rate=0.12, trauma_rate=0.03, max_size=4, scripted=scripted)


def minusma():
    scripted = [
        # 10 killed, 25 wounded [src journalducameroun 2019]; split and pre-dawn start [sim]
        Incident("Complex attack on Aguelhok camp (cf. 20 Jan 2019)", utc("2019-11-05T05:00:00"),
                 19.47, 0.86, "X", {"A": 6, "B": 6, "C": 8, "D": 5}),
        # 28 wounded, 5-9 serious [src dailynewsegypt 2021]; split [sim]
        Incident("SVBIED at a temporary base near Douentza (cf. Kerena 10 Feb 2021)",
                 utc("2019-11-06T07:00:00"), 15.05, -2.85, "P", {"A": 2, "B": 3, "C": 8, "D": 15}),
        # IED 65 km west of Menaka, wounded flown to Gao [src 45enord 2019]
        Incident("IED on Gao-Menaka logistics convoy (cf. Aug 2019)", utc("2019-11-07T13:00:00"),
                 15.95, 1.80, "P", {"B": 1, "C": 1}),
    ]
    return scenario("minusma-mali-72h", "mli", 20191105, "2019-11-05T00:00:00", 72, MALI,
                    dnbi_rate=0.08, trauma_rate=0.04, max_size=8, scripted=scripted)


def masscal():
    # Five near-simultaneous attacks, 51 wounded within 55 min, 2-3 h before sunset
    # (17:17 UTC at Kidal that day, astral): day-only helicopters get one wave at most.
    scripted = [
        # Kidal camp rocket attack, Nov 2015: 3 killed, 14-20 wounded, 4 serious [src guineetime]
        Incident("Rocket and mortar attack on Kidal camp", utc("2019-11-12T14:30:00"),
                 18.44, 1.41, "E", {"A": 2, "B": 3, "C": 5, "D": 4}),
        # Aguelhok complex attacks 2019 and 2 Apr 2021 [src]; split [sim]
        Incident("Complex attack on Aguelhok camp", utc("2019-11-12T14:45:00"),
                 19.47, 0.86, "X", {"A": 2, "B": 2, "C": 4, "D": 2}),
        # Complex attack on the Timbuktu super-camp/airport, 14 Apr 2018: 1 killed, 13 wounded
        # [src journalducameroun]; split [sim]. The Level II sits inside the camp, so the camp's
        # ambulance (two litters) decides who reaches care inside the golden hour.
        Incident("Complex attack on the Timbuktu super-camp", utc("2019-11-12T14:50:00"),
                 16.73, -3.01, "E", {"A": 3, "B": 4, "C": 4, "D": 2}),
        # Gao-Ansongo axis IED [src chinamil 2022 drill scenario]; size [sim]
        Incident("IED on Gao-Ansongo road", utc("2019-11-12T15:05:00"),
                 15.86, 0.32, "P", {"A": 1, "B": 2, "C": 2, "D": 1}),
        # Ber IED + fire, 9 Jun 2023: 1 killed, 8 seriously wounded [src koaci 2023]
        Incident("IED and direct fire near Ber", utc("2019-11-12T15:25:00"),
                 16.70, -2.45, "E", {"A": 2, "B": 4, "C": 2}),
    ]
    return scenario("masscal-mali-8h", "mc", 20191112, "2019-11-12T14:00:00", 8, MALI,
                    dnbi_rate=0.08, trauma_rate=0, max_size=1, scripted=scripted)


def render(document):
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_or_check(builds, argv, script: str) -> int:
    """Write each shipped file from its builder, or with --check list those that differ (exit 1)."""
    stale = []
    for filename, build in builds.items():
        path, text = SHIPPED / filename, render(build())
        if "--check" in argv:
            if not path.exists() or path.read_text() != text:
                stale.append(filename)
        else:
            path.write_text(text)
    if stale:
        print("stale: " + ", ".join(stale) + f" (run scenarios/{script})")
        return 1
    return 0


def main(argv):
    return write_or_check({"minusca.json": minusca, "minusma.json": minusma, "masscal.json": masscal},
                          argv, "make_scenarios.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

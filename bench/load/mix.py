"""The request mix: what consoles, trackers, radio operators and clinicians send, and how often."""

import random
from dataclasses import dataclass

# kind -> share of arrivals. Consoles re-read the board on every event they care about, so reads
# dominate; trackers report positions; 9-lines and chat are the state changes people make. Even 5 %
# is a mass-casualty stream at these rates: open requests pile up, so the board and planner only get heavier.
MIX = {
    "board: open requests": 0.20,
    "board: evacuations": 0.10,
    "board: assets": 0.15,
    "board: facilities": 0.05,
    "request detail": 0.10,
    "position report": 0.25,
    "9-line": 0.05,
    "chat message": 0.10,
}
READS = tuple(kind for kind in MIX if kind.startswith(("board", "request detail")))
WRITES = ("position report", "9-line", "chat message")
PRECEDENCE = (("A", 0.15), ("B", 0.15), ("C", 0.4), ("D", 0.3))
# Where casualties come from: the demo theatre's hot spots (CAR), scattered by up to ~30 km.
HOTSPOTS = ((6.9, 21.5), (5.9, 15.9), (7.1, 19.4), (5.4, 22.9), (9.9, 22.6))


@dataclass(frozen=True)
class Call:
    """One HTTP call to make: the generator fills in the replica and measures it."""

    kind: str
    method: str
    path: str
    token: str
    json: dict | None = None
    headers: dict | None = None


def pick_kind(rng: random.Random) -> str:
    return rng.choices(tuple(MIX), weights=tuple(MIX.values()))[0]


def board_read(kind: str, mission: str, token: str) -> Call:
    path = {"board: open requests": f"/v1/evac-requests?mission={mission}&status=open&limit=200",
            "board: evacuations": f"/v1/evacuations?mission={mission}&limit=200",
            "board: assets": f"/v1/assets?mission={mission}&limit=500",
            "board: facilities": f"/v1/facilities?mission={mission}&limit=500"}[kind]
    return Call(kind, "GET", path, token)


def nine_line(rng: random.Random, token: str, call_sign: str) -> Call:
    """A structured 9-line with one to three patients; the call sign marks it for the ledger."""
    lat, lon = rng.choice(HOTSPOTS)
    patients = rng.choice((1, 1, 1, 2, 3))
    precedence: dict[str, int] = {}
    for _ in range(patients):
        code = rng.choices([p for p, _ in PRECEDENCE], weights=[w for _, w in PRECEDENCE])[0]
        precedence[code] = precedence.get(code, 0) + 1
    litter = rng.randint(0, patients)
    by_type = {k: v for k, v in {"litter": litter, "ambulatory": patients - litter}.items() if v}
    body = {"location": {"lat": round(lat + rng.uniform(-0.3, 0.3), 4), "lon": round(lon + rng.uniform(-0.3, 0.3), 4)},
            "radio": {"call_sign": call_sign, "frequency": "45.550"}, "precedence": precedence,
            "special_equipment": ["A"], "patients_by_type": by_type, "security": rng.choice("NNNP")}
    return Call("9-line", "POST", "/v1/evac-requests", token, json=body, headers={"Idempotency-Key": call_sign})


def chat_message(consult_id: str, token: str, client_id: str, rng: random.Random) -> Call:
    text = rng.choice(("BP 100/60, HR 110", "splint on, distal pulse present", "pain 6/10 after morphine",
                       "keep NPO, repeat obs in 15 min", "send a photo of the wound"))
    return Call("chat message", "POST", f"/v1/consults/{consult_id}/messages", token,
                json={"client_id": client_id, "text": text})


def position_report(asset_id: str, token: str, version: int, rng: random.Random, at: tuple[float, float]) -> Call:
    lat, lon = at
    body = {"position": {"lat": round(lat + rng.uniform(-0.01, 0.01), 5), "lon": round(lon + rng.uniform(-0.01, 0.01), 5)}}
    return Call("position report", "PATCH", f"/v1/assets/{asset_id}", token, json=body,
                headers={"If-Match": f'"{version}"'})

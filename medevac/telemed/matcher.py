"""The pure matcher: who may take this consult now, in what order, and why.

No database, no clock: the caller passes the candidates and the time. Eligibility is
hard (specialty, serves the mission, on call now, under the load limit, not excluded);
the order among the eligible is: speaks the preferred language, online, same mission,
lightest load (as a share of the limit), then id so the ranking is deterministic.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Shift:
    kind: str  # on_call | available | unavailable
    starts_at: datetime
    ends_at: datetime

    def covers(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


@dataclass(frozen=True)
class Candidate:
    id: uuid.UUID
    mission_id: uuid.UUID
    specialty: str
    languages: tuple[str, ...]
    load: int
    load_limit: int
    online: bool
    shifts: tuple[Shift, ...] = ()
    serves_missions: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True)
class Need:
    mission_id: uuid.UUID
    specialty: str
    language: str | None


@dataclass(frozen=True)
class Ranked:
    specialist_id: uuid.UUID
    reasons: list[str]


@dataclass
class Ranking:
    eligible: list[Ranked] = field(default_factory=list)
    excluded: dict[uuid.UUID, str] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "eligible": [{"specialist_id": str(r.specialist_id), "rank": i + 1, "reasons": r.reasons}
                         for i, r in enumerate(self.eligible)],
            "excluded": [{"specialist_id": str(k), "reason": v} for k, v in self.excluded.items()],
        }


def on_call(shifts: tuple[Shift, ...], now: datetime) -> bool:
    """An `unavailable` override always wins; otherwise a shift or an `available` override."""
    covering = {s.kind for s in shifts if s.covers(now)}
    return "unavailable" not in covering and bool(covering & {"on_call", "available"})


def exclusion(need: Need, c: Candidate, now: datetime, excluded: frozenset[uuid.UUID]) -> str | None:
    if c.specialty != need.specialty:
        return f"specialty {c.specialty}, not {need.specialty}"
    if c.mission_id != need.mission_id and need.mission_id not in c.serves_missions:
        return "does not serve this mission"
    if c.id in excluded:
        return "already declined this consult"
    if not on_call(c.shifts, now):
        return "not on call now"
    if c.load >= c.load_limit:
        return f"at load limit ({c.load}/{c.load_limit})"
    return None


def _key(need: Need, c: Candidate) -> tuple:
    speaks = need.language is None or need.language in c.languages
    return (not speaks, not c.online, c.mission_id != need.mission_id, c.load / c.load_limit, c.load, str(c.id))


def _reasons(need: Need, c: Candidate) -> list[str]:
    reasons = ["on call", f"load {c.load}/{c.load_limit}"]
    if need.language:
        reasons.append(f"speaks {need.language}" if need.language in c.languages
                       else f"does not speak {need.language}")
    reasons.append("online" if c.online else "offline")
    reasons.append("same mission" if c.mission_id == need.mission_id else "partner mission")
    return reasons


def rank(need: Need, candidates: list[Candidate], now: datetime,
         excluded: frozenset[uuid.UUID] = frozenset()) -> Ranking:
    """Rank every candidate who may take the consult at `now`; explain everyone else."""
    ranking = Ranking()
    eligible: list[Candidate] = []
    for c in candidates:
        reason = exclusion(need, c, now, excluded)
        if reason is None:
            eligible.append(c)
        else:
            ranking.excluded[c.id] = reason
    eligible.sort(key=lambda c: _key(need, c))
    ranking.eligible = [Ranked(c.id, _reasons(need, c)) for c in eligible]
    return ranking

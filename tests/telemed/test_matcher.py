"""The pure matcher: eligibility, order and explanations, with time passed in."""

import uuid
from datetime import datetime, timedelta, timezone

from hypothesis import given, strategies as st

from medevac.telemed.matcher import Candidate, Need, Shift, on_call, rank

T = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
HOME, PARTNER = uuid.UUID(int=1), uuid.UUID(int=2)
DAY = (Shift("on_call", T - timedelta(hours=6), T + timedelta(hours=6)),)


def candidate(n: int, **fields) -> Candidate:
    base = dict(id=uuid.UUID(int=100 + n), mission_id=HOME, specialty="burns", languages=("en",), load=0,
                load_limit=2, online=True, shifts=DAY)
    return Candidate(**(base | fields))


def test_overrides_beat_the_roster():
    unavailable = Shift("unavailable", T - timedelta(minutes=5), T + timedelta(minutes=5))
    extra = Shift("available", T - timedelta(hours=1), T + timedelta(hours=1))
    assert on_call(DAY, T) and not on_call(DAY + (unavailable,), T)
    assert on_call((extra,), T) and not on_call((extra,), T + timedelta(hours=2))
    assert not on_call(DAY, T + timedelta(hours=6))  # windows are half-open


def test_order_is_language_then_online_then_mission_then_load():
    need = Need(HOME, "burns", "fr")
    people = [
        candidate(1, languages=("en",)),
        candidate(2, languages=("fr",), online=False),
        candidate(3, languages=("fr",), mission_id=PARTNER, serves_missions=(HOME,)),
        candidate(4, languages=("fr",), load=1),
        candidate(5, languages=("fr",)),
    ]
    ranking = rank(need, people, T)
    assert [r.specialist_id.int - 100 for r in ranking.eligible] == [5, 4, 3, 2, 1]
    assert ranking.eligible[-1].reasons == ["on call", "load 0/2", "does not speak fr", "online", "same mission"]


def test_everyone_left_out_is_explained():
    need = Need(HOME, "burns", None)
    people = [candidate(1, specialty="radiology"), candidate(2, mission_id=PARTNER), candidate(3, shifts=()),
              candidate(4, load=2), candidate(5)]
    ranking = rank(need, people, T, excluded=frozenset({uuid.UUID(int=105)}))
    assert ranking.eligible == []
    assert sorted(ranking.excluded.values()) == sorted([
        "specialty radiology, not burns", "does not serve this mission", "not on call now",
        "at load limit (2/2)", "already declined this consult"])


@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(0, 3), st.integers(1, 3), st.booleans()),
                max_size=12), st.integers(-12, 12))
def test_ranking_is_a_partition_and_only_eligible_people_are_ranked(rows, hour):
    now = T + timedelta(hours=hour)
    people = [candidate(i, languages=("fr",) if fr else ("en",), online=online, load=load, load_limit=limit,
                        mission_id=HOME if home else PARTNER)
              for i, (fr, online, load, limit, home) in enumerate(rows)]
    ranking = rank(Need(HOME, "burns", "fr"), people, now)
    ranked = [r.specialist_id for r in ranking.eligible]
    assert sorted(ranked + list(ranking.excluded)) == sorted(p.id for p in people)
    for person in people:
        eligible = person.mission_id == HOME and -6 <= hour < 6 and person.load < person.load_limit
        assert (person.id in ranked) == eligible
    speaks = [("fr" in next(p for p in people if p.id == r).languages) for r in ranked]
    assert speaks == sorted(speaks, reverse=True)  # every French speaker before anyone else

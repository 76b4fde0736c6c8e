"""A corpus of 9-lines as they are really sent (tests/dispatch/nineline_corpus.json), each with
what its sender meant: every line of every transmission is compared, so nothing is dropped."""

import json
from pathlib import Path

import pytest

from medevac import demo
from medevac.dispatch.nineline import NineLine, NineLineError, parse_text

CORPUS = json.loads((Path(__file__).parent / "nineline_corpus.json").read_text())["transmissions"]
# The demo mission's places: its Level I-III facilities and its asset bases (CAR, zones 33-35).
DEMO_AREA = [(lat, lon) for _, level, lat, lon, *_ in demo.FACILITIES if level < 4] + [
    (lat, lon) for _, _, _, _, lat, lon, *_ in demo.ASSETS]
NOT_GIVEN = {"calling_station": None, "called_station": None, "grid": None, "zone_assumed": False, "latlon": None,
             "description": None, "frequency": None, "call_sign": None, "precedence": {}, "equipment": [],
             "litter": 0, "ambulatory": 0, "security": None, "wounds": None, "marking": None, "nationality": [],
             "note": None, "cbrn": None, "terrain": None}


def compact(request: NineLine) -> dict:
    """Every line of the request in the corpus' short form."""
    location, marking = request.location, request.marking
    return {
        "calling_station": request.calling_station, "called_station": request.called_station,
        "grid": location.grid, "zone_assumed": location.zone_assumed,
        "latlon": None if location.grid else [location.lat, location.lon], "description": location.description,
        "frequency": request.radio.frequency, "call_sign": request.radio.call_sign,
        "precedence": {code: n for code, n in request.precedence if n}, "equipment": request.special_equipment,
        "litter": request.patients_by_type.litter, "ambulatory": request.patients_by_type.ambulatory,
        "security": request.security, "wounds": request.wounds,
        "marking": [marking.method, marking.detail] if marking else None,
        "nationality": [[g.status, g.count, g.category] for g in request.nationality],
        "note": request.nationality_note, "cbrn": request.cbrn, "terrain": request.terrain,
    }


def test_corpus_covers_every_form():
    forms = {item["form"] for item in CORPUS}
    assert len(CORPUS) >= 30 and len({item["name"] for item in CORPUS}) == len(CORPUS)
    assert forms == {"spoken", "typed", "one-line", "correction", "partial", "peacetime"}
    assert all(("expect" in item) != ("errors" in item) for item in CORPUS)


@pytest.mark.parametrize("item", CORPUS, ids=[item["name"] for item in CORPUS])
def test_transmission_parses_to_what_was_meant(item):
    text = item["text"] if isinstance(item["text"], str) else "\n".join(item["text"])
    if "errors" in item:
        with pytest.raises(NineLineError) as caught:
            parse_text(text, DEMO_AREA)
        found = [(p.line, p.field, p.message) for p in caught.value.problems]
        assert len(found) == len(item["errors"]), found
        for (line, field, message), (want_line, want_field, want_start) in zip(found, item["errors"]):
            assert (line, field) == (want_line, want_field) and message.startswith(want_start), found
        return
    assert compact(parse_text(text, DEMO_AREA)) == NOT_GIVEN | item["expect"]

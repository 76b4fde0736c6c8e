"""The 9-line parser reads real-world wordings, names the line of every error and never crashes."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medevac.dispatch.nineline import NineLine, NineLineError, parse_structured, parse_text, render_text
from medevac.dispatch.nineline.nationality import VOCABULARY
from medevac.dispatch.nineline.radio import NOT_GIVEN
from medevac.dispatch.nineline.spoken import DIGITS, PHONETIC, TEENS, TENS
from medevac.grid import GridError, latlon_to_mgrs, mgrs_to_latlon, parse_position
from medevac.vocabulary import CATEGORY_CODE

US_ARMY = """9-LINE MEDEVAC REQUEST
LINE 1: 33N VG 12345 67890
LINE 2: 38.90 DUSTOFF 6
LINE 3: A1 B2
BREAK
LINE 4: A
LINE 5: L3
LINE 6: P
LINE 7: C GREEN SMOKE
LINE 8: C 3
LINE 9: NONE
OVER
"""

NATO_PEACETIME = """1. 33NVG1234567890 (LZ EAGLE)
2. FREQ 45.500 C/S WARHORSE 21
3. 1 x URGENT, 1 URGENT SURGICAL BREAK 2 PRIORITY
4. HOIST
5. 2L 2A
6. 2 GSW LEG, 1 FRACTURE, 1 BURNS
7. PANELS ORANGE
8. C 4 BANGLADESHI
9. FLAT OPEN FIELD, TREES TO NORTH
"""

LABELLED_DMS = """LOCATION: 4°21'40"N 18°33'15"E
FREQ/CALLSIGN: 123.45 MHz TUNAIR 1
PRECEDENCE: URGENT 2
SPECIAL EQUIPMENT: D VENTILATOR
PATIENTS BY TYPE: LITTER 2
SECURITY: ENEMY TROOPS IN AREA, ARMED ESCORT REQUIRED
"""

CHAT_SHORTHAND = "L1 16.25, -0.5\nL2 CARPATHIAN 1\nL3 B-1\nL4 A\nL5 L 1"


def test_us_army_wording():
    request = parse_text(US_ARMY)
    assert request.location.grid == "33NVG1234567890"
    assert request.location.lat == pytest.approx(6.0418, abs=1e-4)
    assert (request.radio.frequency, request.radio.call_sign) == ("38.90", "DUSTOFF 6")
    assert (request.precedence.A, request.precedence.B, request.precedence.total) == (1, 2, 3)
    assert request.special_equipment == ["A"] and request.patients_by_type.litter == 3
    assert request.security == "P" and request.wounds is None
    assert (request.marking.method, request.marking.detail) == ("C", "GREEN SMOKE")
    assert [(g.status, g.count) for g in request.nationality] == [("C", 3)]
    assert request.cbrn == [] and request.terrain is None


def test_nato_peacetime_wording():
    request = parse_text(NATO_PEACETIME)
    assert request.location.description == "LZ EAGLE"
    assert request.radio.call_sign == "WARHORSE 21"
    assert (request.precedence.A, request.precedence.B, request.precedence.C) == (1, 1, 2)
    assert request.special_equipment == ["B"]
    assert (request.patients_by_type.litter, request.patients_by_type.ambulatory) == (2, 2)
    assert request.security is None and request.wounds == "2 GSW LEG, 1 FRACTURE, 1 BURNS"
    assert request.nationality_note == "BANGLADESHI"
    assert request.terrain == "FLAT OPEN FIELD, TREES TO NORTH" and request.cbrn is None


def test_labels_dms_and_plain_words():
    request = parse_text(LABELLED_DMS)
    assert (request.location.lat, request.location.lon) == (4.361111, 18.554167)
    assert request.radio.frequency == "123.45 MHz" and request.precedence.A == 2
    assert request.special_equipment == ["D"] and request.security == "X"
    assert request.marking is None and request.cbrn is None  # lines 7-9 follow later


def test_chat_shorthand_with_decimal_degrees():
    request = parse_text(CHAT_SHORTHAND)
    assert (request.location.lat, request.location.lon, request.location.grid) == (16.25, -0.5, None)
    assert request.radio.frequency is None and request.radio.call_sign == "CARPATHIAN 1"
    assert request.precedence.B == 1


@pytest.mark.parametrize("text, expected", [
    ("LINE 1: 33NVG1234567890\nLINE 2: X\nLINE 3: A 1 F 1\nLINE 4: A\nLINE 5: L 2",
     (3, "precedence", "unknown precedence code 'F'")),
    ("LINE 1: 61NVG1234567890\nLINE 2: X\nLINE 3: A 1\nLINE 4: A\nLINE 5: L 1",
     (1, "location", "MGRS zone 61 is outside 1..60")),
    ("LINE 1: 91.5, 10\nLINE 2: X\nLINE 3: A 1\nLINE 4: A\nLINE 5: L 1",
     (1, "location", "latitude 91.5 is outside -90..90")),
    ("LINE 1: 10, 10\nLINE 2: X\nLINE 3: A 1\nLINE 4: G\nLINE 5: L 1",
     (4, "special_equipment", "unknown special equipment code 'G'")),
    ("LINE 1: 10, 10\nLINE 2: X\nLINE 3: A 2\nLINE 4: A\nLINE 5: L 1",
     (5, "patients_by_type", "1 patients by type, 2 by precedence")),
    ("LINE 1: 10, 10\nLINE 2: X\nLINE 3: A 1\nLINE 4: A\nLINE 5: L 1\nLINE 6: Q",
     (6, "security", "unknown security code 'Q'")),
    ("LINE 1: 10, 10\nLINE 2: X\nLINE 3: A 1\nLINE 4: A\nLINE 5: L 1\nLINE 7: Z",
     (7, "marking", "unknown marking code 'Z'")),
    ("LINE 1: 10, 10\nLINE 2: X\nLINE 3: A 1\nLINE 4: A\nLINE 5: L 1\nLINE 9 NBC: GAS",
     (9, "cbrn", "unknown CBRN code 'GAS'")),
    ("LINE 1: 10, 10\nLINE 2: X\nLINE 3: A 1\nLINE 4: A\nLINE 5: L 1\nLINE 12: 3",
     (12, "line", "a 9-line has no line 12")),
])
def test_errors_name_line_and_field(text, expected):
    with pytest.raises(NineLineError) as caught:
        parse_text(text)
    assert [(p.line, p.field, p.message) for p in caught.value.problems] == [expected]
    assert str(caught.value).startswith(f"line {expected[0]}: ")


def test_all_missing_lines_are_reported_together():
    with pytest.raises(NineLineError) as caught:
        parse_text("LINE 3: A 1\nLINE 3: B 1")
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (3, "given twice; say CORRECTION before a line sent again"), (1, "missing"), (2, "missing"), (4, "missing"), (5, "missing")]


def test_structured_form_maps_errors_to_lines():
    valid = {"location": {"grid": "33N VG 123 678"}, "radio": {"call_sign": "DUSTOFF 6"},
             "precedence": {"B": 1}, "special_equipment": ["A"],
             "patients_by_type": {"litter": 1},
             "mist_at": [{"mechanism": "IED", "injuries": "traumatic amputation L leg",
                          "signs": "HR 130", "vitals": {"hr": 130, "bp": "80/50"},
                          "treatment": [{"given": "tourniquet", "at": "2024-03-11T17:41:00Z"}],
                          "age": 27, "time_of_injury": "2024-03-11T17:30:00Z"}]}
    request = parse_structured(valid)
    assert request.location.grid == "33NVG123678" and request.mist_at[0].age == 27
    with pytest.raises(NineLineError) as caught:
        parse_structured({**valid, "precedence": {"F": 1}, "security": "Q"})
    assert [(p.line, p.message) for p in caught.value.problems][:2] == [
        (3, "unknown precedence code 'F'"), (6, "must be one of 'N', 'P', 'E' or 'X'")]
    with pytest.raises(NineLineError) as caught:
        parse_structured({**valid, "mist_at": valid["mist_at"] * 2})
    assert caught.value.problems[0].field == "mist_at"


def test_errors_are_in_the_officers_words():
    valid = {"location": {"lat": 5.9, "lon": 20.8}, "radio": {"call_sign": "DUSTOFF 6"},
             "precedence": {"A": 1}, "patients_by_type": {"litter": 1}}
    assert parse_structured({**valid, "special_equipment": []}).special_equipment == ["A"]  # nothing ticked: none
    assert parse_structured(valid).special_equipment == ["A"]
    with pytest.raises(NineLineError) as caught:
        parse_structured({**valid, "location": {"lat": None, "lon": None}})
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (1, "give the pickup as an MGRS grid, or as latitude and longitude")]
    with pytest.raises(NineLineError) as caught:
        parse_structured({**valid, "location": {"lat": "north", "lon": 20.8}, "precedence": {"A": -1}})
    assert [(p.line, p.message) for p in caught.value.problems] == [(1, "must be a number"), (3, "must be 0 or more")]


def test_grid_parsing_and_ranges():
    lat, lon = mgrs_to_latlon("33NVG1234567890")
    assert latlon_to_mgrs(lat, lon) == "33NVG1234567890"
    assert parse_position("33N VG 1234 6789").grid == "33NVG12346789"
    position = parse_position("16 15 N 0 30 W")
    assert (position.lat, position.lon) == (16.25, -0.5)
    for bad in ("33NVG12345", "33NZZ1234567890", "10, 181", "4 61 0 N 18 0 0 E", "-4.5 N 3 E"):
        with pytest.raises(GridError):
            parse_position(bad)


# Words the radio form reserves: line labels, prowords, the "not given" fillers (UNKNOWN, N/A…),
# spoken letters and figures, and line 8's status words.
RESERVED = {"BREAK", "LINE", "LN", "OVER", "OUT", "NONE", "CALLSIGN", "CORRECTION", "ZONE", *NOT_GIVEN,
            *PHONETIC, *DIGITS, *TEENS, *TENS, *(word for phrase, _, _ in VOCABULARY for word in phrase)}
WORDS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=8).filter(
    lambda w: w not in RESERVED)
PHRASE = st.lists(WORDS, min_size=1, max_size=4).map(" ".join)


# GeoTrans rejects its own coarse grids whose square's corner crosses a latitude band edge
# ("Northing Error"); the parser reports those as line-1 errors, so round trips avoid the edges.
AWAY_FROM_BAND_EDGES = st.builds(lambda band, offset: band * 8 + offset,
                                 st.integers(-10, 9), st.floats(0.1, 7.9)).filter(
    lambda lat: -79.9 <= lat <= 83.9)


@st.composite
def nine_lines(draw):
    counts = draw(st.dictionaries(st.sampled_from("ABCDE"), st.integers(1, 20), min_size=1))
    total = sum(counts.values())
    litter = draw(st.integers(0, total))
    location = draw(st.one_of(
        st.builds(lambda lat, lon: {"lat": lat, "lon": lon},
                  st.floats(-79.9, 83.9), st.floats(-180, 180)),
        st.builds(lambda lat, lon, p: {"grid": latlon_to_mgrs(lat, lon, p)},
                  AWAY_FROM_BAND_EDGES, st.floats(-179.9, 179.9), st.integers(1, 5)),
    ))
    location["description"] = draw(st.none() | PHRASE)
    request = {
        "location": location,
        "radio": draw(st.sampled_from([{"frequency": "38.90", "call_sign": "DUSTOFF 6"},
                                       {"frequency": "45.5"}, {"call_sign": "WARHORSE 21"}])),
        "precedence": counts,
        "special_equipment": draw(st.just(["A"]) | st.lists(st.sampled_from("BCD"), min_size=1)),
        "patients_by_type": {"litter": litter, "ambulatory": total - litter},
        "marking": draw(st.none() | st.builds(lambda m, d: {"method": m, "detail": d},
                                              st.sampled_from("ABCDE"), st.none() | PHRASE)),
        "nationality": draw(st.lists(st.one_of(
            st.builds(lambda s, c: {"status": s, "count": c}, st.sampled_from("ABCDE"), st.none()),
            st.builds(lambda k, c: {"category": k, "count": c}, st.sampled_from(list(CATEGORY_CODE)),
                      st.none() | st.integers(1, 3))), max_size=2)),
    }
    if sum(group["count"] or 0 for group in request["nationality"]) > total:  # more than were called in
        request["nationality"] = [group | {"count": None} for group in request["nationality"]]
    if request["nationality"]:
        request["nationality_note"] = draw(st.none() | PHRASE)
    if request["location"].get("grid"):
        request["location"]["zone_assumed"] = draw(st.booleans())
    request.update(draw(st.sampled_from([{}, {"calling_station": "WHITE WOLF 4"},
                                         {"calling_station": "BRAVO 2-6", "called_station": "DUSTOFF"}])))
    request.update(draw(st.sampled_from([{}, {"security": "X"}, {"wounds": "2 GSW CHEST"}])))
    request.update(draw(st.one_of(st.just({}), st.builds(lambda c: {"cbrn": c},
                                  st.lists(st.sampled_from("NBCR"))),
                                  st.builds(lambda t: {"terrain": t}, PHRASE))))
    return parse_structured(request)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nine_lines(), st.booleans())
def test_round_trip_structured_text_structured(request: NineLine, spoken: bool):
    """Written or read back as spoken on the net, the text parses to the same request."""
    assert parse_text(render_text(request, spoken=spoken)) == request


def _parse_or_domain_error(text: str) -> None:
    try:
        parse_text(text)
    except NineLineError as error:
        assert error.problems and all(p.message for p in error.problems)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_raises_only_the_domain_error(text):
    _parse_or_domain_error(text)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([US_ARMY, NATO_PEACETIME, LABELLED_DMS, CHAT_SHORTHAND]),
       st.lists(st.tuples(st.integers(0, 400), st.integers(0, 6),
                          st.text(alphabet="0123456789ABCDEFLNPXZ .:-/()°'\"\n", max_size=6)),
                min_size=1, max_size=4))
def test_mutated_nine_lines_raise_only_the_domain_error(text, edits):
    for position, cut, insert in edits:
        position %= len(text) + 1
        text = text[:position] + insert + text[position + cut:]
    _parse_or_domain_error(text)


# The forms an operator really sends, as reported from the field: each must read as meant.
FIELD_SPOKEN = """WHITE WOLF X-RAY THIS IS WHITE WOLF 4, I HAVE A 9-LINE MEDEVAC REQUEST, BREAK / LINE 1, 34N FN 1234 5678, \
BREAK / LINE 2, 38.90, WHITE WOLF 4, BREAK / LINE 3, 2 BRAVO, BREAK / LINE 4, ALPHA, BREAK / LINE 5, 2 LIMA, BREAK / \
LINE 6, NOVEMBER, BREAK / LINE 7, CHARLIE, BREAK / LINE 8, 2 UN MILITARY, BREAK / LINE 9, NONE, OVER"""
FIELD_ONE_LINE = "L1 34NFN12345678 / L2 38.90 DUSTOFF 7 / L3 1A 1C / L4 A / L5 1L 1A / L6 N / L7 C / L8 A 2 / L9 NONE"
BRIA = [(6.54, 21.99), (6.52, 21.98)]  # a Level II and its helicopters' base


def test_field_spoken_form_keeps_the_calling_station():
    request = parse_text(FIELD_SPOKEN)
    assert (request.calling_station, request.called_station) == ("WHITE WOLF 4", "WHITE WOLF X-RAY")
    assert (request.location.grid, request.radio.call_sign, request.precedence.B) == ("34NFN12345678", "WHITE WOLF 4", 2)
    assert (request.special_equipment, request.patients_by_type.litter, request.security) == (["A"], 2, "N")
    assert request.marking.method == "C" and request.cbrn == []
    assert [(g.status, g.count, g.category) for g in request.nationality] == [("A", 2, "un_military")]


def test_field_one_line_form_reads_every_line():
    request = parse_text(FIELD_ONE_LINE)
    assert (request.location.grid, request.radio.frequency, request.radio.call_sign) == (
        "34NFN12345678", "38.90", "DUSTOFF 7")
    assert (request.precedence.A, request.precedence.C) == (1, 1)
    assert (request.patients_by_type.litter, request.patients_by_type.ambulatory) == (1, 1)
    assert (request.security, request.marking.method, request.nationality[0].count) == ("N", "C", 2)


def test_field_grid_without_zone_takes_the_missions():
    text = FIELD_ONE_LINE.replace("34NFN12345678", "FN 1234 5678")
    with pytest.raises(NineLineError) as caught:
        parse_text(text)  # no area: the caller is told to supply the mission's
    assert caught.value.zone_missing and caught.value.problems[0].line == 1
    request = parse_text(text, BRIA)
    assert (request.location.grid, request.location.zone_assumed) == ("34NFN12345678", True)
    assert "LINE ONE, GRID, TREE FOWER NOVEMBER FOXTROT NOVEMBER" in render_text(request, spoken=True)


def test_field_un_line_8_is_read_not_dropped():
    request = parse_text(FIELD_ONE_LINE.replace("L8 A 2", "LINE 8 1 UN MILITARY 1 LOCAL CIVILIAN"))
    assert [(g.status, g.count, g.category) for g in request.nationality] == [
        ("A", 1, "un_military"), ("D", 1, "local_civilian")]
    assert request.nationality_note is None


def test_read_back_is_the_spoken_form_lines_1_to_5_first():
    readback = render_text(parse_text(FIELD_SPOKEN), spoken=True).splitlines()
    assert readback[0] == "WHITE WOLF X-RAY THIS IS WHITE WOLF FOWER, I HAVE A 9-LINE MEDEVAC REQUEST, BREAK"
    assert [line.split(",")[0] for line in readback[1:]] == [
        "LINE ONE", "LINE TWO", "LINE TREE", "LINE FOWER", "LINE FIFE", "LINE SIX", "LINE SEVEN", "LINE EIGHT",
        "LINE NINER"]
    assert readback[3] == "LINE TREE, TWO BRAVO, BREAK" and readback[-1] == "LINE NINER, NBC, NONE, OVER"


# Content for one line, from the words operators use on any line (codes, words, figures).
LINE_WORDS = st.lists(st.sampled_from([
    "2", "1", "A", "C", "E", "L", "N", "P", "X", "ALPHA", "CHARLIE", "LIMA", "NOVEMBER", "TREE", "FIFE", "NINER",
    "DECIMAL", "UN", "MILITARY", "LOCAL", "CIVILIAN", "DETAINEE", "SMOKE", "GREEN", "NONE", "LITTER", "URGENT",
    "HOT", "FN", "1234", "5678", "34N", "GSW", "LEG", "FLAT"]), min_size=1, max_size=6).map(" ".join)
BASE_LINES = {1: "34N FN 1234 5678", 2: "38.90 DUSTOFF 6", 3: "A 2", 4: "A", 5: "L 2"}


def _line_value(request: NineLine, line: int) -> bool:
    return {1: request.location is not None, 2: bool(request.radio.frequency or request.radio.call_sign),
            3: request.precedence.total > 0, 4: bool(request.special_equipment),
            5: request.patients_by_type.total > 0, 6: bool(request.security or request.wounds),
            7: request.marking is not None, 8: bool(request.nationality),
            9: request.cbrn is not None or bool(request.terrain)}[line]


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 9), LINE_WORDS, st.booleans())
def test_a_line_that_is_sent_is_read_or_refused_never_emptied(line, content, spoken):
    lines = BASE_LINES | {line: content}
    marker = "LINE {}, " if spoken else "LINE {}: "
    text = "\n".join(marker.format(n) + lines[n] for n in sorted(lines))
    try:
        request = parse_text(text, BRIA)
    except NineLineError as error:
        assert error.problems and all(p.message for p in error.problems)
        return
    assert _line_value(request, line), (text, request)

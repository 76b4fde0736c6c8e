"""Whatever a peer sends, the framer holds at most the size limit and the parser answers with an event,
a 9-line or a Rejected naming the reason: never another exception."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from medevac.interop.cot.framing import OVERSIZE, Framer
from medevac.interop.cot.inbound import Rejected, nine_line_of, parse_event
from tests.interop.tak_peer import nine_line_cot

LIMIT = 2048
ATTRIBUTES = ["urgent", "urgent_surgical", "priority", "routine", "convenience", "litter", "ambulatory", "security",
              "hlz_marking", "freq", "hoist", "equipment_none", "us_military", "epw", "terrain_other_detail"]
VALUES = st.one_of(st.text(max_size=12), st.integers(-5, 2000).map(str), st.sampled_from(["true", "false", ""]))


@given(st.lists(st.binary(max_size=3000), max_size=8))
@settings(max_examples=200, deadline=None)
def test_the_framer_never_holds_more_than_the_limit(chunks):
    framer = Framer(LIMIT)
    for chunk in chunks:
        for event in framer.feed(chunk + b"</event>" * (len(chunk) % 2)):
            assert event is OVERSIZE or (event.endswith(b"</event>") and len(event) <= LIMIT)
        assert len(framer.buffer) <= LIMIT


@given(st.dictionaries(st.sampled_from(ATTRIBUTES), VALUES, max_size=8),
       st.floats(allow_nan=True, allow_infinity=True), st.floats(-200, 200))
@settings(max_examples=300, deadline=None)
def test_any_medevac_attributes_give_a_nine_line_or_a_named_rejection(attributes, lat, lon):
    raw = nine_line_cot("fuzz", **attributes)  # then any position, NaN and infinities too
    raw = re.sub(rb' lat="[^"]*"', f' lat="{lat}"'.encode(), re.sub(rb' lon="[^"]*"', f' lon="{lon}"'.encode(), raw))
    try:
        parsed = nine_line_of(parse_event(raw))
    except Rejected as rejected:
        assert rejected.outcome in {"invalid", "malformed"} and str(rejected)
        return
    assert parsed.uid == "fuzz" and parsed.nine_line.precedence.total > 0


@given(st.binary(max_size=600))
@settings(max_examples=200, deadline=None)
def test_arbitrary_bytes_are_rejected_by_name(raw):
    try:
        nine_line_of(parse_event(raw))
    except Rejected as rejected:
        assert rejected.outcome in {"invalid", "malformed"}

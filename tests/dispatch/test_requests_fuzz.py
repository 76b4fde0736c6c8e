"""Malformed 9-lines of many kinds: always a line-level 4xx problem, never a 500."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medevac.dispatch.requests import intake
from medevac.errors import DomainError, Problem
from medevac.http.middleware import translate
from tests.dispatch.conftest import NINE_LINES

LINES = NINE_LINES.splitlines()
JUNK = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
CODES = st.sampled_from(["A", "B", "C", "D", "E", "F", "Q", "X", "Z", "0", "-1", "999", "1000", "A0", "L-1"])


@st.composite
def broken_radio(draw) -> str:
    lines = list(LINES)
    kind = draw(st.sampled_from(["replace", "drop", "code", "junk", "whole"]))
    index = draw(st.integers(0, len(lines) - 1))
    if kind == "replace":
        lines[index] = lines[index].split(":")[0] + ": " + draw(JUNK)
    elif kind == "drop":
        del lines[index]
    elif kind == "code":
        lines[index] = lines[index].split(":")[0] + ": " + draw(CODES) + draw(st.sampled_from(["", "1", " 2", "99"]))
    elif kind == "junk":
        lines.insert(index, draw(JUNK))
    else:
        return draw(JUNK)
    return "\n".join(lines)


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False)
                           | JUNK, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(JUNK, inner, max_size=3), max_leaves=8)


@st.composite
def broken_structured(draw) -> dict:
    body = {"location": {"lat": 6.6, "lon": 22.05}, "radio": {"call_sign": "X"}, "precedence": {"A": 1},
            "special_equipment": ["A"], "patients_by_type": {"litter": 1}}
    key = draw(st.sampled_from([*body, "security", "marking", "nationality", "cbrn", "mist_at", "unknown"]))
    body[key] = draw(JSON_VALUES)
    return body


def check(problem: Problem) -> None:
    assert 400 <= problem.status < 500
    assert problem.errors and all(e.field and e.message for e in problem.errors)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(broken_radio().map(lambda t: {"text": t}), broken_structured()))
def test_parse_gives_a_line_level_problem_or_a_nine_line(body):
    try:
        parsed, _ = intake.parse(body)
    except (Problem, DomainError) as refused:  # a domain refusal becomes its problem in the middleware
        check(translate(refused) or refused)
        return
    intake.to_intake(parsed, None)  # whatever parses also becomes casualty records


async def test_over_http_broken_nine_lines_are_4xx_never_500(aiohttp_client, make_app, token, theatre):
    client = await aiohttp_client(make_app(rate_creates_per_minute=100_000, rate_calls_per_minute=100_000))
    samples: list[tuple[str, bytes]] = []

    @settings(max_examples=60, deadline=None, derandomize=True, database=None)
    @given(st.one_of(broken_radio().map(lambda t: ("text/plain", t.encode())),
                     broken_structured().map(lambda b: ("application/json", json.dumps(b).encode())),
                     st.binary(max_size=30).map(lambda b: ("application/json", b))))
    def collect(sample):
        samples.append(sample)

    collect()
    field = await token("field")
    for ctype, body in samples:
        response = await client.post("/v1/evac-requests", data=body, headers=field | {"Content-Type": ctype})
        assert response.status in (201, 400, 415, 422), (body, await response.text())
        if response.status >= 400:
            problem = await response.json()
            assert response.content_type == "application/problem+json" and problem["errors"], problem
            if response.status == 422 and ctype == "text/plain":
                assert any(e["field"].startswith("line ") or e["field"] in ("text", "request")
                           for e in problem["errors"]), problem

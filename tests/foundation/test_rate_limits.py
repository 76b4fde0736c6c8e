"""Rate limits: 429 with Retry-After for a runaway user, a flood of creations, or token guessing."""

from medevac.http.ratelimit import RateLimiter
from tests import factories

FACILITY = factories.facility()


def test_a_bucket_refills_at_its_rate():
    limiter = RateLimiter(per_minute=60, burst=2)
    assert limiter.retry_after("u", now=0) == 0
    assert limiter.retry_after("u", now=0) == 0
    assert limiter.retry_after("u", now=0) == 1.0  # one token a second
    assert limiter.retry_after("u", now=1.0) == 0
    assert limiter.retry_after("other", now=1.0) == 0  # users do not share a bucket


async def test_creations_past_the_limit_get_429_with_retry_after(aiohttp_client, make_app, token, db):
    client = await aiohttp_client(make_app(rate_creates_per_minute=6))
    headers = await token("dispatcher")
    statuses = []
    for n in range(8):
        response = await client.post("/v1/facilities", json=FACILITY | {"name": f"L1-{n}"}, headers=headers)
        statuses.append(response.status)
    assert statuses[:5] == [201] * 5 and 429 in statuses
    limited = await client.post("/v1/facilities", json=FACILITY | {"name": "again"}, headers=headers)
    assert limited.status == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.content_type == "application/problem+json"
    assert await db.fetchval("SELECT count(*) FROM facilities") == statuses.count(201)
    assert (await client.get("/v1/facilities", headers=headers)).status == 200  # reads still flow


async def test_guessing_tokens_is_throttled_per_address(aiohttp_client, make_app):
    client = await aiohttp_client(make_app(rate_failed_auth_per_minute=6))
    statuses = [(await client.get("/v1/assets", headers=factories.bearer(f"mdv_guess{n}"))).status
                for n in range(10)]
    assert statuses[:5] == [401] * 5 and statuses[-1] == 429

"""The demo as a newcomer meets it: the tokens `medevac serve --demo` prints run a teleconsult end to end."""

import re
from datetime import UTC, datetime

from medevac.demo import DEMO_MISSION, ON_CALL, SPECIALISTS, demo_ctx, put_specialists_on_call
from tests.factories import bearer

MIST = {"mechanism": "IED, dismounted patrol", "injuries": "left leg amputation", "signs": "HR 130, BP 90/60",
        "treatment": "tourniquet 10:42, TXA", "age": "25"}


def printed_tokens(output: str) -> dict[str, str]:
    """Role or specialty → token, from the lines the demo prints under `demo tokens:`."""
    return {m[1]: m[2] for m in re.finditer(r"^  (\w+) +(\S+)$", output, re.MULTILINE)}


async def demo_client(aiohttp_client, make_app, capsys):
    app = make_app()
    app.cleanup_ctx.append(demo_ctx)
    client = await aiohttp_client(app)
    return client, printed_tokens(capsys.readouterr().out)


async def request_and_accept(client, clinician: str, specialist: str, specialty: str) -> dict:
    created = await client.post("/v1/consults", headers=bearer(clinician), json={
        "specialty": specialty, "urgency": "urgent", "question": "Fit to fly to Bangui?", "summary": MIST})
    assert created.status == 201, await created.text()
    consult = await created.json()
    assert consult["status"] == "offered", consult["ranking"]
    offered = await client.get("/v1/consults", headers=bearer(specialist), params={"status": "offered"})
    assert consult["id"] in {c["id"] for c in (await offered.json())["items"]}
    accepted = await client.post(f"/v1/consults/{consult['id']}/accept", headers=bearer(specialist))
    assert accepted.status == 200, await accepted.text()
    return await accepted.json()


async def test_the_printed_clinician_gets_a_consult_accepted_by_the_printed_specialist(
        aiohttp_client, make_app, capsys):
    client, tokens = await demo_client(aiohttp_client, make_app, capsys)
    accepted = await request_and_accept(client, tokens["clinician"], tokens["specialist"], SPECIALISTS[0][2])
    assert accepted["status"] == "accepted"
    me = await (await client.get("/v1/specialists", headers=bearer(tokens["specialist"]),
                                 params={"specialty": SPECIALISTS[0][2]})).json()
    assert [s["id"] for s in me["items"] if s["user_id"] == "demo-specialist"] == [accepted["specialist_id"]]


async def test_every_demo_specialty_has_a_printed_specialist_who_accepts(aiohttp_client, make_app, capsys):
    client, tokens = await demo_client(aiohttp_client, make_app, capsys)
    for _, _, specialty, _, _ in SPECIALISTS[1:]:
        accepted = await request_and_accept(client, tokens["clinician"], tokens[specialty], specialty)
        assert accepted["status"] == "accepted", specialty


async def test_a_kept_demo_database_puts_its_specialists_back_on_call(aiohttp_client, make_app, capsys, db):
    await demo_client(aiohttp_client, make_app, capsys)
    assert await db.fetchval("SELECT count(*) FROM specialists WHERE mission_id = $1", DEMO_MISSION) == len(SPECIALISTS)
    later = datetime.now(UTC) + ON_CALL  # every shift the first start gave has ended
    async with db.transaction():
        await put_specialists_on_call(db, later)
    assert await db.fetchval("SELECT count(*) FROM specialists") == len(SPECIALISTS)
    on_call_then = await db.fetchval(
        "SELECT count(DISTINCT specialist_id) FROM specialist_windows WHERE starts_at <= $1 AND ends_at > $1", later)
    assert on_call_then == len(SPECIALISTS)
    audited = await db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'specialist.window_added'")
    assert audited == len(SPECIALISTS)

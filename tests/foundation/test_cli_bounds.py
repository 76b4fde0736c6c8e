"""The command line bounds what it is given like the API does: a clear refusal, nothing stored."""

import asyncio
import os
import sys

import pytest


async def medevac(database_url: str, *args: str) -> tuple[int, str]:
    env = os.environ | {"MEDEVAC_DATABASE_URL": database_url, "MEDEVAC_LOG_FORMAT": "console"}
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "medevac", *args, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await proc.communicate()
    return proc.returncode, out.decode() + err.decode()


@pytest.mark.parametrize("days", ["0", "-1", "100000", "ten"])
async def test_a_token_lifetime_that_is_not_1_to_3650_days_is_refused(database_url, db, mission, days):
    code, output = await medevac(database_url, "token", "create", "--user", "cmo", "--role", "dispatcher",
                                 "--mission", str(mission.id), f"--ttl-days={days}")
    assert code == 2 and "--ttl-days" in output and days in output
    assert await db.fetchval("SELECT count(*) FROM tokens WHERE user_id = 'cmo'") == 0


async def test_a_token_lifetime_in_days_is_kept(database_url, db, mission):
    code, output = await medevac(database_url, "token", "create", "--user", "cmo", "--role", "dispatcher",
                                 "--mission", str(mission.id), "--ttl-days", "2")
    assert code == 0, output
    days = await db.fetchval("SELECT extract(epoch FROM expires_at - created_at) / 86400 FROM tokens "
                             "WHERE user_id = 'cmo'")
    assert round(days) == 2


async def test_a_history_window_in_year_0001_is_refused(database_url):
    code, output = await medevac(database_url, "plan-basing", "scenarios/does-not-matter.json", "--demand",
                                 "history", "--since", "0001-01-01T00:00:00+00:00")
    assert code == 2 and "--since" in output and "between 1970 and 2100" in output


async def test_a_snapshot_in_year_0001_is_refused_by_plan(database_url, tmp_path):
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text('{"now": "0001-01-01T00:00:00Z", "patients": [], "assets": [], "facilities": []}')
    code, output = await medevac(database_url, "plan", str(snapshot))
    assert code == 2 and "now" in output and "between 1970 and 2100" in output

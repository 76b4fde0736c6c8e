"""`medevac plan-basing … --demand history` as a planner runs it: a subprocess reading the real database."""

import asyncio
import json
import sys

from tests.basing.test_api import TINY
from tests.basing.test_history import DAY, NIGHT, OUTPOST_SIDE


async def plan_basing(*args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "medevac", "plan-basing", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=300)
    return process.returncode, out.decode(), err.decode()


async def test_plan_basing_from_the_mission_history(tmp_path, database_url, mission, nine_line):
    await nine_line(*OUTPOST_SIDE, {"A": 1, "B": 2}, "2024-05-01" + DAY)
    await nine_line(*OUTPOST_SIDE, {"A": 1}, "2024-05-01" + NIGHT)
    await nine_line(*OUTPOST_SIDE, {"A": 4}, "2024-05-09" + DAY)  # after the window
    scenario = tmp_path / "tiny.json"
    scenario.write_text(TINY.model_dump_json())
    common = [str(scenario), "--demand", "history", "--mission", str(mission.id), "--database-url", database_url]

    code, out, err = await plan_basing(*common, "--until", "2024-05-08T00:00:00Z", "--runs", "2",
                                       "--workers", "1", "--time-limit", "5", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["demand"]["history"]["requests"] == 2 and result["demand"]["urgent"] == {"day": 3.0, "night": 1.0}
    assert result["evidence"]["runs"] == 2

    code, out, err = await plan_basing(*common, "--since", "2024-06-01T00:00:00Z")
    assert code == 2 and err.startswith("since: the mission has no evacuation requests"), err

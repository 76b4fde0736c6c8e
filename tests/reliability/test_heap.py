"""A serving replica freezes what start-up built, so its full collections stop walking it."""

import asyncio
import json


async def frozen_objects(replica, within_s: float = 10.0) -> int:
    async with asyncio.timeout(within_s):
        while True:
            for line in replica.log_path.read_text(errors="replace").splitlines():
                if '"service.heap_frozen"' in line:
                    return json.loads(line)["objects"]
            await asyncio.sleep(0.1)


async def test_a_serving_replica_freezes_its_start_up_heap(database_url, replicas):
    replica = await replicas(database_url, MEDEVAC_LOG_LEVEL="info")
    # Imports alone (aiohttp, pydantic, OR-Tools) are well over 50,000 objects: far fewer means
    # the freeze ran before start-up finished, or not at all.
    assert await frozen_objects(replica) > 50_000

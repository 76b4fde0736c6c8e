"""Fixtures for fault tests: replicas as subprocesses, killed at teardown whatever happened."""

import pytest

from tests.replicas import Replica


@pytest.fixture
def replicas(tmp_path):
    """`await replicas(database_url, **MEDEVAC_settings)` → a started `Replica`; all killed at teardown."""
    started: list[Replica] = []

    async def start(database_url: str, **settings: str) -> Replica:
        replica = Replica(database_url, tmp_path / f"replica-{len(started)}.log", **settings)
        started.append(replica)
        return await replica.start()

    yield start
    for replica in started:
        replica.kill()
        print(f"--- {replica.log_path.name} (shown when the test fails)\n{replica.log()}")

"""Shared fixtures: one real PostgreSQL per session, a fresh database per test, authed clients."""

import asyncio
import os
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from hypothesis import settings as hypothesis_settings

from medevac import auth
from medevac.config import Settings
from medevac.db import embedded, migrations
from medevac.missions import store as missions
from medevac.missions.model import MissionCreate
from medevac.observability import configure_logging
from tests import factories

TEMPLATE = "medevac_template"

# CI replays the same generated examples on every run, so a red run is reproducible and never a
# coin toss; local runs keep exploring new examples and find the bugs.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def with_database(dsn: str, name: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path="/" + name))


async def _admin_execute(dsn: str, *statements: str) -> None:
    conn = await asyncpg.connect(with_database(dsn, "postgres"))
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


async def _build_template(dsn: str) -> None:
    await _admin_execute(dsn, f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)", f"CREATE DATABASE {TEMPLATE}")
    conn = await asyncpg.connect(with_database(dsn, TEMPLATE))
    try:
        await migrations.migrate(conn)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def pg_server_dsn() -> str:
    """A real PostgreSQL: MEDEVAC_TEST_DATABASE_URL, or the embedded one in a temporary directory."""
    configure_logging("console", "warning")
    url = os.environ.get("MEDEVAC_TEST_DATABASE_URL")
    if url:
        return url
    return embedded.start(Path(tempfile.mkdtemp(prefix="medevac-test-")), keep=False)


@pytest.fixture(scope="session")
def template_ready(pg_server_dsn: str):
    asyncio.run(_build_template(pg_server_dsn))
    yield pg_server_dsn
    asyncio.run(_drop_finished(pg_server_dsn))


# Databases of finished tests. They are dropped when the next test starts, not at teardown:
# a test's aiohttp clients may be torn down after this fixture and still hold connections.
_finished: list[str] = []


async def _drop_finished(dsn: str) -> None:
    while _finished:
        await _admin_execute(dsn, f"DROP DATABASE IF EXISTS {_finished.pop()} WITH (FORCE)")


@pytest.fixture
async def database_url(template_ready: str):
    """A fresh, migrated database for this test alone (copied from the template: fast)."""
    await _drop_finished(template_ready)
    name = f"t_{uuid.uuid4().hex[:12]}"
    await _admin_execute(template_ready, f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield with_database(template_ready, name)
    _finished.append(name)


@pytest.fixture
def settings_for(database_url: str) -> Callable[..., Settings]:
    def make(**overrides) -> Settings:
        return Settings(database_url=database_url, log_format="console", log_level="warning", **overrides)

    return make


@pytest.fixture
def planner_settings():
    """The dispatch re-planner's settings for the app under test (None: the service's own).
    A test directory or module that wants another planner overrides this fixture, not `make_app`."""
    return None


@pytest.fixture
def make_app(settings_for, planner_settings):
    """`make_app(**settings)` → the service's app, with the `planner_settings` fixture's planner."""
    from medevac.app import create_app
    from medevac.dispatch.planning.loop import planner_settings_key

    def make(**overrides):
        app = create_app(settings_for(**overrides))
        if planner_settings is not None:
            app[planner_settings_key] = planner_settings
        return app

    return make


@pytest.fixture
async def client(aiohttp_client, make_app):
    return await aiohttp_client(make_app())


@pytest.fixture
async def db(database_url: str):
    """A direct connection for arranging and checking rows behind the API's back."""
    from medevac.db.pool import _init_connection

    conn = await asyncpg.connect(database_url)
    await _init_connection(conn)
    yield conn
    await conn.close()


@pytest.fixture
async def mission(db):
    return await missions.create(db, MissionCreate(name=f"Mission {uuid.uuid4().hex[:6]}", time_zone="Africa/Bangui"))


@pytest.fixture
def token(db, mission):
    """`await token(role, mission_id=..., rights=...)` → bearer headers; the default mission is the fixture's."""

    async def make(role: str, mission_id: uuid.UUID | None | str = "default", user: str | None = None,
                   rights: tuple[str, ...] = (), facility_id: uuid.UUID | str | None = None) -> dict:
        scope = mission.id if mission_id == "default" else mission_id
        return await factories.token(db, role, scope, user, rights=rights,
                                     facility_id=uuid.UUID(str(facility_id)) if facility_id else None)

    return make


class SseReader:
    """Reads server-sent events from an aiohttp response, one parsed event at a time."""

    def __init__(self, response) -> None:
        self.response = response

    async def next(self, timeout: float = 10.0) -> dict:
        import json as _json

        fields: dict[str, str] = {}
        async with asyncio.timeout(timeout):
            while True:
                line = (await self.response.content.readline()).decode().rstrip("\r\n")
                if line == "":
                    if "data" in fields:
                        event = _json.loads(fields["data"])
                        event["_id"] = fields.get("id")
                        event["_event"] = fields.get("event")
                        return event
                    continue
                if line.startswith(":"):
                    continue  # ping
                name, _, value = line.partition(":")
                fields[name] = value[1:] if value.startswith(" ") else value

    async def until(self, predicate, timeout: float = 10.0) -> dict:
        async with asyncio.timeout(timeout):
            while True:
                event = await self.next(timeout)
                if predicate(event):
                    return event


@pytest.fixture
def sse():
    """`reader = await sse(client, headers, last_event_id=None)`: an open /v1/events stream."""
    opened = []

    async def open_stream(client, headers: dict, last_event_id: int | None = None, **params) -> SseReader:
        if last_event_id is not None:
            headers = headers | {"Last-Event-ID": str(last_event_id)}
        response = await client.get("/v1/events", headers=headers, params=params)
        assert response.status == 200, await response.text()
        opened.append(response)
        return SseReader(response)

    yield open_stream
    for response in opened:
        response.close()


@pytest.fixture
async def empty_database_url(template_ready: str):
    """A database with nothing in it: not even migrations."""
    name = f"e_{uuid.uuid4().hex[:12]}"
    await _admin_execute(template_ready, f"CREATE DATABASE {name}")
    yield with_database(template_ready, name)
    _finished.append(name)

"""Nothing lost: every 2xx'd change is in the database exactly once, every console got every event."""

from collections import Counter
from dataclasses import dataclass

import asyncpg
import numpy as np

from bench.load.drive import Sample


@dataclass
class Ledger:
    nine_lines_ok: int = 0
    nine_lines_missing: int = 0  # a 201 whose request is not stored once with the id we were given
    nine_lines_duplicated: int = 0
    nine_lines_unanswered_but_stored: int = 0  # timeouts that committed anyway (allowed, counted)
    chats_ok: int = 0
    chats_missing: int = 0
    chats_duplicated: int = 0
    positions_ok: int = 0
    assets_version_mismatch: int = 0  # an asset whose version is not 1 + its accepted (+ unanswered) reports
    events: int = 0
    consoles: int = 0
    consoles_complete: int = 0
    deliveries_missing: int = 0
    reconnects: int = 0

    @property
    def nothing_lost(self) -> bool:
        return not (self.nine_lines_missing or self.nine_lines_duplicated or self.chats_missing
                    or self.chats_duplicated or self.assets_version_mismatch or self.deliveries_missing)


async def check_rows(conn: asyncpg.Connection, run: str, samples: list[Sample], ledger: Ledger) -> None:
    stored = {r["callsign"]: (r["n"], r["id"]) for r in await conn.fetch(
        """SELECT callsign, count(*) AS n, min(id::text) AS id FROM evac_requests
           WHERE callsign LIKE $1 GROUP BY callsign""", f"{run}-%")}
    messages = Counter({(str(r["consult_id"]), r["client_id"]): r["n"] for r in await conn.fetch(
        """SELECT consult_id, client_id, count(*) AS n FROM consult_messages
           WHERE client_id LIKE $1 GROUP BY consult_id, client_id""", f"{run}-%")})
    accepted_reports: Counter = Counter()
    unanswered_reports: Counter = Counter()  # a timed-out report may still have committed
    for s in samples:
        ok = 200 <= s.status < 300
        if s.kind == "9-line":
            count, stored_id = stored.get(s.key[0], (0, None))
            ledger.nine_lines_ok += ok
            ledger.nine_lines_missing += ok and (count == 0 or stored_id != s.key[1])
            ledger.nine_lines_unanswered_but_stored += not ok and count > 0
        elif s.kind == "chat message":
            ledger.chats_ok += ok
            ledger.chats_missing += ok and messages[s.key[:2]] == 0
        elif s.kind == "position report":
            ledger.positions_ok += ok
            accepted_reports[s.key[0]] += ok
            unanswered_reports[s.key[0]] += s.status == 0
    ledger.nine_lines_duplicated = sum(1 for n, _ in stored.values() if n > 1)
    ledger.chats_duplicated = sum(1 for n in messages.values() if n > 1)
    for r in await conn.fetch("SELECT id::text AS id, version FROM assets"):
        low = 1 + accepted_reports[r["id"]]
        ledger.assets_version_mismatch += not low <= r["version"] <= low + unanswered_reports[r["id"]]


def check_deliveries(arrivals: dict[str, np.ndarray], expected: np.ndarray, ledger: Ledger) -> None:
    """Each console must hold exactly the expected sequence numbers (it keeps them strictly increasing)."""
    consoles = len(arrivals["connects"])
    in_window = arrivals["seq"] <= expected.max(initial=0)
    per_console = np.bincount(arrivals["console"][in_window], minlength=consoles)
    known = np.isin(arrivals["seq"][in_window], expected)
    if not known.all():
        raise AssertionError("a console received an event of another mission or window")
    ledger.events = len(expected)
    ledger.consoles = consoles
    ledger.consoles_complete = int((per_console == len(expected)).sum())
    ledger.deliveries_missing = int((len(expected) - per_console).sum())
    ledger.reconnects = int((arrivals["connects"] - 1).sum())


async def event_keys(conn: asyncpg.Connection, mission_id: str, after: int, upto: int) -> tuple[np.ndarray, dict]:
    """The mission's events in the window, and what changed -> seq, to join with the 2xx'd calls."""
    rows = await conn.fetch(
        """SELECT seq, type, entity_id, payload FROM events
           WHERE mission_id = $1::uuid AND seq > $2 AND seq <= $3 ORDER BY seq""", mission_id, after, upto)
    keys = {}
    for r in rows:
        if r["type"] == "evac_request.created":
            keys[("9-line", r["entity_id"])] = r["seq"]
        elif r["type"] == "consult.message_posted":
            keys[("chat message", r["entity_id"], r["payload"]["seq"])] = r["seq"]
        elif r["type"] == "asset.updated":
            keys[("position report", r["entity_id"], r["payload"]["version"])] = r["seq"]
    return np.array([r["seq"] for r in rows], dtype=np.int64), keys


def change_key(s: Sample) -> tuple | None:
    """The `event_keys` key of the event a 2xx'd call caused."""
    if s.kind == "9-line":
        return ("9-line", s.key[1])
    if s.kind == "chat message":
        return ("chat message", s.key[0], s.key[2])
    if s.kind == "position report":
        return ("position report", s.key[0], s.key[1])
    return None

"""The mission-state metric families (declared in one place) and how one snapshot is read."""

from collections import defaultdict
from datetime import datetime, timezone

import asyncpg

from medevac.geo import is_night
from medevac.monitoring import sql

# name → (type, help, labels). Labels are bounded: mission, precedence, state, kind, level, urgency.
FAMILIES: dict[str, tuple[str, str, list[str]]] = {
    "medevac_mission_info": ("gauge", "1 per mission; maps the mission label to its name", ["mission", "name"]),
    "medevac_open_request_oldest_age_seconds": (
        "gauge", "Age since the 9-line call of the oldest open casualty, by precedence and casualty state "
        "(waiting = no asset tasked)", ["mission", "precedence", "state"]),
    "medevac_open_casualties": ("gauge", "Casualties not yet handed over, by precedence and state",
                                ["mission", "precedence", "state"]),
    "medevac_golden_hour_at_risk_casualties": (
        "gauge", "Open A/B casualties whose predicted arrival at care (ETA, or now if untasked) is past "
        "injury + the resuscitation standard", ["mission", "precedence"]),
    "medevac_fleet_assets": ("gauge", "Assets by kind and availability status", ["mission", "kind", "status"]),
    "medevac_night_capable_assets_available": ("gauge", "Night-capable (NVG) assets with status available",
                                               ["mission"]),
    "medevac_mission_dark": ("gauge", "1 if the sun is below civil twilight at the mission's facilities",
                             ["mission"]),
    "medevac_facility_usable_beds": ("gauge", "Usable beds of facilities not closed, by Level", ["mission", "level"]),
    "medevac_facilities_blocked_with_inbound": (
        "gauge", "Facilities closed, diverting or over capacity (reserved > usable beds) with live evacuations "
        "inbound", ["mission", "level", "reason"]),
    "medevac_consults_past_answer_target": ("gauge", "Teleconsults unanswered past their answer target",
                                            ["mission", "urgency"]),
    "medevac_planner_current_plan_fallback": ("gauge", "1 if the mission's current stored plan came from the "
                                              "fallback policy", ["mission"]),
    "medevac_golden_hour_casualties": (
        "counter", "A/B casualties handed over, within or past the resuscitation standard (the 1 of 10-1-2)",
        ["mission", "precedence", "outcome"]),
    "medevac_surgery_2h_casualties": (
        "counter", "B casualties handed over to a surgical facility within their standard, or not (the 2 of 10-1-2)",
        ["mission", "outcome"]),
    "medevac_time_standard_casualties": (
        "counter", "Casualties handed over within or past their precedence's time standard",
        ["mission", "precedence", "outcome"]),
}

Snapshot = dict[str, list[tuple[list[str], float]]]


async def read_snapshot(conn: asyncpg.Connection) -> Snapshot:
    snap: Snapshot = defaultdict(list)
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        for row in await conn.fetch(sql.OPEN_CASUALTIES):
            labels = [str(row["mission_id"]), row["precedence"], row["state"]]
            snap["medevac_open_casualties"].append((labels, row["n"]))
            snap["medevac_open_request_oldest_age_seconds"].append((labels, max(0.0, float(row["oldest_s"]))))
        for row in await conn.fetch(sql.GOLDEN_HOUR_AT_RISK):
            snap["medevac_golden_hour_at_risk_casualties"].append(
                ([str(row["mission_id"]), row["precedence"]], row["n"]))
        for row in await conn.fetch(sql.FLEET):
            snap["medevac_fleet_assets"].append(([str(row["mission_id"]), row["kind"], row["status"]], row["n"]))
        _missions(snap, await conn.fetch(sql.MISSIONS))
        _facilities(snap, await conn.fetch(sql.FACILITIES))
        for row in await conn.fetch(sql.CONSULTS_PAST_TARGET):
            snap["medevac_consults_past_answer_target"].append(([str(row["mission_id"]), row["urgency"]], row["n"]))
        for row in await conn.fetch(sql.PLANS):
            snap["medevac_planner_current_plan_fallback"].append(([str(row["mission_id"])], int(row["fallback"])))
        _compliance(snap, await conn.fetch(sql.COMPLIANCE))
    return dict(snap)


def _missions(snap: Snapshot, rows: list) -> None:
    now = datetime.now(timezone.utc)
    for row in rows:
        mission = str(row["id"])
        snap["medevac_mission_info"].append(([mission, row["name"]], 1))
        snap["medevac_night_capable_assets_available"].append(([mission], row["night_available"]))
        if row["lat"] is not None:
            snap["medevac_mission_dark"].append(([mission], int(is_night(row["lat"], row["lon"], now))))


def _facilities(snap: Snapshot, rows: list) -> None:
    beds: dict[tuple[str, str], int] = defaultdict(int)
    blocked: dict[tuple[str, str, str], int] = defaultdict(int)
    for row in rows:
        key = (str(row["mission_id"]), str(row["level"]))
        if row["status"] != "closed":
            beds[key] += row["usable_beds"]
        reason = _blocked_reason(row)
        if reason and row["inbound"]:
            blocked[key + (reason,)] += 1
    snap["medevac_facility_usable_beds"].extend((list(k), v) for k, v in beds.items())
    snap["medevac_facilities_blocked_with_inbound"].extend((list(k), v) for k, v in blocked.items())


def _blocked_reason(row) -> str | None:
    if row["status"] in ("closed", "diverting"):
        return row["status"]
    if row["reserved"] > row["usable_beds"]:
        return "full"
    return None


def _compliance(snap: Snapshot, rows: list) -> None:
    for row in rows:
        mission, precedence = str(row["mission_id"]), row["precedence"]
        for outcome in ("within", "missed"):
            snap["medevac_time_standard_casualties"].append(
                ([mission, precedence, outcome], row[f"standard_{outcome}"]))
            if precedence in ("A", "B"):
                snap["medevac_golden_hour_casualties"].append(
                    ([mission, precedence, outcome], row[f"golden_{outcome}"]))
            if precedence == "B":
                snap["medevac_surgery_2h_casualties"].append(([mission, outcome], row[f"surgery_{outcome}"]))

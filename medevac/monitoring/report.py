"""The HQ response-time report: exact figures per precedence from the casualty rows."""

import uuid
from datetime import datetime

import asyncpg
from pydantic import BaseModel, Field

from medevac.monitoring import sql
from medevac.vocabulary import PRECEDENCES

SEGMENTS = ("injury_to_call", "call_to_tasked", "tasked_to_airborne", "airborne_to_pickup", "pickup_to_handover")


def _spread(column: str) -> str:
    return (f"count({column}) AS {column}_n, avg({column}) AS {column}_mean, "
            f"percentile_cont(0.9) WITHIN GROUP (ORDER BY {column}) AS {column}_p90")


REPORT = f"""
    WITH care AS ({sql.HANDED_OVER}
        AND {sql.HANDED_OVER_AT} >= $1 AND {sql.HANDED_OVER_AT} < $2
        AND ($3::uuid IS NULL OR r.mission_id = $3))
    SELECT precedence, {_spread('care_s')},
           count(*) FILTER (WHERE care_s <= standard_s) AS within_standard,
           count(*) FILTER (WHERE care_s <= resuscitation_s) AS golden_within,
           count(*) FILTER (WHERE surgical AND care_s <= standard_s) AS surgery_within,
           {', '.join(_spread(f'{segment}_s') for segment in SEGMENTS)}
    FROM care GROUP BY precedence"""


class Spread(BaseModel):
    count: int
    mean_s: float | None = Field(description="mean seconds")
    p90_s: float | None = Field(description="90th percentile, linear interpolation between rows")


class PrecedenceFigures(Spread):
    precedence: str
    within_standard: int
    share_within_standard: float | None
    segments: dict[str, Spread] = Field(description=f"per stage: {', '.join(SEGMENTS)}")


class Share(BaseModel):
    count: int
    within: int
    share: float | None


class ResponseTimes(BaseModel):
    from_: datetime = Field(alias="from")
    to: datetime
    mission: uuid.UUID | None
    golden_hour: Share = Field(description="A+B at advanced care within the resuscitation standard")
    surgery_2h: Share = Field(description="B at a surgical facility within the B standard")
    precedences: list[PrecedenceFigures]


def _share(within: int, count: int) -> Share:
    return Share(count=count, within=within, share=within / count if count else None)


def _spread_of(row, column: str) -> Spread:
    if row is None:
        return Spread(count=0, mean_s=None, p90_s=None)
    return Spread(count=row[f"{column}_n"], mean_s=row[f"{column}_mean"], p90_s=row[f"{column}_p90"])


def _figures(precedence: str, row) -> PrecedenceFigures:
    care = _spread_of(row, "care_s")
    within = row["within_standard"] if row else 0
    return PrecedenceFigures(
        precedence=precedence, **care.model_dump(), within_standard=within,
        share_within_standard=_share(within, care.count).share,
        segments={segment: _spread_of(row, f"{segment}_s") for segment in SEGMENTS})


async def response_times(conn: asyncpg.Connection, start: datetime, end: datetime,
                         mission_id: uuid.UUID | None) -> ResponseTimes:
    rows = {row["precedence"]: row for row in await conn.fetch(REPORT, start, end, mission_id)}
    urgent = [rows[p] for p in ("A", "B") if p in rows]
    golden = _share(sum(r["golden_within"] for r in urgent), sum(r["care_s_n"] for r in urgent))
    b = rows.get("B")
    surgery = _share(b["surgery_within"], b["care_s_n"]) if b else _share(0, 0)
    return ResponseTimes.model_validate({
        "from": start, "to": end, "mission": mission_id, "golden_hour": golden, "surgery_2h": surgery,
        "precedences": [_figures(p, rows.get(p)) for p in PRECEDENCES]})


def as_csv_rows(report: ResponseTimes) -> list[list]:
    """One header row, then one row per precedence (empty cells where there is no figure)."""
    header = ["precedence", "count", "mean_s", "p90_s", "within_standard", "share_within_standard"]
    header += [f"{segment}_{part}" for segment in SEGMENTS for part in ("count", "mean_s", "p90_s")]
    rows: list[list] = [header]
    for f in report.precedences:
        row = [f.precedence, f.count, f.mean_s, f.p90_s, f.within_standard, f.share_within_standard]
        for segment in SEGMENTS:
            s = f.segments[segment]
            row += [s.count, s.mean_s, s.p90_s]
        rows.append(["" if cell is None else cell for cell in row])
    return rows

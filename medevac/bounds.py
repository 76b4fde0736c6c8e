"""Bounds on what comes in: times a clock can mean, and numbers the columns and the arithmetic hold.

Every time a client, a scenario file or the command line gives is an `Instant`: with its UTC
offset, from 1970 to 2100. A year-0001 injury time is stored by PostgreSQL as `-infinity`, which
comes back without a time zone and breaks every sum the planner does; nothing here needs it.
"""

import json
import math
from datetime import datetime, timezone
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, Field

EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2100, 1, 1, tzinfo=timezone.utc)
ERA = "between 1970 and 2100"

# A time standard is minutes from injury to care: a week is far past any the UN sets (routine is
# 24 h), and 60 s × a week stays an int4 in the SQL that reports on them.
MAX_STANDARD_MIN = 7 * 24 * 60


def in_era(value: datetime) -> datetime:
    """The time, if it lies in the window every clock of the service can work with."""
    if not EARLIEST <= value < LATEST:
        raise ValueError(f"must be {ERA} (got year {value.year})")
    return value


def finite(column: str) -> str:
    """SQL: the stored time, or NULL when it is ±infinity (how PostgreSQL keeps a year-0001 time), so
    a `coalesce` falls back to the next time known and one bad row fails no query."""
    return f"CASE WHEN isfinite({column}) THEN {column} END"


def usable(value: datetime | None) -> bool:
    """Whether a stored time can be planned with: aware and in the era (not ±infinity)."""
    return value is not None and value.tzinfo is not None and EARLIEST <= value < LATEST


Instant = Annotated[AwareDatetime, AfterValidator(in_era)]
Standard = Annotated[int, Field(ge=1, le=MAX_STANDARD_MIN)]


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 parses as infinity
        raise ValueError(f"{text} is not a finite number")
    return value


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def load_json(text: str | bytes) -> Any:
    """JSON as RFC 8259 has it: NaN, Infinity and numbers past a double are refused (ValueError), not
    stored to come back as a body no browser can parse."""
    return json.loads(text, parse_float=_finite, parse_constant=_no_constant)

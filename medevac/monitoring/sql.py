"""The SQL the monitoring reads: figures every replica computes alike from the shared database."""

from medevac.bounds import MAX_STANDARD_MIN, finite
from medevac.vocabulary import standard_case_sql
from medevac.telemed.model import AWAITING

LIVE_EVACUATION = "('tasked', 'airborne', 'at_pickup', 'loaded')"
OPEN_CASUALTY = "c.status IN ('waiting', 'tasked', 'onboard') AND r.status <> 'cancelled'"
# The clock starts at the injury; a request without one falls back to the call (DESIGN §1). A
# stored time that is not finite (year 0001 became -infinity) counts as absent: one bad row must
# not fail the figures of every mission.
INJURED_AT = f"coalesce({finite('c.injured_at')}, {finite('r.injured_at')}, r.called_at)"
HANDED_OVER_AT = "coalesce(c.handed_over_at, e.handed_over_at)"


def standard_s(key: str, default_min: str) -> str:
    """A mission's time standard in seconds: the stored one when it is a number the service accepts
    (1 min to MAX_STANDARD_MIN), else the default, so a bad stored value cannot fail the query."""
    stored = f"(m.time_standards -> {key})"
    number = f"CASE WHEN jsonb_typeof({stored}) = 'number' THEN {stored}::numeric END"  # CASE: cast only numbers
    return f"60 * coalesce(CASE WHEN ({number}) BETWEEN 1 AND {MAX_STANDARD_MIN} THEN ({number})::int END, {default_min})"


RESUSCITATION_S = standard_s("'resuscitation'", "60")
PRECEDENCE_STANDARD_S = standard_s(
    "c.precedence", standard_case_sql("c.precedence"))

OPEN_CASUALTIES = f"""
    SELECT r.mission_id, c.precedence, c.status AS state, count(*) AS n,
           extract(epoch FROM now() - min(r.called_at)) AS oldest_s
    FROM casualties c JOIN evac_requests r ON r.id = c.request_id
    WHERE {OPEN_CASUALTY}
    GROUP BY 1, 2, 3"""

GOLDEN_HOUR_AT_RISK = f"""
    SELECT r.mission_id, c.precedence, count(*) AS n
    FROM casualties c JOIN evac_requests r ON r.id = c.request_id JOIN missions m ON m.id = r.mission_id
    LEFT JOIN evacuations e ON e.id = c.evacuation_id AND e.state IN {LIVE_EVACUATION}
    WHERE c.precedence IN ('A', 'B') AND {OPEN_CASUALTY}
      AND coalesce(e.eta_facility, now()) > {INJURED_AT} + make_interval(secs => {RESUSCITATION_S})
    GROUP BY 1, 2"""

FLEET = "SELECT mission_id, kind, status, count(*) AS n FROM assets GROUP BY 1, 2, 3"

# Where a mission is (for night): its facilities, else its asset bases.
MISSIONS = """
    SELECT m.id, m.name,
           coalesce((SELECT avg(lat) FROM facilities f WHERE f.mission_id = m.id),
                    (SELECT avg(base_lat) FROM assets a WHERE a.mission_id = m.id)) AS lat,
           coalesce((SELECT avg(lon) FROM facilities f WHERE f.mission_id = m.id),
                    (SELECT avg(base_lon) FROM assets a WHERE a.mission_id = m.id)) AS lon,
           (SELECT count(*) FROM assets a WHERE a.mission_id = m.id AND a.status = 'available'
               AND a.night_capable) AS night_available
    FROM missions m"""

FACILITIES = f"""
    SELECT f.mission_id, f.level, f.status, f.usable_beds,
           coalesce(sum(e.beds_reserved), 0) AS reserved, count(e.id) AS inbound
    FROM facilities f LEFT JOIN evacuations e ON e.facility_id = f.id AND e.state IN {LIVE_EVACUATION}
    GROUP BY f.id"""

CONSULTS_PAST_TARGET = f"""
    SELECT mission_id, urgency, count(*) AS n FROM consults
    WHERE status IN {tuple(AWAITING)} AND answer_due_at < now()
    GROUP BY 1, 2"""

PLANS = "SELECT mission_id, fallback FROM plans"

# Casualties at care: the facts every compliance figure and the HQ report are computed from.
HANDED_OVER = f"""
    SELECT r.mission_id, c.precedence, {HANDED_OVER_AT} AS handed_over_at,
           extract(epoch FROM {HANDED_OVER_AT} - {INJURED_AT}) AS care_s,
           extract(epoch FROM r.called_at - {INJURED_AT}) AS injury_to_call_s,
           extract(epoch FROM e.tasked_at - r.called_at) AS call_to_tasked_s,
           extract(epoch FROM e.airborne_at - e.tasked_at) AS tasked_to_airborne_s,
           extract(epoch FROM e.at_pickup_at - e.airborne_at) AS airborne_to_pickup_s,
           extract(epoch FROM {HANDED_OVER_AT} - e.at_pickup_at) AS pickup_to_handover_s,
           {PRECEDENCE_STANDARD_S} AS standard_s,
           {RESUSCITATION_S} AS resuscitation_s,
           coalesce(f.capabilities && ARRAY['surgery', 'damage_control_surgery'], false) AS surgical
    FROM casualties c JOIN evac_requests r ON r.id = c.request_id JOIN missions m ON m.id = r.mission_id
    LEFT JOIN evacuations e ON e.id = c.evacuation_id
    LEFT JOIN facilities f ON f.id = e.facility_id
    WHERE c.status = 'handed_over'"""

COMPLIANCE = f"""
    WITH care AS ({HANDED_OVER})
    SELECT mission_id, precedence,
           count(*) FILTER (WHERE care_s <= standard_s) AS standard_within,
           count(*) FILTER (WHERE care_s > standard_s) AS standard_missed,
           count(*) FILTER (WHERE precedence IN ('A', 'B') AND care_s <= resuscitation_s) AS golden_within,
           count(*) FILTER (WHERE precedence IN ('A', 'B') AND care_s > resuscitation_s) AS golden_missed,
           count(*) FILTER (WHERE precedence = 'B' AND surgical AND care_s <= standard_s) AS surgery_within,
           count(*) FILTER (WHERE precedence = 'B' AND NOT (surgical AND care_s <= standard_s)) AS surgery_missed
    FROM care GROUP BY 1, 2"""

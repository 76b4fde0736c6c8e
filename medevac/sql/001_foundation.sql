-- The registry, auth, audit log, event outbox and idempotency keys.

CREATE TABLE missions (
    id uuid PRIMARY KEY,
    name text NOT NULL UNIQUE,
    time_zone text NOT NULL,
    time_standards jsonb NOT NULL,
    approval text NOT NULL CHECK (approval IN ('manual', 'auto')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1
);

CREATE TABLE facilities (
    id uuid PRIMARY KEY,
    mission_id uuid NOT NULL REFERENCES missions (id),
    name text NOT NULL,
    level smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
    lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    capabilities text[] NOT NULL DEFAULT '{}',
    beds integer NOT NULL CHECK (beds >= 0),
    usable_beds integer NOT NULL CHECK (usable_beds >= 0),
    icu_beds integer NOT NULL CHECK (icu_beds >= 0),
    operating_tables integer NOT NULL CHECK (operating_tables >= 0),
    status text NOT NULL CHECK (status IN ('open', 'diverting', 'closed')),
    helipad boolean NOT NULL,
    night_landing boolean NOT NULL,
    refuel boolean NOT NULL,
    -- when each figure (status, beds, usable_beds, ...) was last reported
    figures_updated_at jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    UNIQUE (mission_id, name)
);
CREATE INDEX facilities_mission ON facilities (mission_id, id);

CREATE TABLE assets (
    id uuid PRIMARY KEY,
    mission_id uuid NOT NULL REFERENCES missions (id),
    callsign text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('helicopter', 'fixed_wing', 'ground')),
    role text NOT NULL CHECK (role IN ('medevac', 'casevac')),
    model text,
    base_lat double precision NOT NULL CHECK (base_lat BETWEEN -90 AND 90),
    base_lon double precision NOT NULL CHECK (base_lon BETWEEN -180 AND 180),
    lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    position_at timestamptz NOT NULL,
    cruise_kmh double precision NOT NULL CHECK (cruise_kmh > 0),
    range_km double precision NOT NULL CHECK (range_km > 0),
    litters integer NOT NULL CHECK (litters >= 0),
    seats integer NOT NULL CHECK (seats >= 0),
    night_capable boolean NOT NULL,
    hoist boolean NOT NULL,
    armed boolean NOT NULL,
    notice_to_move_day_min integer NOT NULL CHECK (notice_to_move_day_min >= 0),
    notice_to_move_night_min integer NOT NULL CHECK (notice_to_move_night_min >= 0),
    status text NOT NULL CHECK (status IN
        ('available', 'tasked', 'returning', 'maintenance', 'crew_rest', 'weather_hold')),
    status_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    UNIQUE (mission_id, callsign)
);
CREATE INDEX assets_mission ON assets (mission_id, id);

CREATE TABLE users (
    id text PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tokens (
    id uuid PRIMARY KEY,
    user_id text NOT NULL REFERENCES users (id),
    role text NOT NULL CHECK (role IN
        ('dispatcher', 'clinician', 'specialist', 'observer', 'field', 'admin')),
    mission_id uuid REFERENCES missions (id),
    -- sha256 of the secret: a stolen database does not yield usable tokens
    secret_hash bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);

-- Append-only: the application role may insert and read, never change history.
CREATE TABLE audit_log (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL,
    role text NOT NULL,
    mission_id uuid,
    action text NOT NULL,
    entity text NOT NULL,
    entity_id text NOT NULL,
    before jsonb,
    after jsonb,
    request_id text
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

-- The outbox every live view reads; seq is global and, because writers take
-- an advisory lock before inserting, commits in seq order (no gaps for readers).
CREATE TABLE events (
    seq bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    mission_id uuid,
    type text NOT NULL,
    entity text NOT NULL,
    entity_id text NOT NULL,
    payload jsonb NOT NULL
);
CREATE INDEX events_mission ON events (mission_id, seq);

CREATE TABLE idempotency_keys (
    user_id text NOT NULL,
    key text NOT NULL,
    method text NOT NULL,
    path text NOT NULL,
    request_hash bytea NOT NULL,
    status integer,
    response jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);

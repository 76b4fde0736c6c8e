-- 9-line requests and their casualties, evacuations (tasking and lifecycle), stored plans.

CREATE TABLE evac_requests (
    id uuid PRIMARY KEY,
    mission_id uuid NOT NULL REFERENCES missions (id),
    status text NOT NULL CHECK (status IN ('open', 'tasked', 'handed_over', 'cancelled')),
    -- line 1: pickup site
    pickup_lat double precision NOT NULL CHECK (pickup_lat BETWEEN -90 AND 90),
    pickup_lon double precision NOT NULL CHECK (pickup_lon BETWEEN -180 AND 180),
    pickup_grid text,
    -- line 2
    frequency text,
    callsign text,
    -- line 4 (codes A-D), line 6 (N/P/E/X), line 7 (A-E), lines 8 and 9 as reported
    special_equipment text[] NOT NULL DEFAULT '{A}',
    security text CHECK (security IN ('N', 'P', 'E', 'X')),
    marking text CHECK (marking IN ('A', 'B', 'C', 'D', 'E')),
    nationality text,
    terrain text,
    called_at timestamptz NOT NULL,
    injured_at timestamptz,
    source text NOT NULL CHECK (source IN ('json', 'radio')),
    raw_text text,
    -- the whole parsed 9-line (lines 1-9, MIST-AT) as the parser returned it
    nine_line jsonb NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1
);
CREATE INDEX evac_requests_mission ON evac_requests (mission_id, status, id);

CREATE TABLE evacuations (
    id uuid PRIMARY KEY,
    mission_id uuid NOT NULL REFERENCES missions (id),
    request_id uuid NOT NULL REFERENCES evac_requests (id),
    asset_id uuid NOT NULL REFERENCES assets (id),
    facility_id uuid NOT NULL REFERENCES facilities (id),
    state text NOT NULL CHECK (state IN
        ('tasked', 'airborne', 'at_pickup', 'loaded', 'handed_over', 'complete', 'aborted')),
    approval text NOT NULL CHECK (approval IN ('manual', 'auto')),
    approved_by text NOT NULL,
    recommended boolean NOT NULL,
    warnings jsonb NOT NULL DEFAULT '[]',
    precedence text NOT NULL CHECK (precedence IN ('A', 'B', 'C', 'D', 'E')),
    asset_kind text NOT NULL,
    beds_reserved integer NOT NULL CHECK (beds_reserved >= 0),
    eta_pickup timestamptz,
    eta_facility timestamptz,
    tasked_at timestamptz NOT NULL DEFAULT now(),
    airborne_at timestamptz,
    at_pickup_at timestamptz,
    loaded_at timestamptz,
    handed_over_at timestamptz,
    completed_at timestamptz,
    aborted_at timestamptz,
    abort_reason text,
    replaced_by uuid REFERENCES evacuations (id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1
);
CREATE INDEX evacuations_mission ON evacuations (mission_id, state, id);
CREATE INDEX evacuations_facility ON evacuations (facility_id, state);
CREATE INDEX evacuations_request ON evacuations (request_id);
-- The last line of defence behind the conditional tasking update: one live sortie per asset.
CREATE UNIQUE INDEX evacuations_one_live_per_asset ON evacuations (asset_id)
    WHERE state IN ('tasked', 'airborne', 'at_pickup', 'loaded');

CREATE TABLE casualties (
    id uuid PRIMARY KEY,
    request_id uuid NOT NULL REFERENCES evac_requests (id),
    mission_id uuid NOT NULL REFERENCES missions (id),
    ordinal integer NOT NULL,
    precedence text NOT NULL CHECK (precedence IN ('A', 'B', 'C', 'D', 'E')),
    patient_type text NOT NULL CHECK (patient_type IN ('litter', 'ambulatory')),
    needs text[] NOT NULL DEFAULT '{}',
    -- MIST-AT: mechanism, injuries, signs, treatment (with times), age, time of injury
    mist jsonb,
    injured_at timestamptz,
    status text NOT NULL CHECK (status IN ('waiting', 'tasked', 'onboard', 'handed_over')),
    evacuation_id uuid REFERENCES evacuations (id) DEFERRABLE INITIALLY DEFERRED,
    handed_over_at timestamptz,
    UNIQUE (request_id, ordinal)
);
CREATE INDEX casualties_evacuation ON casualties (evacuation_id);

-- The current plan of each mission; based_on_seq is the last event the snapshot had seen,
-- so a replica that waited for the lock knows whether its trigger is already planned for.
CREATE TABLE plans (
    mission_id uuid PRIMARY KEY REFERENCES missions (id),
    plan_no bigint NOT NULL,
    based_on_seq bigint NOT NULL,
    policy text NOT NULL,
    fallback boolean NOT NULL,
    fallback_reason text,
    solve_ms double precision NOT NULL,
    planned_by text NOT NULL,
    plan jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

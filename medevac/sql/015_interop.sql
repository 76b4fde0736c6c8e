-- Interoperability: 9-lines from TAK devices (Cursor-on-Target), FHIR for receiving hospitals.

-- A 9-line may come as a CoT event; its uid makes a resend the same request (once per mission).
ALTER TABLE evac_requests DROP CONSTRAINT evac_requests_source_check;
ALTER TABLE evac_requests ADD CONSTRAINT evac_requests_source_check CHECK (source IN ('json', 'radio', 'cot'));
ALTER TABLE evac_requests ADD COLUMN cot_uid text CHECK (length(cot_uid) BETWEEN 1 AND 200);
CREATE UNIQUE INDEX evac_requests_cot_uid ON evac_requests (mission_id, cot_uid) WHERE cot_uid IS NOT NULL;

-- What a mission lets leave the service: patient names in FHIR exports only if it says so.
CREATE TABLE mission_interop (
    mission_id uuid PRIMARY KEY REFERENCES missions (id),
    fhir_patient_names boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1
);

-- A receiving facility's FHIR server: pre-alerts are POSTed to it on tasking.
CREATE TABLE facility_fhir_endpoints (
    facility_id uuid PRIMARY KEY REFERENCES facilities (id),
    mission_id uuid NOT NULL REFERENCES missions (id),
    url text NOT NULL CHECK (url ~ '^https?://'),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The latest pre-alert delivery per evacuation (tasking, then each lifecycle step: new ETA, status):
-- claimed by one replica for one evacuation version, retried, its outcome kept.
CREATE TABLE fhir_pushes (
    evacuation_id uuid PRIMARY KEY REFERENCES evacuations (id),
    version integer NOT NULL,
    mission_id uuid NOT NULL REFERENCES missions (id),
    facility_id uuid NOT NULL REFERENCES facilities (id),
    url text NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    last_status integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fhir_pushes_mission ON fhir_pushes (mission_id, status);

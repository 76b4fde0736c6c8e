-- Basing planning jobs: the request, progress while it runs in the worker pool, and the result.

CREATE TABLE basing_jobs (
    id uuid PRIMARY KEY,
    mission_id uuid NOT NULL REFERENCES missions (id),
    status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    stage text NOT NULL DEFAULT 'queued',
    progress real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    request jsonb NOT NULL,
    result jsonb,
    error text,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX basing_jobs_mission ON basing_jobs (mission_id, created_at);

-- A mission's largest 9-line: a count beyond it is a typing error (99 for 9), refused at intake
-- with a clear message; a mission expecting larger mass-casualty calls raises it.
ALTER TABLE missions ADD COLUMN max_patients_per_request integer NOT NULL DEFAULT 40
    CHECK (max_patients_per_request BETWEEN 1 AND 999);

-- A mission's largest 9-line: a count beyond it is a typing error (99 for 9), refused at intake
-- with a clear message; a mission expecting larger mass-casualty calls raises it.
ALTER TABLE missions ADD COLUMN max_patients_per_request integer NOT NULL DEFAULT 40
    CHECK (max_patients_per_request BETWEEN 1 AND 999);

-- The facility a token's holder works at: the inbound view opens on it, and its clinicians
-- report its status and beds. Reporting for any facility takes the 'facilities' right.
ALTER TABLE tokens ADD COLUMN facility_id uuid REFERENCES facilities (id);
ALTER TABLE tokens DROP CONSTRAINT tokens_rights_check;
ALTER TABLE tokens ADD CONSTRAINT tokens_rights_check CHECK (rights <@ ARRAY['planning', 'facilities']::text[]);

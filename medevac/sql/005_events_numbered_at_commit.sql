-- Events take their sequence number at COMMIT, inside the server: a writer no longer holds the
-- event lock across round trips to its replica (which capped every writer of every replica).
-- Until then a row carries a negative draft number, invisible to readers like the row itself.
-- Numbers still commit in order: the lock (medevac.events.EVENT_LOCK) is taken by the deferred
-- trigger and released only after the commit is visible.

CREATE SEQUENCE events_draft_seq;
ALTER TABLE events ALTER COLUMN seq SET DEFAULT -nextval('events_draft_seq');

CREATE FUNCTION events_number_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    numbered bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(1835365748);  -- 0x6D657674, "mevt"
    numbered := nextval('events_seq_seq');
    UPDATE events SET seq = numbered WHERE seq = NEW.seq;
    PERFORM pg_notify('medevac_events', numbered::text);
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER events_numbered_at_commit AFTER INSERT ON events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION events_number_at_commit();

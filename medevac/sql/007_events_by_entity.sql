-- The newest event of one kind of entity in a mission (medevac/boards.py: is a kept board page
-- still current?) in one index probe. With only (mission_id, seq) the lookup walked back through
-- every later event of other kinds, and through the whole mission for a kind with none yet: the
-- load bench's PostgreSQL time grew with each minute of position reports.
CREATE INDEX events_mission_entity ON events (mission_id, entity, seq);

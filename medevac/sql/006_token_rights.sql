-- Rights a token carries beyond its role. 'planning': an observer (headquarters planning cell)
-- may start basing plans, which run simulations for minutes; other observers only read.
ALTER TABLE tokens ADD COLUMN rights text[] NOT NULL DEFAULT '{}'
    CHECK (rights <@ ARRAY['planning']::text[]);

-- An armed escort paired with an evacuation's unarmed carrier for a line 6 X pickup. The escort
-- is held from tasking until the carrier lifts off the landing zone (loaded), then flies home.
ALTER TABLE evacuations ADD COLUMN escort_asset_id uuid REFERENCES assets (id)
    CHECK (escort_asset_id IS NULL OR escort_asset_id <> asset_id);
-- One live escort duty per asset, as for carriers (the conditional tasking update is the first line).
CREATE UNIQUE INDEX evacuations_one_live_per_escort ON evacuations (escort_asset_id)
    WHERE escort_asset_id IS NOT NULL AND state IN ('tasked', 'airborne', 'at_pickup');

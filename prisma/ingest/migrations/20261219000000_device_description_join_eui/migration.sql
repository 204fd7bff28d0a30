-- What ChirpStack's device record takes besides the registry's fields so far: a description,
-- and the JoinEUI (AppEUI) an OTAA device joins with (16 lower-case hex digits).
ALTER TABLE ingest.devices
  ADD COLUMN description text,
  ADD COLUMN join_eui text CHECK (join_eui ~ '^[0-9a-f]{16}$');

-- The highest OCCUPANCY stream sequence the outbox relay has had acked. Not tenant data:
-- a position in a shared stream. The relay raises it after each batch it publishes, so a
-- reader that takes it before reading state knows every event at or below it is reflected.
CREATE TABLE occupancy.stream_positions (
  stream text PRIMARY KEY,
  seq bigint NOT NULL CHECK (seq >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE ON occupancy.stream_positions TO parking_occupancy;

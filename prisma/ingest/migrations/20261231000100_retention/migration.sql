-- What ingest forgets, and when (the purger's days come from its configuration): stored uplinks by
-- when they were stored, device logs and event receipts by when they arrived.
INSERT INTO ingest.retention_rules (target, relation, at_column) VALUES
  ('uplinks', 'ingest.uplinks', 'created_at'),
  ('device_logs', 'ingest.device_logs', 'received_at'),
  ('event_receipts', 'ingest.event_receipts', 'received_at');

CREATE INDEX uplinks_created_idx ON ingest.uplinks (created_at);
CREATE INDEX device_logs_received_idx ON ingest.device_logs (received_at);
CREATE INDEX event_receipts_received_idx ON ingest.event_receipts (received_at);

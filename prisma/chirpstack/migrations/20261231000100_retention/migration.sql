-- Finished reconciliation runs (a running one stays), and the records of downlinks handed to
-- ChirpStack, which answer a repeated command with its first outcome.
INSERT INTO chirpstack.retention_rules (target, relation, at_column, only_where) VALUES
  ('reconciliation_runs', 'chirpstack.reconciliation_runs', 'created_at', $$r.status <> 'running'$$),
  ('downlink_commands', 'chirpstack.downlink_commands', 'created_at', NULL);

CREATE INDEX reconciliation_runs_age_idx ON chirpstack.reconciliation_runs (created_at);

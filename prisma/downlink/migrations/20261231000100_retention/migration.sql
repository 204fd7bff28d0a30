-- Finished commands (confirmed, superseded or dead) and, by cascade, their events; an open
-- command stays whatever its age.
INSERT INTO downlink.retention_rules (target, relation, at_column, only_where) VALUES
  ('commands', 'downlink.commands', 'updated_at', $$r.state IN ('confirmed', 'superseded', 'dead')$$);

CREATE INDEX commands_finished_idx ON downlink.commands (updated_at) WHERE state IN ('confirmed', 'superseded', 'dead');

-- Raw space transitions (the statistics rollups stay): now one of retention's targets, so the
-- function that purged them alone goes.
INSERT INTO occupancy.retention_rules (target, relation, at_column) VALUES
  ('space_transitions', 'occupancy.space_transitions', 'at');

DROP FUNCTION occupancy.purge_transitions(timestamptz, int);

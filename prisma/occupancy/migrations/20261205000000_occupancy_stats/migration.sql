-- Statistics rolled up as transitions are stored (in the same transaction), so a query over
-- 30 days reads hundreds of rows instead of scanning every transition of every space. Time in
-- a state is credited when the space leaves it, split over the hours (and days) it spanned;
-- a query adds the intervals still open from space_state. Durations are in milliseconds, so
-- sums stay exact. Rollups outlive the raw transitions (retention) and deleted spaces.

-- Per site, and per zone including its nested zones: zone_key is the zone's id, or the nil
-- UUID for the whole site. `hour` is the start of an hour of the site's local clock.
CREATE TABLE occupancy.zone_hour_stats (
  tenant_id       uuid NOT NULL,
  site_id         uuid NOT NULL,
  zone_key        uuid NOT NULL,
  hour            timestamptz NOT NULL,
  -- Space-milliseconds occupied, and with a known use (free, occupied or reserved).
  occupied_ms     bigint NOT NULL DEFAULT 0 CHECK (occupied_ms >= 0),
  observed_ms     bigint NOT NULL DEFAULT 0 CHECK (observed_ms >= 0),
  -- Changes into and out of occupied in this hour.
  arrivals        int NOT NULL DEFAULT 0 CHECK (arrivals >= 0),
  departures      int NOT NULL DEFAULT 0 CHECK (departures >= 0),
  -- Stays (uninterrupted occupied spells) that ended in this hour, their length, and a histogram.
  dwell_ms_sum    bigint NOT NULL DEFAULT 0 CHECK (dwell_ms_sum >= 0),
  dwell_count     int NOT NULL DEFAULT 0 CHECK (dwell_count >= 0),
  dwell_under_15m int NOT NULL DEFAULT 0,
  dwell_15m_1h    int NOT NULL DEFAULT 0,
  dwell_1h_4h     int NOT NULL DEFAULT 0,
  dwell_over_4h   int NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, site_id, zone_key, hour)
);

-- Per space and local day of its site: turnover (arrivals) and use.
CREATE TABLE occupancy.space_day_stats (
  tenant_id    uuid NOT NULL,
  space_id     uuid NOT NULL,
  day          date NOT NULL,
  occupied_ms  bigint NOT NULL DEFAULT 0 CHECK (occupied_ms >= 0),
  observed_ms  bigint NOT NULL DEFAULT 0 CHECK (observed_ms >= 0),
  arrivals     int NOT NULL DEFAULT 0 CHECK (arrivals >= 0),
  departures   int NOT NULL DEFAULT 0 CHECK (departures >= 0),
  dwell_ms_sum bigint NOT NULL DEFAULT 0 CHECK (dwell_ms_sum >= 0),
  dwell_count  int NOT NULL DEFAULT 0 CHECK (dwell_count >= 0),
  PRIMARY KEY (tenant_id, space_id, day)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['zone_hour_stats', 'space_day_stats']
  LOOP
    EXECUTE format('ALTER TABLE occupancy.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE occupancy.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON occupancy.%I
      USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    EXECUTE format($p$CREATE POLICY platform_admin ON occupancy.%I
      USING (NULLIF(current_setting('app.platform_actor', true), '') IS NOT NULL)$p$, t);
  END LOOP;
END
$$;

-- Rollups are only ever added to; nothing deletes them.
GRANT SELECT, INSERT, UPDATE ON occupancy.zone_hour_stats, occupancy.space_day_stats TO parking_occupancy;

-- System path (asSystem('timer')): deletes one batch of transitions older than `before`,
-- across tenants, oldest first. Only one caller at a time does the work: another replica
-- finds the lock taken and gets NULL, so retention runs once however many replicas there are.
CREATE FUNCTION occupancy.purge_transitions(before timestamptz, batch int)
  RETURNS int
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  deleted int;
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'occupancy.purge_transitions runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF before IS NULL OR batch IS NULL OR batch < 1 THEN
    RAISE EXCEPTION 'occupancy.purge_transitions needs a cut-off and a positive batch size' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT pg_try_advisory_xact_lock(hashtext('occupancy.purge_transitions')) THEN
    RETURN NULL;
  END IF;
  DELETE FROM occupancy.space_transitions
   WHERE id IN (SELECT id FROM occupancy.space_transitions WHERE at < before ORDER BY at LIMIT batch);
  GET DIAGNOSTICS deleted = ROW_COUNT;
  RETURN deleted;
END
$$;

REVOKE EXECUTE ON FUNCTION occupancy.purge_transitions(timestamptz, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION occupancy.purge_transitions(timestamptz, int) TO parking_occupancy;

-- Sites → zones (nestable) → spaces, the sensors under them (a read model of ingest's
-- registry), each space's live state and its transitions, and availability counts per zone
-- and site kept in the same transaction as every change of state.
-- Foreign keys carry tenant_id, so a row can only ever point at a row of its own tenant.

CREATE TABLE occupancy.tenant_limits (
  tenant_id  uuid PRIMARY KEY,
  sites      int CHECK (sites >= 0),
  spaces     int CHECK (spaces >= 0),
  version    int NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE occupancy.sites (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id                 uuid NOT NULL,
  name                      text NOT NULL,
  address                   text,
  latitude                  double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude                 double precision CHECK (longitude BETWEEN -180 AND 180),
  time_zone                 text NOT NULL DEFAULT 'UTC',
  opening_hours             jsonb,
  category                  text NOT NULL CHECK (category IN ('off_street', 'on_street')),
  -- NULL: 2 × the heartbeat of each space's sensor.
  heartbeat_timeout_seconds int CHECK (heartbeat_timeout_seconds > 0),
  version                   int NOT NULL DEFAULT 1,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX sites_page_idx ON occupancy.sites (tenant_id, created_at, id);

CREATE TABLE occupancy.zones (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL,
  site_id        uuid NOT NULL,
  parent_zone_id uuid,
  name           text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('zone', 'level')),
  -- The zone's ancestors from the top, then the zone itself: the counts of every zone on a
  -- space's path change with it. A zone's parent is fixed once created, so this never moves.
  path           uuid[] NOT NULL,
  version        int NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, site_id, id),
  FOREIGN KEY (tenant_id, site_id) REFERENCES occupancy.sites (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, site_id, parent_zone_id) REFERENCES occupancy.zones (tenant_id, site_id, id) ON DELETE CASCADE
);
CREATE INDEX zones_page_idx ON occupancy.zones (tenant_id, site_id, created_at, id);

CREATE TABLE occupancy.spaces (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id  uuid NOT NULL,
  site_id    uuid NOT NULL,
  zone_id    uuid,
  code       text NOT NULL,
  name       text,
  latitude   double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude  double precision CHECK (longitude BETWEEN -180 AND 180),
  category   text NOT NULL CHECK (category IN ('off_street', 'on_street')),
  type       text NOT NULL DEFAULT 'standard' CHECK (type IN ('standard', 'disabled', 'ev', 'motorcycle', 'loading')),
  tags       jsonb NOT NULL DEFAULT '[]',
  price_zone text,
  version    int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, site_id, code),
  CHECK ((latitude IS NULL) = (longitude IS NULL)),
  -- No cascade: a site or zone with spaces is refused (409) rather than emptied by accident.
  FOREIGN KEY (tenant_id, site_id) REFERENCES occupancy.sites (tenant_id, id),
  FOREIGN KEY (tenant_id, site_id, zone_id) REFERENCES occupancy.zones (tenant_id, site_id, id)
);
CREATE INDEX spaces_page_idx ON occupancy.spaces (tenant_id, created_at, id);
CREATE INDEX spaces_site_idx ON occupancy.spaces (tenant_id, site_id, created_at, id);
CREATE INDEX spaces_zone_idx ON occupancy.spaces (zone_id) WHERE zone_id IS NOT NULL;
CREATE INDEX spaces_tags_idx ON occupancy.spaces USING gin (tags);

-- Ingest's devices as this service needs them. Rows stay as tombstones after removal, so a
-- late update (lower version) cannot bring a removed device back.
CREATE TABLE occupancy.sensors (
  device_id         uuid PRIMARY KEY,
  tenant_id         uuid NOT NULL,
  dev_eui           text NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('sensor', 'display')),
  name              text NOT NULL,
  heartbeat_seconds int NOT NULL CHECK (heartbeat_seconds > 0),
  version           int NOT NULL,
  removed           boolean NOT NULL DEFAULT false,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sensors_live_dev_eui_idx ON occupancy.sensors (tenant_id, dev_eui) WHERE NOT removed;

-- Which sensor lies under which space: a space has at most one, a sensor lies under at most one.
CREATE TABLE occupancy.space_sensors (
  space_id    uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  dev_eui     text NOT NULL,
  assigned_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, dev_eui),
  FOREIGN KEY (tenant_id, space_id) REFERENCES occupancy.spaces (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE occupancy.space_state (
  space_id                 uuid PRIMARY KEY,
  tenant_id                uuid NOT NULL,
  state                    text NOT NULL DEFAULT 'unknown' CHECK (state IN ('unknown', 'free', 'occupied', 'reserved', 'maintenance')),
  sensor_occupied          boolean,
  sensor_silent            boolean NOT NULL DEFAULT false,
  -- The newest reading applied: a later one must be newer (session, fCnt; else sensor time).
  reading_dev_eui          text,
  reading_session          bigint,
  reading_f_cnt            bigint,
  reading_sensor_time      timestamptz,
  reading_received_at      timestamptz,
  reading_deduplication_id text,
  last_reading_at          timestamptz,
  maintenance              boolean NOT NULL DEFAULT false,
  maintenance_reason       text,
  reservation_active       boolean NOT NULL DEFAULT false,
  changed_at               timestamptz NOT NULL DEFAULT now(),
  version                  bigint NOT NULL DEFAULT 1,
  -- INGEST stream sequence of the uplink last applied.
  last_stream_sequence     bigint,
  FOREIGN KEY (tenant_id, space_id) REFERENCES occupancy.spaces (tenant_id, id) ON DELETE CASCADE
);
-- The silence timer looks only at spaces that are heard from and not yet silent.
CREATE INDEX space_state_heard_idx ON occupancy.space_state (last_reading_at) WHERE NOT sensor_silent AND last_reading_at IS NOT NULL;
CREATE INDEX space_state_state_idx ON occupancy.space_state (tenant_id, state);

-- History of states; no foreign key, so a deleted space keeps its history for statistics.
CREATE TABLE occupancy.space_transitions (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id  uuid NOT NULL,
  space_id   uuid NOT NULL,
  from_state text NOT NULL CHECK (from_state IN ('unknown', 'free', 'occupied', 'reserved', 'maintenance')),
  to_state   text NOT NULL CHECK (to_state IN ('unknown', 'free', 'occupied', 'reserved', 'maintenance')),
  cause      text NOT NULL CHECK (cause IN ('sensor', 'reservation', 'override', 'timeout')),
  reading    jsonb,
  version    bigint NOT NULL,
  at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX space_transitions_space_idx ON occupancy.space_transitions (tenant_id, space_id, id);
CREATE INDEX space_transitions_at_idx ON occupancy.space_transitions (at);

-- Spaces per state, changed in the same transaction as each change of state.
CREATE TABLE occupancy.site_availability (
  site_id     uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  free        int NOT NULL DEFAULT 0 CHECK (free >= 0),
  occupied    int NOT NULL DEFAULT 0 CHECK (occupied >= 0),
  reserved    int NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  maintenance int NOT NULL DEFAULT 0 CHECK (maintenance >= 0),
  unknown     int NOT NULL DEFAULT 0 CHECK (unknown >= 0),
  total       int GENERATED ALWAYS AS (free + occupied + reserved + maintenance + unknown) STORED,
  version     bigint NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, site_id) REFERENCES occupancy.sites (tenant_id, id) ON DELETE CASCADE
);

-- A zone's counts include the spaces of its nested zones.
CREATE TABLE occupancy.zone_availability (
  zone_id     uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  site_id     uuid NOT NULL,
  free        int NOT NULL DEFAULT 0 CHECK (free >= 0),
  occupied    int NOT NULL DEFAULT 0 CHECK (occupied >= 0),
  reserved    int NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  maintenance int NOT NULL DEFAULT 0 CHECK (maintenance >= 0),
  unknown     int NOT NULL DEFAULT 0 CHECK (unknown >= 0),
  total       int GENERATED ALWAYS AS (free + occupied + reserved + maintenance + unknown) STORED,
  version     bigint NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, zone_id) REFERENCES occupancy.zones (tenant_id, id) ON DELETE CASCADE
);

-- Reservations as their events told them; an end that arrives before its start is kept, so
-- the late start finds it ended and changes nothing.
CREATE TABLE occupancy.space_reservations (
  reservation_id uuid PRIMARY KEY,
  tenant_id      uuid NOT NULL,
  space_id       uuid NOT NULL,
  starts_at      timestamptz,
  ends_at        timestamptz,
  started        boolean NOT NULL DEFAULT false,
  ended          boolean NOT NULL DEFAULT false,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX space_reservations_active_idx ON occupancy.space_reservations (space_id) WHERE started AND NOT ended;

-- Uplinks of devices that lie under no space: counted, nothing else.
CREATE TABLE occupancy.unassigned_uplinks (
  tenant_id        uuid NOT NULL,
  dev_eui          text NOT NULL,
  uplinks          bigint NOT NULL DEFAULT 0,
  last_received_at timestamptz,
  PRIMARY KEY (tenant_id, dev_eui)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['tenant_limits', 'sites', 'zones', 'spaces', 'sensors', 'space_sensors', 'space_state',
                           'space_transitions', 'site_availability', 'zone_availability', 'space_reservations', 'unassigned_uplinks']
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

GRANT SELECT, INSERT, UPDATE ON occupancy.tenant_limits TO parking_occupancy;
GRANT SELECT, INSERT, UPDATE, DELETE ON occupancy.sites, occupancy.zones, occupancy.spaces, occupancy.sensors,
  occupancy.space_sensors, occupancy.space_state, occupancy.site_availability, occupancy.zone_availability,
  occupancy.space_reservations, occupancy.unassigned_uplinks TO parking_occupancy;
-- History is appended; DELETE only for retention.
GRANT SELECT, INSERT, DELETE ON occupancy.space_transitions TO parking_occupancy;

-- System path (asSystem('timer')): which spaces' sensors went silent, across tenants. Answers
-- ids only; the timer then changes each space inside its tenant's transaction.
CREATE FUNCTION occupancy.silent_spaces(as_of timestamptz, batch int)
  RETURNS TABLE (tenant_id uuid, space_id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'occupancy.silent_spaces runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
    SELECT st.tenant_id, st.space_id
      FROM occupancy.space_state st
      JOIN occupancy.spaces sp ON sp.id = st.space_id
      JOIN occupancy.sites si ON si.id = sp.site_id
      JOIN occupancy.space_sensors ss ON ss.space_id = st.space_id
      JOIN occupancy.sensors se ON se.tenant_id = ss.tenant_id AND se.dev_eui = ss.dev_eui AND NOT se.removed
     WHERE NOT st.sensor_silent
       AND st.last_reading_at IS NOT NULL
       AND st.last_reading_at < as_of - make_interval(secs => COALESCE(si.heartbeat_timeout_seconds, 2 * se.heartbeat_seconds))
     ORDER BY st.last_reading_at
     LIMIT batch;
END
$$;

REVOKE EXECUTE ON FUNCTION occupancy.silent_spaces(timestamptz, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION occupancy.silent_spaces(timestamptz, int) TO parking_occupancy;

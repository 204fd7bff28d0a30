-- Reservations: bookings that never overlap on a space (EXCLUDE over a tstzrange), the
-- idempotency keys stored in the same transaction as the booking, quotes, tariffs and each
-- site's booking settings, charges with their revenue rollups, and a read model of
-- occupancy's inventory and live state (filled from its snapshot RPC, kept by its events).
-- Runs as parking_owner; btree_gist is a trusted extension, so CREATE on the database suffices.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE reservations.tenant_limits (
  tenant_id              uuid PRIMARY KEY,
  reservations_per_month int CHECK (reservations_per_month >= 0),
  version                int NOT NULL,
  updated_at             timestamptz NOT NULL DEFAULT now()
);

-- Bookings created per tenant and calendar month (UTC): the plan's reservationsPerMonth is
-- checked and counted by one conditional upsert, so two bookings cannot both take the last one.
CREATE TABLE reservations.monthly_usage (
  tenant_id uuid NOT NULL,
  month     date NOT NULL,
  created   int NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, month)
);

-- Occupancy's inventory as last announced; a row applies only over an older version.
CREATE TABLE reservations.sites (
  id            uuid PRIMARY KEY,
  tenant_id     uuid NOT NULL,
  name          text NOT NULL,
  time_zone     text NOT NULL,
  opening_hours jsonb,
  version       int NOT NULL,
  removed_at    timestamptz,
  synced_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reservations.zones (
  id         uuid PRIMARY KEY,
  tenant_id  uuid NOT NULL,
  site_id    uuid NOT NULL,
  path       uuid[] NOT NULL,
  name       text NOT NULL,
  version    int NOT NULL,
  removed_at timestamptz,
  synced_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX zones_path_idx ON reservations.zones USING gin (path);

CREATE TABLE reservations.spaces (
  id               uuid PRIMARY KEY,
  tenant_id        uuid NOT NULL,
  site_id          uuid NOT NULL,
  zone_id          uuid,
  code             text NOT NULL,
  name             text,
  type             text NOT NULL,
  price_zone       text,
  version          int NOT NULL,
  removed_at       timestamptz,
  -- Live state, from occupancy.space.state_changed.v1 (its own version counter).
  state            text NOT NULL DEFAULT 'unknown',
  state_version    int NOT NULL DEFAULT 0,
  state_changed_at timestamptz,
  synced_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX spaces_site_idx ON reservations.spaces (tenant_id, site_id, code) WHERE removed_at IS NULL;
CREATE INDEX spaces_zone_idx ON reservations.spaces (zone_id) WHERE removed_at IS NULL;

-- A site's booking settings (tax, check-in window, cancellation policy, booking rules); a
-- site without a row uses the defaults.
CREATE TABLE reservations.site_settings (
  site_id    uuid PRIMARY KEY,
  tenant_id  uuid NOT NULL,
  settings   jsonb NOT NULL,
  version    int NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Rate tables per site, or per price zone of a site, each effective from a local date.
CREATE TABLE reservations.tariffs (
  id             uuid PRIMARY KEY,
  tenant_id      uuid NOT NULL,
  site_id        uuid NOT NULL,
  price_zone     text,
  effective_from date NOT NULL,
  name           text NOT NULL,
  currency       char(3) NOT NULL,
  definition     jsonb NOT NULL,
  version        int NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (tenant_id, site_id, price_zone, effective_from)
);
CREATE INDEX tariffs_page_idx ON reservations.tariffs (tenant_id, created_at, id);

CREATE TABLE reservations.quotes (
  id         uuid PRIMARY KEY,
  tenant_id  uuid NOT NULL,
  site_id    uuid NOT NULL,
  space_id   uuid,
  zone_id    uuid,
  period     tstzrange NOT NULL,
  currency   char(3) NOT NULL,
  total      int NOT NULL CHECK (total >= 0),
  breakdown  jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX quotes_expiry_idx ON reservations.quotes (expires_at);

CREATE TABLE reservations.reservations (
  id                   uuid PRIMARY KEY,
  tenant_id            uuid NOT NULL,
  site_id              uuid NOT NULL,
  zone_id              uuid,
  -- The zone a zone booking named (the space was picked inside it).
  requested_zone_id    uuid,
  space_id             uuid NOT NULL,
  -- [start, end): back-to-back bookings do not overlap.
  period               tstzrange NOT NULL CHECK (NOT isempty(period) AND lower_inc(period) AND NOT upper_inc(period)
                                                AND NOT lower_inf(period) AND NOT upper_inf(period)),
  state                text NOT NULL CHECK (state IN ('confirmed', 'checked_in', 'completed', 'cancelled', 'no_show', 'expired')),
  vehicle_plate        text,
  user_email           text,
  external_ref         text,
  -- Who booked: `user:<id>` or `api-key:<id>` (an API key with reservations:own sees only its own).
  created_by           text NOT NULL,
  quote_id             uuid,
  currency             char(3),
  price                int NOT NULL DEFAULT 0 CHECK (price >= 0),
  price_breakdown      jsonb,
  -- From the site's settings when booked: the check-in window and the no-show deadline.
  check_in_opens_at    timestamptz NOT NULL,
  check_in_closes_at   timestamptz NOT NULL,
  started_at           timestamptz,
  checked_in_at        timestamptz,
  overstayed_at        timestamptz,
  left_at              timestamptz,
  ended_at             timestamptz,
  end_reason           text CHECK (end_reason IN ('completed', 'cancelled', 'expired', 'no_show')),
  cancel_reason        text,
  charged              int NOT NULL DEFAULT 0,
  version              int NOT NULL DEFAULT 1,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT reservations_no_overlap EXCLUDE USING gist (space_id WITH =, period WITH &&) WHERE (state IN ('confirmed', 'checked_in'))
);
CREATE INDEX reservations_page_idx ON reservations.reservations (tenant_id, created_at, id);
CREATE INDEX reservations_space_idx ON reservations.reservations (space_id, lower(period));
-- What the lifecycle jobs look for.
CREATE INDEX reservations_start_due_idx ON reservations.reservations (check_in_opens_at) WHERE state = 'confirmed' AND started_at IS NULL;
CREATE INDEX reservations_no_show_due_idx ON reservations.reservations (check_in_closes_at) WHERE state = 'confirmed';
CREATE INDEX reservations_end_due_idx ON reservations.reservations (upper(period)) WHERE state = 'checked_in' AND overstayed_at IS NULL;

-- Idempotency-Key answers, per tenant and caller, written in the same transaction as what
-- they answer for. Only definite answers are kept (2xx and 4xx), never a 5xx or a timeout.
CREATE TABLE reservations.idempotency_keys (
  tenant_id    uuid NOT NULL,
  caller       text NOT NULL,
  key          text NOT NULL,
  operation    text NOT NULL,
  request_hash text NOT NULL,
  status       int NOT NULL,
  response     jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, caller, key)
);
CREATE INDEX idempotency_keys_expiry_idx ON reservations.idempotency_keys (expires_at);

-- Amounts due (payment is elsewhere): the booking's price when it is used or forfeited, a
-- cancellation fee, an overstay. Each one adds to its local day's rollup in the same transaction.
CREATE TABLE reservations.charges (
  id             uuid PRIMARY KEY,
  tenant_id      uuid NOT NULL,
  reservation_id uuid NOT NULL REFERENCES reservations.reservations (id),
  site_id        uuid NOT NULL,
  zone_id        uuid,
  space_id       uuid NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('booking', 'cancellation', 'no_show', 'overstay')),
  amount         int NOT NULL CHECK (amount >= 0),
  currency       char(3) NOT NULL,
  local_day      date NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX charges_reservation_idx ON reservations.charges (reservation_id);

CREATE TABLE reservations.revenue_daily (
  tenant_id uuid NOT NULL,
  site_id   uuid NOT NULL,
  local_day date NOT NULL,
  space_id  uuid NOT NULL,
  zone_id   uuid,
  currency  char(3) NOT NULL,
  amount    bigint NOT NULL DEFAULT 0,
  charges   int NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, site_id, local_day, space_id, currency)
);

-- One replica runs each lifecycle job at a time: whoever holds its lease.
CREATE TABLE reservations.job_leases (
  job        text PRIMARY KEY,
  holder     text NOT NULL,
  expires_at timestamptz NOT NULL
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['tenant_limits', 'monthly_usage', 'sites', 'zones', 'spaces', 'site_settings', 'tariffs', 'quotes',
                           'reservations', 'idempotency_keys', 'charges', 'revenue_daily']
  LOOP
    EXECUTE format('ALTER TABLE reservations.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE reservations.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON reservations.%I
      USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    EXECUTE format($p$CREATE POLICY platform_admin ON reservations.%I TO parking_reservations_platform_admin
      USING ((SELECT reservations.platform_admin_entered()))$p$, t);
  END LOOP;
END
$$;
-- Leases hold no tenant data; only the functions below touch them.
ALTER TABLE reservations.job_leases ENABLE ROW LEVEL SECURITY;
ALTER TABLE reservations.job_leases FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE ON reservations.tenant_limits, reservations.monthly_usage, reservations.sites, reservations.zones,
  reservations.spaces, reservations.site_settings, reservations.revenue_daily TO parking_reservations;
GRANT SELECT, INSERT, UPDATE, DELETE ON reservations.tariffs, reservations.idempotency_keys, reservations.quotes TO parking_reservations;
GRANT SELECT, INSERT, UPDATE ON reservations.reservations TO parking_reservations;
GRANT SELECT, INSERT ON reservations.charges TO parking_reservations;

-- System path (timer): the lifecycle jobs' lease, what is due, and the purge of expired keys
-- and quotes. Each refuses to run unless the caller declared a system purpose.
CREATE FUNCTION reservations.take_job_lease(job text, holder text, ttl_ms int)
  RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  taken boolean;
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'reservations.take_job_lease runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO reservations.job_leases AS l (job, holder, expires_at)
    VALUES (take_job_lease.job, take_job_lease.holder, clock_timestamp() + make_interval(secs => ttl_ms / 1000.0))
    ON CONFLICT ON CONSTRAINT job_leases_pkey DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
     WHERE l.holder = EXCLUDED.holder OR l.expires_at < clock_timestamp()
    RETURNING true INTO taken;
  RETURN coalesce(taken, false);
END
$$;

-- Reservations a job must act on at `at`: `start` (the check-in window opened: the space is
-- held), `no_show` (the window closed without a check-in), `end` (a checked-in booking's end passed).
CREATE FUNCTION reservations.due_reservations(at timestamptz, batch int)
  RETURNS TABLE (tenant_id uuid, id uuid, due text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'reservations.due_reservations runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
    (SELECT r.tenant_id, r.id, 'no_show'::text FROM reservations.reservations r
      WHERE r.state = 'confirmed' AND r.check_in_closes_at <= due_reservations.at
      ORDER BY r.check_in_closes_at LIMIT batch)
    UNION ALL
    (SELECT r.tenant_id, r.id, 'start'::text FROM reservations.reservations r
      WHERE r.state = 'confirmed' AND r.started_at IS NULL AND r.check_in_opens_at <= due_reservations.at
        AND r.check_in_closes_at > due_reservations.at
      ORDER BY r.check_in_opens_at LIMIT batch)
    UNION ALL
    (SELECT r.tenant_id, r.id, 'end'::text FROM reservations.reservations r
      WHERE r.state = 'checked_in' AND r.overstayed_at IS NULL AND upper(r.period) <= due_reservations.at
      ORDER BY upper(r.period) LIMIT batch);
END
$$;

CREATE FUNCTION reservations.purge_expired(at timestamptz, batch int)
  RETURNS int
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  keys int;
  quotes int;
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'reservations.purge_expired runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  DELETE FROM reservations.idempotency_keys k
   WHERE (k.tenant_id, k.caller, k.key) IN (SELECT i.tenant_id, i.caller, i.key FROM reservations.idempotency_keys i
                                             WHERE i.expires_at <= purge_expired.at LIMIT batch);
  GET DIAGNOSTICS keys = ROW_COUNT;
  -- A quote is kept a day past its expiry, so a booking that names it late hears "expired", not "unknown".
  DELETE FROM reservations.quotes q
   WHERE q.id IN (SELECT x.id FROM reservations.quotes x WHERE x.expires_at <= purge_expired.at - interval '1 day' LIMIT batch);
  GET DIAGNOSTICS quotes = ROW_COUNT;
  RETURN keys + quotes;
END
$$;

REVOKE EXECUTE ON FUNCTION reservations.take_job_lease(text, text, int) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION reservations.due_reservations(timestamptz, int) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION reservations.purge_expired(timestamptz, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reservations.take_job_lease(text, text, int) TO parking_reservations;
GRANT EXECUTE ON FUNCTION reservations.due_reservations(timestamptz, int) TO parking_reservations;
GRANT EXECUTE ON FUNCTION reservations.purge_expired(timestamptz, int) TO parking_reservations;

-- Each device of the registry as ChirpStack should hold it, and how far ChirpStack has got:
-- the consumer of ingest's device events writes the wanted state (pending), and the sync
-- worker brings ChirpStack there (synced) or records why not (failed, retried with backoff).
-- One row per devEUI of a tenant: a removed device stays as a tombstone until ChirpStack has
-- forgotten it, and a later registration of the devEUI takes the row over.

CREATE TABLE chirpstack.devices (
  tenant_id        uuid NOT NULL,
  dev_eui          text NOT NULL CHECK (dev_eui ~ '^[0-9a-f]{16}$'),
  device_id        uuid NOT NULL,
  name             text NOT NULL,
  description      text,
  codec            text NOT NULL,
  -- The device's own ChirpStack ids; null: the connection's application, the codec's profile.
  application_id   text,
  profile_id       text,
  join_eui         text,
  tags             jsonb NOT NULL DEFAULT '{}',
  -- The registry's version of the device and when it changed: an older event changes nothing.
  device_version   int NOT NULL,
  changed_at       timestamptz NOT NULL,
  removed          boolean NOT NULL DEFAULT false,
  -- Where the device is (or goes); null until the first attempt picked a connection.
  connection_id    uuid,
  status           text NOT NULL CHECK (status IN ('pending', 'synced', 'failed')),
  reason           text,
  attempts         int NOT NULL DEFAULT 0,
  last_attempt_at  timestamptz,
  -- When the worker should try next; null when there is nothing to do (synced, or waiting for a connection).
  next_attempt_at  timestamptz,
  -- A worker's claim on the row while it calls ChirpStack (another replica skips it until then).
  claimed_until    timestamptz,
  synced_version   int,
  synced_at        timestamptz,
  -- OTAA root keys, sealed with SECRETS_KEY bound to the tenant and devEUI; never answered.
  keys_sealed      text,
  keys_pending     boolean NOT NULL DEFAULT false,
  keys_synced_at   timestamptz,
  -- Grows with every change of the wanted state: an attempt settles the row only if none came meanwhile.
  generation       int NOT NULL DEFAULT 1,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, dev_eui),
  CHECK (NOT keys_pending OR keys_sealed IS NOT NULL)
);
CREATE INDEX devices_due_idx ON chirpstack.devices (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX devices_connection_idx ON chirpstack.devices (tenant_id, connection_id);

ALTER TABLE chirpstack.devices ENABLE ROW LEVEL SECURITY;
ALTER TABLE chirpstack.devices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON chirpstack.devices
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_admin ON chirpstack.devices TO parking_chirpstack_sync_platform_admin
  USING ((SELECT chirpstack.platform_admin_entered()));

GRANT SELECT, INSERT, UPDATE, DELETE ON chirpstack.devices TO parking_chirpstack_sync;

-- One replica at a time runs a periodic job (reconciliation, gateway polling).
CREATE TABLE chirpstack.job_leases (
  job        text PRIMARY KEY,
  holder     text NOT NULL,
  expires_at timestamptz NOT NULL
);
-- Leases hold no tenant data; only take_job_lease touches them.
ALTER TABLE chirpstack.job_leases ENABLE ROW LEVEL SECURITY;
ALTER TABLE chirpstack.job_leases FORCE ROW LEVEL SECURITY;

CREATE FUNCTION chirpstack.take_job_lease(job text, holder text, ttl_ms int)
  RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  taken boolean;
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'chirpstack.take_job_lease runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO chirpstack.job_leases AS l (job, holder, expires_at)
    VALUES (take_job_lease.job, take_job_lease.holder, clock_timestamp() + make_interval(secs => ttl_ms / 1000.0))
    ON CONFLICT ON CONSTRAINT job_leases_pkey DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
     WHERE l.holder = EXCLUDED.holder OR l.expires_at < clock_timestamp()
    RETURNING true INTO taken;
  RETURN coalesce(taken, false);
END
$$;

-- Devices of every tenant due for an attempt, claimed for `lease_ms` so another replica skips
-- them (a worker that dies leaves them to the next once the claim lapses). Answers ids only.
CREATE FUNCTION chirpstack.claim_due_devices(batch int, lease_ms int)
  RETURNS TABLE (tenant_id uuid, dev_eui text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'chirpstack.claim_due_devices runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
    UPDATE chirpstack.devices d
       SET claimed_until = clock_timestamp() + make_interval(secs => lease_ms / 1000.0)
     WHERE (d.tenant_id, d.dev_eui) IN (
             SELECT c.tenant_id, c.dev_eui FROM chirpstack.devices c
              WHERE c.next_attempt_at <= clock_timestamp()
                AND (c.claimed_until IS NULL OR c.claimed_until < clock_timestamp())
              ORDER BY c.next_attempt_at
              LIMIT batch
              FOR UPDATE SKIP LOCKED)
    RETURNING d.tenant_id, d.dev_eui;
END
$$;

REVOKE EXECUTE ON FUNCTION chirpstack.take_job_lease(text, text, int) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION chirpstack.claim_due_devices(int, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION chirpstack.take_job_lease(text, text, int) TO parking_chirpstack_sync;
GRANT EXECUTE ON FUNCTION chirpstack.claim_due_devices(int, int) TO parking_chirpstack_sync;

-- The uplink pipeline: per-tenant dedup receipts, stored uplinks (unique per device, frame-counter
-- session and fCnt), device logs, orphans (events of devEUIs nobody registered) and the record
-- of dead letters replayed by a platform admin.

-- One row per processed raw webhook: `<event>:<deduplicationId>` or `<event>:sha256:<hex>`.
-- A redelivery (broker, spool, replay) finds its row and has no effect.
CREATE TABLE ingest.event_receipts (
  tenant_id   uuid NOT NULL,
  dedup_key   text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, dedup_key)
);

-- Decoded uplinks. (dev_eui, session, f_cnt) is unique per tenant: the same frame reported
-- under another deduplicationId (a retransmission) is stored once.
CREATE TABLE ingest.uplinks (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL,
  device_id    uuid NOT NULL,
  dev_eui      text NOT NULL,
  session      int NOT NULL,
  f_cnt        bigint NOT NULL,
  f_port       int,
  dedup_key    text NOT NULL,
  sensor_time  timestamptz,
  received_at  timestamptz NOT NULL,
  occupied     boolean,
  codec_id     text,
  -- The whole Uplink contract as published in ingest.uplink.received.v1.
  uplink       jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uplinks_frame_key UNIQUE (tenant_id, dev_eui, session, f_cnt)
);
CREATE INDEX uplinks_device_time_idx ON ingest.uplinks (tenant_id, dev_eui, received_at DESC);

-- ChirpStack `log` events (and `integration` events, kind 'integration') per device.
CREATE TABLE ingest.device_logs (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  dev_eui     text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('log', 'integration')),
  level       text,
  code        text NOT NULL,
  description text NOT NULL DEFAULT '',
  context     jsonb NOT NULL DEFAULT '{}',
  time        timestamptz,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX device_logs_device_idx ON ingest.device_logs (tenant_id, dev_eui, id DESC);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['event_receipts', 'uplinks', 'device_logs'] LOOP
    EXECUTE format('ALTER TABLE ingest.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE ingest.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON ingest.%I
      USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    EXECUTE format($p$CREATE POLICY platform_admin ON ingest.%I
      USING (NULLIF(current_setting('app.platform_actor', true), '') IS NOT NULL)$p$, t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, DELETE ON ingest.event_receipts TO parking_ingest;
GRANT SELECT, INSERT ON ingest.uplinks TO parking_ingest;
GRANT SELECT, INSERT ON ingest.device_logs TO parking_ingest;

-- Orphans: devEUIs that reached us without a registered owner. They belong to no tenant yet,
-- so there is no tenant_id; RLS admits only the device-lookup system path and platform admins.
CREATE TABLE ingest.orphans (
  dev_eui               text PRIMARY KEY CHECK (dev_eui ~ '^[0-9a-f]{16}$'),
  first_seen_at         timestamptz NOT NULL,
  last_seen_at          timestamptz NOT NULL,
  count                 bigint NOT NULL DEFAULT 1,
  last_event            text NOT NULL,
  -- The normalised record of the newest event.
  last_payload          jsonb NOT NULL,
  -- NULL: the platform secret signed it (no tenant known).
  last_source_tenant_id uuid
);
CREATE INDEX orphans_last_seen_idx ON ingest.orphans (last_seen_at DESC, dev_eui DESC);

-- The raw events of an orphan, kept (the newest 500 per devEUI) so assigning replays them.
CREATE TABLE ingest.orphan_events (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dev_eui          text NOT NULL REFERENCES ingest.orphans (dev_eui) ON DELETE CASCADE,
  dedup_key        text NOT NULL,
  subject          text NOT NULL,
  source_tenant_id uuid,
  headers          jsonb NOT NULL,
  body             bytea NOT NULL,
  received_at      timestamptz NOT NULL,
  CONSTRAINT orphan_events_dedup_key UNIQUE (dev_eui, dedup_key)
);

-- Dead letters a platform admin replayed: one replay per dead letter.
CREATE TABLE ingest.dead_letter_replays (
  stream           text NOT NULL,
  seq              bigint NOT NULL,
  original_subject text NOT NULL,
  msg_id           text NOT NULL,
  replayed_by      text NOT NULL,
  replayed_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream, seq)
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['orphans', 'orphan_events', 'dead_letter_replays'] LOOP
    EXECUTE format('ALTER TABLE ingest.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE ingest.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY platform_admin ON ingest.%I
      USING (NULLIF(current_setting('app.platform_actor', true), '') IS NOT NULL)$p$, t);
  END LOOP;
END
$$;
CREATE POLICY device_lookup ON ingest.orphans
  USING (current_setting('app.system_purpose', true) = 'device-lookup')
  WITH CHECK (current_setting('app.system_purpose', true) = 'device-lookup');
CREATE POLICY device_lookup ON ingest.orphan_events
  USING (current_setting('app.system_purpose', true) = 'device-lookup')
  WITH CHECK (current_setting('app.system_purpose', true) = 'device-lookup');

GRANT SELECT, INSERT, UPDATE, DELETE ON ingest.orphans TO parking_ingest;
GRANT SELECT, INSERT, DELETE ON ingest.orphan_events TO parking_ingest;
GRANT SELECT, INSERT ON ingest.dead_letter_replays TO parking_ingest;

-- System path (device-lookup): which tenant owns each devEUI of a platform-signed batch.
-- Answers the owner's id only; the device row is then read inside withTenant.
CREATE FUNCTION ingest.device_owners(dev_euis text[])
  RETURNS TABLE (dev_eui text, tenant_id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'ingest.device_owners runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
    SELECT d.dev_eui, d.tenant_id FROM ingest.devices d WHERE d.dev_eui = ANY (dev_euis);
END
$$;

REVOKE EXECUTE ON FUNCTION ingest.device_owners(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ingest.device_owners(text[]) TO parking_ingest;

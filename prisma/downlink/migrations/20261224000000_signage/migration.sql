-- Signage: display devices bound to a space (a bay light) or a zone or site (a count sign),
-- the policies that say what they show, manual overrides, the downlink queue with each
-- command's history, and each gateway's airtime.

-- Display devices as ingest registers them (kind 'display'), from ingest.device.> events.
CREATE TABLE downlink.devices (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  dev_eui     text NOT NULL CHECK (dev_eui ~ '^[0-9a-f]{16}$'),
  kind        text NOT NULL,
  codec       text,
  version     int NOT NULL,
  removed     boolean NOT NULL DEFAULT false,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_dev_eui_idx ON downlink.devices (tenant_id, dev_eui);

-- occupancy's spaces, as far as signs need them: where each is, its type and its state.
CREATE TABLE downlink.spaces (
  id             uuid PRIMARY KEY,
  tenant_id      uuid NOT NULL,
  site_id        uuid NOT NULL,
  zone_id        uuid,
  type           text NOT NULL DEFAULT 'standard',
  state          text NOT NULL DEFAULT 'unknown',
  state_version  bigint NOT NULL DEFAULT 0,
  version        int NOT NULL DEFAULT 0,
  removed        boolean NOT NULL DEFAULT false,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- occupancy's free counts of each zone (nested zones included) and, with zone_id null, of each site.
CREATE TABLE downlink.availability (
  tenant_id   uuid NOT NULL,
  site_id     uuid NOT NULL,
  -- The zone, or the site itself for the site-wide counts.
  scope_id    uuid NOT NULL,
  free        int NOT NULL,
  total       int NOT NULL,
  version     bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, scope_id)
);

CREATE TABLE downlink.displays (
  id                   uuid PRIMARY KEY,
  tenant_id            uuid NOT NULL,
  device_id            uuid NOT NULL,
  dev_eui              text NOT NULL CHECK (dev_eui ~ '^[0-9a-f]{16}$'),
  -- The display codec that frames its wishes (kuando-busylight, count-display).
  codec                text NOT NULL,
  name                 text NOT NULL,
  target_kind          text NOT NULL CHECK (target_kind IN ('space', 'zone', 'site')),
  target_id            uuid NOT NULL,
  site_id              uuid NOT NULL,
  arrow                text NOT NULL DEFAULT 'none' CHECK (arrow IN ('none', 'left', 'right', 'up', 'down')),
  -- A manual override wins over the policy until it expires.
  override_wish        jsonb,
  override_reason      text,
  override_expires_at  timestamptz,
  override_by          text,
  -- Marked when a frame went to the dead letters; cleared by the next confirmed frame.
  faulty_at            timestamptz,
  faulty_reason        text,
  -- The gateway that heard it best lately (its uplinks' radio.gateways, the gateway of each txack).
  gateway_id           text,
  gateway_rssi         real,
  gateway_seen_at      timestamptz,
  -- What the sign is known to show: the frame last confirmed by its echo, an ack or a txack.
  shows_port           int,
  shows_frame          bytea,
  shows_at             timestamptz,
  version              int NOT NULL DEFAULT 1,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK ((override_wish IS NULL) = (override_expires_at IS NULL))
);
CREATE UNIQUE INDEX displays_device_key ON downlink.displays (tenant_id, device_id);
CREATE INDEX displays_target_idx ON downlink.displays (tenant_id, target_id);
CREATE INDEX displays_page_idx ON downlink.displays (tenant_id, created_at, id);
CREATE INDEX displays_override_idx ON downlink.displays (override_expires_at) WHERE override_expires_at IS NOT NULL;

-- A tenant's policy (site_id null) and its sites' policies: each names only what it changes.
CREATE TABLE downlink.policies (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  site_id     uuid,
  rules       jsonb NOT NULL,
  version     int NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX policies_tenant_key ON downlink.policies (tenant_id) WHERE site_id IS NULL;
CREATE UNIQUE INDEX policies_site_key ON downlink.policies (tenant_id, site_id) WHERE site_id IS NOT NULL;

-- The queue and each command's current state. At most one open command per display: a newer
-- wish replaces a pending one's frame (coalescing) or supersedes one already sent.
CREATE TABLE downlink.commands (
  id             uuid PRIMARY KEY,
  tenant_id      uuid NOT NULL,
  display_id     uuid NOT NULL REFERENCES downlink.displays (id) ON DELETE CASCADE,
  -- 0 an override, 1 a state change, 2 a periodic refresh: the lower goes first.
  priority       smallint NOT NULL CHECK (priority BETWEEN 0 AND 2),
  wish           jsonb NOT NULL,
  f_port         int NOT NULL CHECK (f_port BETWEEN 1 AND 223),
  frame          bytea NOT NULL,
  airtime_ms     real NOT NULL,
  state          text NOT NULL CHECK (state IN ('pending', 'sent', 'confirmed', 'superseded', 'dead')),
  sends          int NOT NULL DEFAULT 0,
  -- When the queue may send it (again): now, after a retry's wait, or once the airtime allows.
  due_at         timestamptz NOT NULL,
  queue_item_id  text,
  gateway_id     text,
  last_error     text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  sent_at        timestamptz,
  confirmed_at   timestamptz
);
CREATE UNIQUE INDEX commands_open_key ON downlink.commands (display_id) WHERE state IN ('pending', 'sent');
CREATE INDEX commands_due_idx ON downlink.commands (due_at, priority) WHERE state IN ('pending', 'sent');
CREATE INDEX commands_queue_item_idx ON downlink.commands (tenant_id, queue_item_id) WHERE queue_item_id IS NOT NULL;
CREATE INDEX commands_display_idx ON downlink.commands (tenant_id, display_id, created_at);

-- Every step of every command: queued, sent, txack, ack, echo, failed, retry, superseded, dead.
CREATE TABLE downlink.command_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  command_id  uuid NOT NULL REFERENCES downlink.commands (id) ON DELETE CASCADE,
  outcome     text NOT NULL,
  detail      jsonb NOT NULL DEFAULT '{}',
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX command_events_command_idx ON downlink.command_events (command_id, id);

-- Airtime each gateway spent on our frames, per ETSI sub-band: the duty-cycle budget's ledger.
-- A gateway may serve displays of several tenants, so the ledger is the gateway's, not a
-- tenant's: it holds no tenant data (the frames are in commands).
CREATE TABLE downlink.airtime_uses (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  gateway_id  text NOT NULL,
  sub_band    text NOT NULL,
  at          timestamptz NOT NULL,
  airtime_ms  real NOT NULL
);
CREATE INDEX airtime_uses_window_idx ON downlink.airtime_uses (gateway_id, sub_band, at);

-- Gateways that refused frames (DOWNLINK_GATEWAY, DUTY_CYCLE_OVERFLOW): sent nothing until then.
CREATE TABLE downlink.gateway_backoff (
  gateway_id   text PRIMARY KEY,
  rejections   int NOT NULL DEFAULT 0,
  slow_until   timestamptz NOT NULL,
  last_status  text,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['devices', 'spaces', 'availability', 'displays', 'policies', 'commands', 'command_events']
  LOOP
    EXECUTE format('ALTER TABLE downlink.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE downlink.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON downlink.%I
      USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    EXECUTE format($p$CREATE POLICY platform_admin ON downlink.%I TO parking_downlink_platform_admin
      USING ((SELECT downlink.platform_admin_entered()))$p$, t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON downlink.devices, downlink.spaces, downlink.availability, downlink.displays,
  downlink.policies, downlink.commands TO parking_downlink;
GRANT SELECT, INSERT ON downlink.command_events TO parking_downlink;
GRANT SELECT, INSERT, DELETE ON downlink.airtime_uses TO parking_downlink;
GRANT SELECT, INSERT, UPDATE ON downlink.gateway_backoff TO parking_downlink;

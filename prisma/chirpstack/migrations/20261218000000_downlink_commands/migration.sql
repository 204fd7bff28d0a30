-- Downlinks queued in ChirpStack, by the caller's command id: a repeat of a command (after an
-- RPC timeout) answers the queue item of the first instead of queueing the frame again.
-- `outcome` is 'queued' once ChirpStack answered an id, 'unknown' when the call's outcome is
-- not known (a deadline passed): a repeat then looks for the frame in the device's queue first.

CREATE TABLE chirpstack.downlink_commands (
  tenant_id      uuid NOT NULL,
  command_id     text NOT NULL,
  dev_eui        text NOT NULL,
  request_hash   text NOT NULL,
  connection_id  uuid NOT NULL,
  outcome        text NOT NULL CHECK (outcome IN ('unknown', 'queued')),
  queue_item_id  uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, command_id),
  CHECK ((outcome = 'queued') = (queue_item_id IS NOT NULL))
);
CREATE INDEX downlink_commands_age_idx ON chirpstack.downlink_commands (created_at);

ALTER TABLE chirpstack.downlink_commands ENABLE ROW LEVEL SECURITY;
ALTER TABLE chirpstack.downlink_commands FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON chirpstack.downlink_commands
  USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_admin ON chirpstack.downlink_commands TO parking_chirpstack_sync_platform_admin
  USING ((SELECT chirpstack.platform_admin_entered()));

GRANT SELECT, INSERT, UPDATE, DELETE ON chirpstack.downlink_commands TO parking_chirpstack_sync;

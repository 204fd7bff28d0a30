-- The platform_admin policies of ingest's own tables, as 20261210000000_platform_admin_entry
-- set them on outbox and inbox: they apply only to parking_ingest_platform_admin (asPlatformAdmin
-- switches to it) and admit a statement only while its transaction holds the audit row that
-- ingest.enter_platform_admin wrote; checked once per statement (scalar subquery).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['devices', 'tenant_limits', 'event_receipts', 'uplinks', 'device_logs',
                           'orphans', 'orphan_events', 'dead_letter_replays'] LOOP
    EXECUTE format('ALTER POLICY platform_admin ON ingest.%I TO parking_ingest_platform_admin USING ((SELECT ingest.platform_admin_entered()))', t);
  END LOOP;
END
$$;

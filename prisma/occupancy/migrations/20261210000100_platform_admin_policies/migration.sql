-- The platform_admin policies of occupancy's own tables, as 20261210000000_platform_admin_entry
-- set them on outbox and inbox: they apply only to parking_occupancy_platform_admin (asPlatformAdmin
-- switches to it) and admit a statement only while its transaction holds the audit row that
-- occupancy.enter_platform_admin wrote; checked once per statement (scalar subquery).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['tenant_limits', 'sites', 'zones', 'spaces', 'sensors', 'space_sensors', 'space_state',
                           'space_transitions', 'site_availability', 'zone_availability', 'space_reservations',
                           'unassigned_uplinks', 'zone_hour_stats', 'space_day_stats'] LOOP
    EXECUTE format('ALTER POLICY platform_admin ON occupancy.%I TO parking_occupancy_platform_admin USING ((SELECT occupancy.platform_admin_entered()))', t);
  END LOOP;
END
$$;

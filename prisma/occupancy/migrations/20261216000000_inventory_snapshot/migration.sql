-- The inventory snapshot: every tenant's sites, zones and spaces (with each space's state), a
-- page at a time, for the read models other services keep of them (reservations fills its
-- copy at boot, then follows occupancy.site|zone|space events).

-- Pages run in (site, then its zones, then its spaces) order across tenants: one index scan
-- per kind from the cursor, whatever the number of tenants.
CREATE INDEX zones_snapshot_idx ON occupancy.zones (site_id, id);
CREATE INDEX spaces_snapshot_idx ON occupancy.spaces (site_id, id);

-- System path (asSystem('inventory-snapshot')): the `batch` rows after the cursor in
-- (site_id, kind_order, id) order, kind_order 0 for a site, 1 for a zone, 2 for a space; a
-- site's row is keyed (its id, 0, its id). No cursor (after_site NULL): from the start. One
-- statement, so a page is consistent in itself. The nil and the all-ones uuid, which
-- gen_random_uuid never yields, stand for "all of this site" and "none of this site".
CREATE FUNCTION occupancy.inventory_snapshot(after_site uuid, after_kind int, after_id uuid, batch int)
  RETURNS TABLE (kind_order int, id uuid, tenant_id uuid, site_id uuid, name text, version int,
                 time_zone text, opening_hours jsonb,
                 parent_zone_id uuid, path uuid[], zone_kind text,
                 zone_id uuid, code text, space_type text, price_zone text, state text, state_version bigint)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  first_id   CONSTANT uuid := '00000000-0000-0000-0000-000000000000';
  last_id    CONSTANT uuid := 'ffffffff-ffff-ffff-ffff-ffffffffffff';
  from_site  uuid := COALESCE(after_site, first_id);
  from_kind  int := CASE WHEN after_site IS NULL THEN -1 ELSE after_kind END;
  zone_after uuid;
  space_after uuid;
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'occupancy.inventory_snapshot runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF batch IS NULL OR batch < 1 OR batch > 10000 THEN
    RAISE EXCEPTION 'occupancy.inventory_snapshot needs a batch of 1 to 10000 rows' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF after_site IS NOT NULL AND (after_kind IS NULL OR after_kind NOT IN (0, 1, 2) OR after_id IS NULL) THEN
    RAISE EXCEPTION 'occupancy.inventory_snapshot needs a whole cursor (site, kind 0 to 2, id)' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- Rows of the cursor's site come after it when their kind does; of a later kind, all of them.
  zone_after := CASE WHEN from_kind < 1 THEN first_id WHEN from_kind = 1 THEN after_id ELSE last_id END;
  space_after := CASE WHEN from_kind < 2 THEN first_id WHEN from_kind = 2 THEN after_id ELSE last_id END;
  RETURN QUERY
    SELECT page.*
      FROM (
        (SELECT 0, s.id, s.tenant_id, s.id, s.name, s.version, s.time_zone, s.opening_hours,
                NULL::uuid, NULL::uuid[], NULL::text, NULL::uuid, NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint
           FROM occupancy.sites s
          WHERE s.id > from_site
          ORDER BY s.id
          LIMIT batch)
        UNION ALL
        (SELECT 1, z.id, z.tenant_id, z.site_id, z.name, z.version, NULL::text, NULL::jsonb,
                z.parent_zone_id, z.path, z.kind, NULL::uuid, NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint
           FROM occupancy.zones z
          WHERE (z.site_id, z.id) > (from_site, zone_after)
          ORDER BY z.site_id, z.id
          LIMIT batch)
        UNION ALL
        (SELECT 2, sp.id, sp.tenant_id, sp.site_id, sp.name, sp.version, NULL::text, NULL::jsonb,
                NULL::uuid, NULL::uuid[], NULL::text, sp.zone_id, sp.code, sp.type, sp.price_zone, st.state, st.version
           FROM occupancy.spaces sp
           JOIN occupancy.space_state st ON st.space_id = sp.id
          WHERE (sp.site_id, sp.id) > (from_site, space_after)
          ORDER BY sp.site_id, sp.id
          LIMIT batch)
      ) AS page (kind_order, id, tenant_id, site_id, name, version, time_zone, opening_hours, parent_zone_id, path,
                 zone_kind, zone_id, code, space_type, price_zone, state, state_version)
     ORDER BY page.site_id, page.kind_order, page.id
     LIMIT batch;
END
$$;

REVOKE EXECUTE ON FUNCTION occupancy.inventory_snapshot(uuid, int, uuid, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION occupancy.inventory_snapshot(uuid, int, uuid, int) TO parking_occupancy;

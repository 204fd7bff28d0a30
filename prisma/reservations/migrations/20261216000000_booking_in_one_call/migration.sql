-- A booking costs the service a few round trips instead of a dozen: each statement is a
-- round trip of its own, and at a few hundred bookings a second those, not the work, are what
-- the service and PostgreSQL spend their CPU on. The service still decides everything it
-- decides (rules, prices, events, answers); these functions write what it prepared, and find
-- taken windows through the no-overlap index.

-- An Idempotency-Key's transaction lock and its stored answer, in one call. A key whose first
-- request still runs is `inFlight` (the lock is freed when that request commits or rolls
-- back); a key kept past its time is new again.
CREATE FUNCTION reservations.claim_idempotency_key(p_tenant uuid, p_caller text, p_key text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  k reservations.idempotency_keys;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtextextended(format('reservations.idempotency:%s:%s:%s', p_tenant, p_caller, p_key), 0)) THEN
    RETURN jsonb_build_object('inFlight', true);
  END IF;
  SELECT * INTO k FROM reservations.idempotency_keys WHERE tenant_id = p_tenant AND caller = p_caller AND key = p_key;
  IF NOT FOUND THEN
    RETURN '{}'::jsonb;
  END IF;
  IF k.expires_at <= now() THEN
    DELETE FROM reservations.idempotency_keys WHERE tenant_id = p_tenant AND caller = p_caller AND key = p_key;
    RETURN '{}'::jsonb;
  END IF;
  RETURN jsonb_build_object('stored', jsonb_build_object('operation', k.operation, 'requestHash', k.request_hash, 'status', k.status, 'response', k.response));
END $$;

-- The answer a key gives from now on, kept `ttl_seconds`.
CREATE FUNCTION reservations.store_idempotency_answer(p_key jsonb, p_status int, p_response jsonb) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO reservations.idempotency_keys (tenant_id, caller, key, operation, request_hash, status, response, expires_at)
  VALUES ((p_key->>'tenantId')::uuid, p_key->>'caller', p_key->>'key', p_key->>'operation', p_key->>'requestHash', p_status, p_response,
          now() + make_interval(secs => (p_key->>'ttlSeconds')::double precision))
$$;

-- The active bookings of one of the transaction's tenant's spaces overlapping a window, oldest
-- first: their windows only. Row-level security would keep the planner from the EXCLUDE
-- constraint's gist index (`&&` is not leakproof, so it may not run before the policy), and
-- every lookup would read all of the space's bookings ever made; this function applies the
-- policy's own condition itself, so the index answers. It refuses a transaction without a tenant.
CREATE FUNCTION reservations.booked_windows(p_space uuid, p_period tstzrange, p_except uuid, p_limit int)
  RETURNS TABLE (starts timestamptz, ends timestamptz)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_tenant uuid := NULLIF(current_setting('app.tenant_id', true), '')::uuid;
BEGIN
  IF v_tenant IS NULL THEN
    RAISE EXCEPTION 'reservations.booked_windows runs only for a tenant (app.tenant_id is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
    SELECT lower(r.period), upper(r.period) FROM reservations.reservations r
     WHERE r.tenant_id = v_tenant AND r.space_id = p_space AND r.state IN ('confirmed', 'checked_in') AND r.period && p_period
       AND r.id IS DISTINCT FROM p_except
     ORDER BY lower(r.period) LIMIT p_limit;
END
$$;
REVOKE EXECUTE ON FUNCTION reservations.booked_windows(uuid, tstzrange, uuid, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reservations.booked_windows(uuid, tstzrange, uuid, int) TO parking_reservations;

-- Books the first of the prepared candidates whose window is free, in the caller's transaction:
-- the row, its events, the tenant's monthly count and the key's answer, each prepared by the
-- service. The EXCLUDE constraint is the no-overlap rule: a taken window is skipped, not an
-- error. Answers one of
--   {"booked": id}                     booked; the key answers `status` and `answer` from now on
--   {"taken": [[starts, ends], ...]}   every candidate was taken (the windows of a lone one)
--   {"limit": max}                     the plan's reservationsPerMonth is used up; nothing written
-- p: {key, status, from, to, month, defaultMonthlyMax, conflictsNamed,
--     candidates: [{row (reservations columns), events (outbox rows), answer}]}
CREATE FUNCTION reservations.book(p jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_period tstzrange := tstzrange((p->>'from')::timestamptz, (p->>'to')::timestamptz, '[)');
  v_tenant uuid := (p->'key'->>'tenantId')::uuid;
  v_candidate jsonb;
  v_booked uuid;
  v_counted int;
  v_max int;
BEGIN
  BEGIN
    FOR v_candidate IN SELECT value FROM jsonb_array_elements(p->'candidates') LOOP
      INSERT INTO reservations.reservations AS r (id, tenant_id, site_id, zone_id, requested_zone_id, space_id, period, state, vehicle_plate,
             user_email, external_ref, created_by, quote_id, currency, price, price_breakdown, check_in_opens_at, check_in_closes_at,
             started_at, version, created_at, updated_at)
      SELECT c.id, c.tenant_id, c.site_id, c.zone_id, c.requested_zone_id, c.space_id, v_period, 'confirmed', c.vehicle_plate,
             c.user_email, c.external_ref, c.created_by, c.quote_id, c.currency, c.price, c.price_breakdown, c.check_in_opens_at,
             c.check_in_closes_at, c.started_at, c.version, c.created_at, c.updated_at
        FROM jsonb_populate_record(NULL::reservations.reservations, v_candidate->'row') c
      ON CONFLICT DO NOTHING
      RETURNING r.id INTO v_booked;
      EXIT WHEN v_booked IS NOT NULL;
    END LOOP;
    IF v_booked IS NULL THEN
      IF jsonb_array_length(p->'candidates') = 1 THEN
        RETURN jsonb_build_object('taken', (SELECT coalesce(jsonb_agg(jsonb_build_array(w.starts, w.ends)), '[]'::jsonb)
                                              FROM reservations.booked_windows((p->'candidates'->0->'row'->>'space_id')::uuid, v_period, NULL,
                                                                               (p->>'conflictsNamed')::int) w));
      END IF;
      RETURN jsonb_build_object('taken', '[]'::jsonb);
    END IF;

    INSERT INTO reservations.outbox (id, tenant_id, subject, aggregate_id, envelope, headers)
    SELECT e.id, e.tenant_id, e.subject, e.aggregate_id, e.envelope, e.headers
      FROM jsonb_populate_recordset(NULL::reservations.outbox, v_candidate->'events') e;

    -- Counted last: the tenant's counter row stays locked only until the commit that follows.
    WITH plan AS (
      SELECT CASE WHEN l.tenant_id IS NULL THEN (p->>'defaultMonthlyMax')::int ELSE l.reservations_per_month END AS max
        FROM (SELECT 1) AS one LEFT JOIN reservations.tenant_limits l ON l.tenant_id = v_tenant
    )
    INSERT INTO reservations.monthly_usage AS u (tenant_id, month, created)
    SELECT v_tenant, (p->>'month')::date, 1 FROM plan WHERE plan.max IS NULL OR plan.max > 0
    ON CONFLICT (tenant_id, month) DO UPDATE SET created = u.created + 1
     WHERE (SELECT max FROM plan) IS NULL OR u.created < (SELECT max FROM plan)
    RETURNING u.created INTO v_counted;
    IF v_counted IS NULL THEN
      -- Undoes the booking and its events (this block's subtransaction).
      RAISE EXCEPTION USING ERRCODE = 'RL001', MESSAGE = 'reservationsPerMonth used up';
    END IF;

    PERFORM reservations.store_idempotency_answer(p->'key', (p->>'status')::int, jsonb_build_object('value', v_candidate->'answer'));
    RETURN jsonb_build_object('booked', v_booked);
  EXCEPTION WHEN SQLSTATE 'RL001' THEN
    SELECT CASE WHEN l.tenant_id IS NULL THEN (p->>'defaultMonthlyMax')::int ELSE l.reservations_per_month END INTO v_max
      FROM (SELECT 1) AS one LEFT JOIN reservations.tenant_limits l ON l.tenant_id = v_tenant;
    RETURN jsonb_build_object('limit', v_max);
  END;
END $$;

-- "New integrations" (docs/security.md): a gateway that has not yet heard of an integration (created a
-- moment ago, its event still on the way) asks identity once before refusing its token. One
-- integration's credentials by its current token's prefix or by its id, through the unique
-- index or the primary key; the same columns the snapshot answers. System path only, like the
-- snapshot. Runs as parking_owner (the runner does SET LOCAL ROLE).
CREATE FUNCTION identity.integration_lookup(p_token_prefix text, p_id uuid)
  RETURNS TABLE (id uuid, tenant_id uuid, token_prefix text, token_hash text, hmac_secret_sealed text,
                 previous_token_prefix text, previous_token_hash text, previous_hmac_sealed text,
                 previous_valid_until timestamptz, version int, enabled boolean)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'identity.integration_lookup runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
    SELECT w.id, w.tenant_id, w.token_prefix, w.token_hash, w.hmac_secret_sealed,
           w.previous_token_prefix, w.previous_token_hash, w.previous_hmac_sealed,
           w.previous_valid_until, w.version, t.status = 'active'
      FROM identity.webhook_integrations w
      JOIN identity.tenants t ON t.id = w.tenant_id
     WHERE (p_token_prefix IS NOT NULL AND w.token_prefix = p_token_prefix)
        OR (p_id IS NOT NULL AND w.id = p_id);
END
$$;

REVOKE EXECUTE ON FUNCTION identity.integration_lookup(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION identity.integration_lookup(text, uuid) TO parking_identity;

-- Tenants, users, sessions, API keys, webhook integrations, signing keys and login
-- throttling. Every table with tenant_id gets ENABLE + FORCE row-level security and the two
-- standard policies; `tenants` is keyed by the tenant id itself and gets the same two.

CREATE TABLE identity.tenants (
  id              uuid PRIMARY KEY,
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  slug            text NOT NULL UNIQUE,
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  plan            text NOT NULL,
  limit_overrides jsonb NOT NULL DEFAULT '{}',
  features        jsonb NOT NULL DEFAULT '{}',
  -- Bumped with every plan/limit/feature change; carried by limits_changed so consumers drop stale ones.
  limits_version  int NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  suspended_at    timestamptz
);

CREATE TABLE identity.users (
  id                uuid PRIMARY KEY,
  tenant_id         uuid NOT NULL REFERENCES identity.tenants (id) ON DELETE CASCADE,
  email             text NOT NULL,
  name              text NOT NULL,
  -- PHC string: the argon2id parameters travel with every hash, so old ones can be recognised.
  password_hash     text NOT NULL,
  role              text NOT NULL CHECK (role IN ('owner', 'admin', 'operator', 'viewer')),
  is_platform_admin boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now(),
  last_login_at     timestamptz
);
-- One account per email on the whole platform (a user belongs to exactly one tenant).
CREATE UNIQUE INDEX users_email_key ON identity.users (lower(email));
CREATE INDEX users_tenant_idx ON identity.users (tenant_id);

CREATE TABLE identity.refresh_tokens (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  user_id     uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
  -- All tokens descending from one login; reuse of any used token revokes them all.
  family_id   uuid NOT NULL,
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON identity.refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON identity.refresh_tokens (user_id);

CREATE TABLE identity.invitations (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  email       text NOT NULL,
  role        text NOT NULL CHECK (role IN ('owner', 'admin', 'operator', 'viewer')),
  token_hash  text NOT NULL UNIQUE,
  invited_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  accepted_at timestamptz
);
CREATE INDEX invitations_tenant_idx ON identity.invitations (tenant_id);

CREATE TABLE identity.password_resets (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  user_id     uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);

CREATE TABLE identity.api_keys (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL,
  name         text NOT NULL,
  -- `pk_live_<8 chars>`: public, finds the key; the secret is only kept as SHA-256.
  prefix       text NOT NULL UNIQUE,
  secret_hash  text NOT NULL,
  scopes       text[] NOT NULL,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_keys_tenant_idx ON identity.api_keys (tenant_id, created_at DESC);

-- One row per key and day: an upsert per request is cheap and needs no log scan.
CREATE TABLE identity.api_key_usage_daily (
  tenant_id  uuid NOT NULL,
  api_key_id uuid NOT NULL,
  day        date NOT NULL,
  requests   bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (api_key_id, day)
);

CREATE TABLE identity.webhook_integrations (
  id                   uuid PRIMARY KEY,
  tenant_id            uuid NOT NULL,
  name                 text NOT NULL,
  token_prefix         text NOT NULL UNIQUE,
  token_hash           text NOT NULL,
  -- Sealed with SECRETS_KEY (AES-256-GCM): the gateway must recompute signatures, so it cannot be a hash.
  hmac_secret_sealed   text NOT NULL,
  previous_token_prefix text,
  previous_token_hash  text,
  previous_hmac_sealed text,
  previous_valid_until timestamptz,
  version              int NOT NULL DEFAULT 1,
  created_at           timestamptz NOT NULL DEFAULT now(),
  rotated_at           timestamptz,
  last_received_at     timestamptz,
  rejected_count       bigint NOT NULL DEFAULT 0,
  last_rejections      jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX webhook_integrations_tenant_idx ON identity.webhook_integrations (tenant_id, created_at DESC);

-- Not tenant data: ES256 keys that sign access tokens, private half sealed with SECRETS_KEY.
CREATE TABLE identity.signing_keys (
  kid                text PRIMARY KEY,
  alg                text NOT NULL,
  public_jwk         jsonb NOT NULL,
  private_key_sealed text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  retired_at         timestamptz
);

-- Not tenant data: failure counters per account (SHA-256 of the email) and per IP, shared by replicas.
CREATE TABLE identity.login_throttle (
  key          text PRIMARY KEY,
  failures     int NOT NULL DEFAULT 0,
  window_start timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz
);

-- Audit rows say what was done to what, beside who and why.
ALTER TABLE identity.platform_audit ADD COLUMN action text, ADD COLUMN target text;

-- Row-level security.
ALTER TABLE identity.tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE identity.tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON identity.tenants
  USING (id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY platform_admin ON identity.tenants
  USING (NULLIF(current_setting('app.platform_actor', true), '') IS NOT NULL);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users', 'refresh_tokens', 'invitations', 'password_resets', 'api_keys',
                           'api_key_usage_daily', 'webhook_integrations'] LOOP
    EXECUTE format('ALTER TABLE identity.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE identity.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON identity.%I
      USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
      WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)$p$, t);
    EXECUTE format($p$CREATE POLICY platform_admin ON identity.%I
      USING (NULLIF(current_setting('app.platform_actor', true), '') IS NOT NULL)$p$, t);
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON identity.tenants TO parking_identity;
GRANT SELECT, INSERT, UPDATE, DELETE ON identity.users TO parking_identity;
GRANT SELECT, INSERT, UPDATE ON identity.refresh_tokens TO parking_identity;
GRANT SELECT, INSERT, UPDATE, DELETE ON identity.invitations TO parking_identity;
GRANT SELECT, INSERT, UPDATE ON identity.password_resets TO parking_identity;
GRANT SELECT, INSERT, UPDATE ON identity.api_keys TO parking_identity;
GRANT SELECT, INSERT, UPDATE ON identity.api_key_usage_daily TO parking_identity;
GRANT SELECT, INSERT, UPDATE, DELETE ON identity.webhook_integrations TO parking_identity;
GRANT SELECT, INSERT, UPDATE ON identity.signing_keys TO parking_identity;
GRANT SELECT, INSERT, UPDATE, DELETE ON identity.login_throttle TO parking_identity;

-- Platform admins read the audit trail; the service may label a row with its action and
-- target only in the transaction that wrote it (asPlatformAdmin writes the row first), and
-- only once. Nothing else about a row can change.
GRANT SELECT ON identity.platform_audit TO parking_identity;
GRANT UPDATE (action, target) ON identity.platform_audit TO parking_identity;

CREATE FUNCTION identity.platform_audit_label_once()
  RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF OLD.action IS NOT NULL OR OLD.target IS NOT NULL OR OLD.at <> now() THEN
    RAISE EXCEPTION 'identity.platform_audit rows are labelled once, in the transaction that wrote them'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER platform_audit_label_once BEFORE UPDATE ON identity.platform_audit
  FOR EACH ROW EXECUTE FUNCTION identity.platform_audit_label_once();

-- System path: which tenant holds a credential, before any tenant is known (sign-in by
-- email, a refresh token, an API key prefix, an invitation or reset token). It answers
-- the tenant id only; the caller then reads the row inside withTenant, under RLS.
CREATE FUNCTION identity.tenant_of(kind text, lookup_key text)
  RETURNS uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'identity.tenant_of runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  CASE kind
    WHEN 'email' THEN RETURN (SELECT u.tenant_id FROM identity.users u WHERE lower(u.email) = lower(lookup_key));
    WHEN 'refresh-token' THEN RETURN (SELECT r.tenant_id FROM identity.refresh_tokens r WHERE r.token_hash = lookup_key);
    WHEN 'api-key' THEN RETURN (SELECT k.tenant_id FROM identity.api_keys k WHERE k.prefix = lookup_key);
    WHEN 'invitation' THEN RETURN (SELECT i.tenant_id FROM identity.invitations i WHERE i.token_hash = lookup_key);
    WHEN 'password-reset' THEN RETURN (SELECT p.tenant_id FROM identity.password_resets p WHERE p.token_hash = lookup_key);
    WHEN 'tenant-slug' THEN RETURN (SELECT t.id FROM identity.tenants t WHERE t.slug = lookup_key);
    WHEN 'platform-admin' THEN RETURN (SELECT u.tenant_id FROM identity.users u WHERE u.is_platform_admin ORDER BY u.created_at LIMIT 1);
    ELSE RAISE EXCEPTION 'identity.tenant_of: unknown kind %', kind USING ERRCODE = 'invalid_parameter_value';
  END CASE;
END
$$;

-- System path: every integration's credentials, for the gateway's in-memory copy at boot.
CREATE FUNCTION identity.integration_snapshot()
  RETURNS TABLE (id uuid, tenant_id uuid, token_prefix text, token_hash text, hmac_secret_sealed text,
                 previous_token_prefix text, previous_token_hash text, previous_hmac_sealed text,
                 previous_valid_until timestamptz, version int, enabled boolean)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NULLIF(current_setting('app.system_purpose', true), '') IS NULL THEN
    RAISE EXCEPTION 'identity.integration_snapshot runs only on the system path (app.system_purpose is not set)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY
    SELECT w.id, w.tenant_id, w.token_prefix, w.token_hash, w.hmac_secret_sealed,
           w.previous_token_prefix, w.previous_token_hash, w.previous_hmac_sealed,
           w.previous_valid_until, w.version, t.status = 'active'
      FROM identity.webhook_integrations w
      JOIN identity.tenants t ON t.id = w.tenant_id
     ORDER BY w.id;
END
$$;

REVOKE EXECUTE ON FUNCTION identity.tenant_of(text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION identity.integration_snapshot() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION identity.tenant_of(text, text) TO parking_identity;
GRANT EXECUTE ON FUNCTION identity.integration_snapshot() TO parking_identity;

-- Identity's security findings (docs/security.md): sign-in throttling counted before the password is checked,
-- with a growing delay instead of a lock; registrations that wait for their email to be
-- verified; signing keys that can be revoked at once and are deleted after their grace.
-- Runs as parking_owner (the runner does SET LOCAL ROLE); the runner then gives
-- parking_identity_platform_admin the runtime role's privileges.

-- Throttling: every attempt is counted (before its password is checked) on the account and on
-- the address; past the free failures each attempt must wait until next_attempt_at, and the
-- wait doubles with each failure up to a maximum. Counts older than the window are forgotten.
-- A lock of the previous release is dropped: a hard lock is what this replaces.
ALTER TABLE identity.login_throttle
  DROP COLUMN window_start,
  DROP COLUMN locked_until,
  ADD COLUMN last_failure_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN next_attempt_at timestamptz;
COMMENT ON TABLE identity.login_throttle IS
  'Not tenant data: sign-in attempts per account (SHA-256 of the email) and per address (IPv4, or IPv6 /64), shared by replicas';

-- Signing keys: revoked_at drops a key from the JWKS at once (a rotation with retirePrevious);
-- retired keys past their grace are deleted by the scheduled check, private half and all.
ALTER TABLE identity.signing_keys ADD COLUMN revoked_at timestamptz;
GRANT DELETE ON identity.signing_keys TO parking_identity;

-- Registrations waiting for their email to be verified. Not tenant data (no tenant exists
-- yet): the row is reached by its token hash or email on the system path only, so row-level
-- security admits a statement only there (app.system_purpose), never in a tenant transaction.
CREATE TABLE identity.registrations (
  id            uuid PRIMARY KEY,
  email         text NOT NULL,
  name          text NOT NULL,
  tenant_name   text NOT NULL CHECK (length(tenant_name) BETWEEN 1 AND 200),
  tenant_slug   text NOT NULL,
  -- argon2id PHC string of the chosen password: the account gets it when the link is followed.
  password_hash text NOT NULL,
  -- SHA-256 of the mailed `reg_` token; the token itself is never stored.
  token_hash    text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX registrations_email_idx ON identity.registrations (lower(email));
CREATE INDEX registrations_expires_idx ON identity.registrations (expires_at);

ALTER TABLE identity.registrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE identity.registrations FORCE ROW LEVEL SECURITY;
CREATE POLICY system_path ON identity.registrations
  USING (NULLIF(current_setting('app.system_purpose', true), '') IS NOT NULL)
  WITH CHECK (NULLIF(current_setting('app.system_purpose', true), '') IS NOT NULL);

GRANT SELECT, INSERT, DELETE ON identity.registrations TO parking_identity;

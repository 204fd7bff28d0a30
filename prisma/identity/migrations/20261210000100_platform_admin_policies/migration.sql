-- The platform_admin policies of identity's own tables, as 20261210000000_platform_admin_entry
-- set them on outbox and inbox: they apply only to parking_identity_platform_admin (asPlatformAdmin
-- switches to it) and admit a statement only while its transaction holds the audit row that
-- identity.enter_platform_admin wrote; checked once per statement (scalar subquery).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['tenants', 'users', 'refresh_tokens', 'invitations', 'password_resets', 'api_keys',
                           'api_key_usage_daily', 'webhook_integrations'] LOOP
    EXECUTE format('ALTER POLICY platform_admin ON identity.%I TO parking_identity_platform_admin USING ((SELECT identity.platform_admin_entered()))', t);
  END LOOP;
END
$$;

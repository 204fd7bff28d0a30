/**
 * The associated data each kind of sealed secret is bound to: opened with any other, it fails.
 * Identity seals and the gateway opens webhook HMAC secrets, so both name them here.
 */
export const sealedFor = {
  /** An access-token signing key's private JWK (SECRETS_KEY, identity only). */
  signingKey: (kid: string): string => `signing-key:${kid}`,
  /** A webhook integration's HMAC secret (INTEGRATION_SECRETS_KEY, identity and the gateway). */
  webhookIntegration: (integrationId: string): string => `webhook-integration:${integrationId}`,
  /** A ChirpStack connection's API token (chirpstack-sync's SECRETS_KEY). */
  chirpstackConnection: (connectionId: string): string => `chirpstack-connection:${connectionId}`,
  /** A device's OTAA root keys (chirpstack-sync's SECRETS_KEY). */
  deviceKeys: (tenantId: string, devEui: string): string => `device-keys:${tenantId}:${devEui}`,
} as const;

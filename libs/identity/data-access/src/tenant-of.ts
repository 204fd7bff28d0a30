import type { Prisma } from './generated/client';

/** What `identity.tenant_of` can look up before any tenant is known. */
export type CredentialKind = 'email' | 'refresh-token' | 'api-key' | 'invitation' | 'password-reset' | 'tenant-slug' | 'platform-admin';

/**
 * The tenant that holds a credential, or null. Runs the SECURITY DEFINER function, so the
 * transaction must be on the system path (`asSystem`); it answers the tenant id only.
 */
export async function tenantOf(tx: Prisma.TransactionClient, kind: CredentialKind, key: string): Promise<string | null> {
  const rows = await tx.$queryRawUnsafe<Array<{ tenant_id: string | null }>>('SELECT identity.tenant_of($1, $2)::text AS tenant_id', kind, key);
  return rows[0]?.tenant_id ?? null;
}

export interface IntegrationSnapshotRow {
  id: string;
  tenant_id: string;
  token_prefix: string;
  token_hash: string;
  hmac_secret_sealed: string;
  previous_token_prefix: string | null;
  previous_token_hash: string | null;
  previous_hmac_sealed: string | null;
  previous_valid_until: Date | null;
  version: number;
  enabled: boolean;
}

/** Every integration's credentials (system path, purpose `integration-cache`). */
export function integrationSnapshot(tx: Prisma.TransactionClient): Promise<IntegrationSnapshotRow[]> {
  return tx.$queryRawUnsafe<IntegrationSnapshotRow[]>(
    `SELECT id::text, tenant_id::text, token_prefix, token_hash, hmac_secret_sealed, previous_token_prefix,
            previous_token_hash, previous_hmac_sealed, previous_valid_until, version, enabled
       FROM identity.integration_snapshot()`,
  );
}

/** One integration's credentials by its current token's prefix or its id, or none (system path, purpose `integration-cache`). */
export async function integrationLookup(tx: Prisma.TransactionClient, by: { tokenPrefix?: string; integrationId?: string }): Promise<IntegrationSnapshotRow | undefined> {
  const rows = await tx.$queryRawUnsafe<IntegrationSnapshotRow[]>(
    `SELECT id::text, tenant_id::text, token_prefix, token_hash, hmac_secret_sealed, previous_token_prefix,
            previous_token_hash, previous_hmac_sealed, previous_valid_until, version, enabled
       FROM identity.integration_lookup($1, $2::uuid)`,
    by.tokenPrefix ?? null,
    by.integrationId ?? null,
  );
  return rows[0];
}

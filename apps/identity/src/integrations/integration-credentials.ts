import { IdentityEvents, IntegrationCredentials, IntegrationRejection, IntegrationView } from '@parking/contracts';
import { IdentityTransaction, IntegrationSnapshotRow, WebhookIntegration } from '@parking/identity/data-access';
import { OutboxWriter } from '@parking/messaging';

export function integrationView(row: WebhookIntegration): IntegrationView {
  const inGrace = row.previousValidUntil !== null && row.previousValidUntil > new Date();
  return {
    id: row.id,
    name: row.name,
    tokenPrefix: row.tokenPrefix,
    createdAt: row.createdAt.toISOString(),
    rotatedAt: row.rotatedAt?.toISOString() ?? null,
    previousValidUntil: inGrace ? row.previousValidUntil!.toISOString() : null,
    lastReceivedAt: row.lastReceivedAt?.toISOString() ?? null,
    rejectedCount: Number(row.rejectedCount),
    lastRejections: row.lastRejections as unknown as IntegrationRejection[],
  };
}

type CredentialColumns = Pick<
  IntegrationSnapshotRow,
  'token_prefix' | 'token_hash' | 'hmac_secret_sealed' | 'previous_token_prefix' | 'previous_token_hash' | 'previous_hmac_sealed' | 'previous_valid_until'
>;

/** Current token and secret, plus the previous ones while their grace lasts. */
export function credentialsOf(id: string, tenantId: string, enabled: boolean, row: CredentialColumns): IntegrationCredentials {
  const tokens: IntegrationCredentials['tokens'] = [{ prefix: row.token_prefix, sha256: row.token_hash, validUntil: null }];
  const hmacSecrets: IntegrationCredentials['hmacSecrets'] = [{ sealed: row.hmac_secret_sealed, validUntil: null }];
  const until = row.previous_valid_until;
  if (until && until > new Date() && row.previous_token_prefix && row.previous_token_hash && row.previous_hmac_sealed) {
    tokens.push({ prefix: row.previous_token_prefix, sha256: row.previous_token_hash, validUntil: until.toISOString() });
    hmacSecrets.push({ sealed: row.previous_hmac_sealed, validUntil: until.toISOString() });
  }
  return { id, tenantId, tokens, hmacSecrets, enabled };
}

function columnsOf(row: WebhookIntegration): CredentialColumns {
  return {
    token_prefix: row.tokenPrefix,
    token_hash: row.tokenHash,
    hmac_secret_sealed: row.hmacSecretSealed,
    previous_token_prefix: row.previousTokenPrefix,
    previous_token_hash: row.previousTokenHash,
    previous_hmac_sealed: row.previousHmacSealed,
    previous_valid_until: row.previousValidUntil,
  };
}

/** Tells the gateway the integration's credentials changed (created, rotated, tenant suspended or back). */
export async function publishUpserted(outbox: OutboxWriter, tx: IdentityTransaction, row: WebhookIntegration, enabled: boolean): Promise<void> {
  await outbox.append(tx, IdentityEvents.WebhookIntegrationUpsertedV1, {
    tenantId: row.tenantId,
    aggregateId: row.id,
    data: { ...credentialsOf(row.id, row.tenantId, enabled, columnsOf(row)), version: row.version },
  });
}

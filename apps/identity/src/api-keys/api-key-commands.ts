import { DomainError } from '@parking/problem-details';
import { Permission } from '@parking/contracts';
import { IdentityTransaction } from '@parking/identity/data-access';
import { randomUUID } from 'node:crypto';
import { prefixedSecret } from '../crypto/opaque-token';
import { assertBelowLimit } from '../tenants/tenant-limits';
import { apiKeyView } from './api-key-view';
import { ApiKeySecretResponse } from '@parking/contracts';

export interface NewApiKey {
  tenantId: string;
  name: string;
  scopes: Permission[];
  expiresAt: Date | null;
  createdBy: string;
}

/** A key may carry only permissions its creator holds right now. */
export function assertScopesWithin(scopes: Permission[], held: Permission[]): void {
  const extra = scopes.filter((scope) => !held.includes(scope));
  if (extra.length > 0) {
    throw new DomainError('FORBIDDEN', `An API key cannot carry permissions its creator lacks: ${extra.join(', ')}.`, { scopes: extra }, {
      errors: [{ field: 'scopes', message: `not held by the caller: ${extra.join(', ')}` }],
    });
  }
}

/**
 * The expiry of a key created (or rotated) by a caller that itself expires at `creatorExpiresAt`:
 * none asked means the creator's; a later one is refused, naming the field. Users do not expire.
 */
export function expiryWithin(expiresAt: Date | null, creatorExpiresAt: Date | null, source: 'asked' | 'kept'): Date | null {
  if (creatorExpiresAt === null) return expiresAt;
  if (expiresAt === null && source === 'asked') return creatorExpiresAt;
  if (expiresAt === null || expiresAt > creatorExpiresAt) {
    const until = creatorExpiresAt.toISOString();
    const what = source === 'asked' ? 'An API key cannot create a key that outlives it' : 'An API key cannot rotate a key into one that outlives it';
    throw new DomainError('FORBIDDEN', `${what}: the calling key expires at ${until}.`, { expiresAt: until }, {
      errors: [{ field: 'expiresAt', message: `must not be later than the calling key's expiry, ${until}` }],
    });
  }
  return expiresAt;
}

/** Inserts the key (secret kept as SHA-256 only) after checking the plan's `apiKeys` limit. */
export async function insertApiKey(tx: IdentityTransaction, input: NewApiKey): Promise<ApiKeySecretResponse> {
  await assertBelowLimit(tx, input.tenantId, 'apiKeys', () =>
    tx.apiKey.count({ where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] } }),
  );
  const secret = prefixedSecret('pk_live');
  const key = await tx.apiKey.create({
    data: { id: randomUUID(), ...input, prefix: secret.prefix, secretHash: secret.hash },
  });
  return { apiKey: apiKeyView(key), key: secret.token };
}

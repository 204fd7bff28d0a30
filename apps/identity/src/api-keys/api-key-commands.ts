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

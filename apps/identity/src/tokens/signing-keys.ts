import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { IdentityDatabase, Prisma } from '@parking/identity/data-access';
import { SecretBox } from '@parking/secret-box';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { exportJWK, generateKeyPair, importJWK, JWK, KeyLike } from 'jose';
import { randomUUID } from 'node:crypto';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity-config';

const ALG = 'ES256';
// Serialises key creation between replicas starting at once.
const KEY_CREATION_LOCK = 0x1d_5167;

export interface ActiveSigningKey {
  kid: string;
  privateKey: KeyLike | Uint8Array;
}

/**
 * The ES256 keys that sign access tokens. The first start creates one; the private half
 * is stored sealed under SECRETS_KEY (bound to its kid), the public half feeds the JWKS.
 */
@Injectable()
export class SigningKeys implements OnApplicationBootstrap {
  private readonly logger = new Logger(SigningKeys.name);
  private active: ActiveSigningKey | null = null;

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IdentityDatabase,
    private readonly box: SecretBox,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.current();
  }

  async current(): Promise<ActiveSigningKey> {
    if (this.active) return this.active;
    const row = await this.db.asSystem('bootstrap', async (tx) => {
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', KEY_CREATION_LOCK);
      const existing = await tx.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
      return existing ?? this.create(tx);
    });
    const jwk = JSON.parse(this.box.openText(row.privateKeySealed, `signing-key:${row.kid}`)) as JWK;
    this.active = { kid: row.kid, privateKey: await importJWK(jwk, ALG) };
    return this.active;
  }

  /** Current keys and those retired within the grace period, public halves only. */
  async jwks(): Promise<{ keys: Array<Record<string, unknown>> }> {
    const since = new Date(Date.now() - this.config.tokens.retiredKeyGraceSeconds * 1000);
    const rows = await this.db.asSystem('bootstrap', (tx) =>
      tx.signingKey.findMany({ where: { OR: [{ retiredAt: null }, { retiredAt: { gt: since } }] }, orderBy: { createdAt: 'desc' } }),
    );
    return { keys: rows.map((row) => ({ ...(row.publicJwk as Record<string, unknown>), kid: row.kid, alg: row.alg, use: 'sig' })) };
  }

  private async create(tx: Prisma.TransactionClient) {
    const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
    const kid = randomUUID();
    const row = await tx.signingKey.create({
      data: {
        kid,
        alg: ALG,
        publicJwk: (await exportJWK(publicKey)) as unknown as Prisma.InputJsonValue,
        privateKeySealed: this.box.seal(JSON.stringify(await exportJWK(privateKey)), `signing-key:${kid}`),
      },
    });
    this.logger.log(`created signing key ${kid}`);
    return row;
  }
}

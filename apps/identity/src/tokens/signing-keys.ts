import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { SigningKeyRotationView } from '@parking/contracts';
import { IdentityDatabase, IdentityTransaction, Prisma } from '@parking/identity/data-access';
import { SecretBox, sealedFor } from '@parking/secret-box';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { exportJWK, generateKeyPair, importJWK, JWK, KeyLike } from 'jose';
import { randomUUID } from 'node:crypto';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity-config';

const ALG = 'ES256';
// Serialises key creation and rotation between replicas (one transaction-scoped advisory lock).
const KEY_LOCK = 0x1d_5167;
/** Beyond the access-token lifetime, how long a retired key stays published: clocks of gateways and identity differ a little. */
export const CLOCK_MARGIN_SECONDS = 60;
/** Each replica looks this often (at most) whether the key is due; the lock and the database decide who rotates. */
const MAX_CHECK_INTERVAL_MS = 60_000;

export interface ActiveSigningKey {
  kid: string;
  privateKey: KeyLike | Uint8Array;
}

/**
 * The ES256 keys that sign access tokens. The private half is stored sealed under SECRETS_KEY
 * (identity's own key, bound to the kid), the public half feeds the JWKS.
 *
 * - Signing uses the newest key that is not retired, read from the database for every token,
 *   so every replica signs with a new key as soon as it is committed.
 * - Rotation (on the schedule, SIGNING_KEY_ROTATION_INTERVAL_SECONDS, or by a platform admin)
 *   creates a key and retires the previous ones, under an advisory lock: replicas checking at
 *   the same moment make one key.
 * - A retired key stays in the JWKS while a token it signed can still be valid (the access-token
 *   lifetime plus a minute for clocks), then leaves it and is deleted. A revoked key (a
 *   rotation with `retirePrevious`) leaves the JWKS at once.
 */
@Injectable()
export class SigningKeys implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SigningKeys.name);
  private readonly imported = new Map<string, KeyLike | Uint8Array>();
  private timer?: NodeJS.Timeout;
  private checking: Promise<void> = Promise.resolve();

  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IdentityDatabase,
    private readonly box: SecretBox,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.current();
    const intervalMs = this.config.signingKeys.rotationIntervalSeconds * 1000;
    const checkEveryMs = Math.min(MAX_CHECK_INTERVAL_MS, Math.max(1000, Math.floor(intervalMs / 3)));
    this.timer = setInterval(() => {
      this.checking = this.checking.then(() => this.rotateIfDue()).catch((error: Error) => this.logger.warn(`signing key check failed: ${error.message}`));
    }, checkEveryMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.checking;
  }

  /** How long a retired key stays in the JWKS: the longest an access token it signed lives, and the clock margin. */
  get retiredKeyGraceSeconds(): number {
    return this.config.tokens.accessTtlSeconds + CLOCK_MARGIN_SECONDS;
  }

  /** The key to sign with now: the newest one not retired (the first start creates it). */
  async current(): Promise<ActiveSigningKey> {
    const row = await this.db.asSystem('bootstrap', async (tx) => {
      const newest = await this.newest(tx);
      if (newest) return newest;
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', KEY_LOCK);
      return (await this.newest(tx)) ?? this.create(tx, randomUUID());
    });
    return { kid: row.kid, privateKey: await this.privateKeyOf(row) };
  }

  /** Keys not revoked: the active ones and those retired within the grace, public halves only. */
  async jwks(): Promise<{ keys: Array<Record<string, unknown>> }> {
    const since = new Date(Date.now() - this.retiredKeyGraceSeconds * 1000);
    const rows = await this.db.asSystem('bootstrap', (tx) =>
      tx.signingKey.findMany({ where: { revokedAt: null, OR: [{ retiredAt: null }, { retiredAt: { gt: since } }] }, orderBy: { createdAt: 'desc' } }),
    );
    return { keys: rows.map((row) => ({ ...(row.publicJwk as Record<string, unknown>), kid: row.kid, alg: row.alg, use: 'sig' })) };
  }

  /**
   * A new key, used from the commit on; the active ones are retired. `revokePrevious` revokes
   * every earlier key as well (retired ones included), so they leave the JWKS at once. Runs in
   * the caller's transaction: the platform admin's, audited.
   */
  async rotate(tx: IdentityTransaction, kid: string, options: { revokePrevious: boolean }): Promise<SigningKeyRotationView> {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', KEY_LOCK);
    const previous = await tx.signingKey.findMany({ where: { retiredAt: null }, orderBy: { createdAt: 'asc' }, select: { kid: true } });
    const now = new Date();
    if (previous.length > 0) await tx.signingKey.updateMany({ where: { kid: { in: previous.map((k) => k.kid) } }, data: { retiredAt: now } });
    // A compromise: every earlier key leaves the JWKS, those retired before included.
    if (options.revokePrevious) await tx.signingKey.updateMany({ where: { revokedAt: null }, data: { revokedAt: now } });
    const row = await this.create(tx, kid);
    return { kid: row.kid, createdAt: row.createdAt.toISOString(), retired: previous.map((k) => k.kid) };
  }

  /** The schedule: a new key when the newest is older than the interval; retired keys past their grace are deleted. */
  async rotateIfDue(): Promise<void> {
    const rotated = await this.db.asSystem('timer', async (tx) => {
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', KEY_LOCK);
      const newest = await this.newest(tx);
      const dueBefore = Date.now() - this.config.signingKeys.rotationIntervalSeconds * 1000;
      const outcome = !newest || newest.createdAt.getTime() <= dueBefore ? await this.rotate(tx, randomUUID(), { revokePrevious: false }) : null;
      await tx.$executeRawUnsafe(
        `DELETE FROM identity.signing_keys WHERE COALESCE(revoked_at, retired_at) < now() - make_interval(secs => $1)`,
        this.retiredKeyGraceSeconds,
      );
      return outcome;
    });
    if (rotated) this.logger.log(`rotated the signing key on schedule: ${rotated.kid} signs from now on, ${rotated.retired.join(', ') || 'none'} retired`);
  }

  private newest(tx: IdentityTransaction) {
    return tx.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
  }

  private async privateKeyOf(row: { kid: string; privateKeySealed: string }): Promise<KeyLike | Uint8Array> {
    const known = this.imported.get(row.kid);
    if (known) return known;
    const jwk = JSON.parse(this.box.openText(row.privateKeySealed, sealedFor.signingKey(row.kid))) as JWK;
    const key = await importJWK(jwk, ALG);
    // A handful of keys live at once; older imports are of no use.
    if (this.imported.size >= 8) this.imported.delete(this.imported.keys().next().value as string);
    this.imported.set(row.kid, key);
    return key;
  }

  private async create(tx: IdentityTransaction, kid: string) {
    const { publicKey, privateKey } = await generateKeyPair(ALG, { extractable: true });
    const row = await tx.signingKey.create({
      data: {
        kid,
        alg: ALG,
        publicJwk: (await exportJWK(publicKey)) as unknown as Prisma.InputJsonValue,
        privateKeySealed: this.box.seal(JSON.stringify(await exportJWK(privateKey)), sealedFor.signingKey(kid)),
      },
    });
    this.logger.debug(`created signing key ${kid}`);
    return row;
  }
}

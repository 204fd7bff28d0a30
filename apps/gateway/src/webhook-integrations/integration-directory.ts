import type { IntegrationCredentials } from '@parking/contracts';
import { hmacKeyOf, hmacSha256, parseSignatureHeader, sameBytes, tokenDigest, webhookTokenPrefix } from './webhook-token';

/** Opens the sealed HMAC secret of an integration (bound to its id); throws if it cannot. */
export type SecretOpener = (integrationId: string, sealed: string) => string;

/** One integration's credentials as held (and persisted): `version` is unknown for snapshot entries. */
export type HeldCredentials = IntegrationCredentials & { version?: number };

export type BearerCheck =
  | { ok: true; integrationId: string; tenantId: string }
  | { ok: false; reason: 'malformed-token' | 'unknown-prefix' | 'wrong-token' | 'expired' | 'disabled' };

export type SignatureCheck =
  | { ok: true; integrationId: string; tenantId: string }
  | { ok: false; reason: 'unknown-integration' | 'malformed-signature' | 'bad-signature' | 'expired' | 'disabled' | 'secret-unavailable' };

export type UpsertOutcome = 'applied' | 'stale' | 'deleted-before';

/** Where an entry came from: events outrank a snapshot, a snapshot outranks the spool file. */
type Source = 'event' | 'snapshot' | 'file';

interface Entry {
  credentials: HeldCredentials;
  source: Source;
  tokens: Array<{ digest: Buffer; validUntil: number | null }>;
  /** Opened once; null where the sealed value cannot be opened (no or another INTEGRATION_SECRETS_KEY, or sealed for another integration). */
  secrets: Array<{ key: Buffer | null; validUntil: number | null }>;
}

/**
 * Every webhook integration's credentials in memory, by token prefix and by id, so a webhook
 * is checked without a round trip. Holds SHA-256 digests and the HMAC keys (opened once);
 * compares in constant time against each still-valid token or key (old and new during a
 * rotation's grace).
 */
export class IntegrationDirectory {
  private readonly byId = new Map<string, Entry>();
  private readonly byPrefix = new Map<string, Entry>();
  /** Ids deleted while this process ran: ids are never reused, so a later (replayed) upsert is ignored. */
  private readonly deleted = new Set<string>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly openSecret: SecretOpener | null,
    private readonly now: () => number = Date.now,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  /** Called after every change (persisting, metrics). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  authenticateBearer(token: string): BearerCheck {
    const prefix = webhookTokenPrefix(token);
    if (!prefix) return { ok: false, reason: 'malformed-token' };
    const entry = this.byPrefix.get(prefix);
    if (!entry) return { ok: false, reason: 'unknown-prefix' };
    const presented = tokenDigest(token);
    const now = this.now();
    let matched = false;
    let expired = false;
    // Every hash is compared (no early exit), so timing does not tell which one matched.
    for (const held of entry.tokens) {
      if (!sameBytes(presented, held.digest)) continue;
      if (held.validUntil !== null && held.validUntil <= now) expired = true;
      else matched = true;
    }
    if (!matched) return { ok: false, reason: expired ? 'expired' : 'wrong-token' };
    if (!entry.credentials.enabled) return { ok: false, reason: 'disabled' };
    return { ok: true, integrationId: entry.credentials.id, tenantId: entry.credentials.tenantId };
  }

  /** The integration a token claims by its prefix (valid or not): whose delivery report a refusal goes to. */
  claimedByToken(token: string): { integrationId: string; tenantId: string } | undefined {
    const prefix = webhookTokenPrefix(token);
    const entry = prefix ? this.byPrefix.get(prefix) : undefined;
    return entry && { integrationId: entry.credentials.id, tenantId: entry.credentials.tenantId };
  }

  /** The tenant of a known integration. */
  tenantOf(integrationId: string): string | undefined {
    return this.byId.get(integrationId)?.credentials.tenantId;
  }

  /** `signatureHeader`: hex HMAC-SHA256 of the raw body, optionally `sha256=`-prefixed. Never throws. */
  verifySignature(integrationId: string, rawBody: Buffer, signatureHeader: unknown): SignatureCheck {
    const entry = this.byId.get(integrationId);
    if (!entry) return { ok: false, reason: 'unknown-integration' };
    const presented = parseSignatureHeader(signatureHeader);
    if (!presented) return { ok: false, reason: 'malformed-signature' };
    const now = this.now();
    let matched = false;
    let expired = false;
    let usable = 0;
    for (const secret of entry.secrets) {
      if (!secret.key) continue;
      usable += 1;
      if (!sameBytes(presented, hmacSha256(secret.key, rawBody))) continue;
      if (secret.validUntil !== null && secret.validUntil <= now) expired = true;
      else matched = true;
    }
    if (!matched) return { ok: false, reason: usable === 0 ? 'secret-unavailable' : expired ? 'expired' : 'bad-signature' };
    if (!entry.credentials.enabled) return { ok: false, reason: 'disabled' };
    return { ok: true, integrationId: entry.credentials.id, tenantId: entry.credentials.tenantId };
  }

  /** An `identity.webhook_integration.upserted.v1`: applied only if newer than what is held. */
  applyUpsert(credentials: IntegrationCredentials & { version: number }): UpsertOutcome {
    if (this.deleted.has(credentials.id)) return 'deleted-before';
    const held = this.byId.get(credentials.id);
    if (held?.credentials.version !== undefined && credentials.version <= held.credentials.version) return 'stale';
    this.put(credentials, 'event');
    this.changed();
    return 'applied';
  }

  /** An `identity.webhook_integration.deleted.v1`: final, ids are never reused. */
  applyDelete(integrationId: string): void {
    this.deleted.add(integrationId);
    if (this.remove(integrationId)) this.changed();
  }

  /**
   * Identity's snapshot becomes the base. Entries an event already set in this process stay
   * (the stream is ordered, so any newer change of theirs is still to come), ids deleted by an
   * event stay deleted; entries loaded from the spool file are replaced.
   */
  applySnapshot(integrations: readonly IntegrationCredentials[]): void {
    const fromSnapshot = new Set(integrations.map((i) => i.id));
    for (const [id, entry] of [...this.byId]) {
      if (entry.source !== 'event' && !fromSnapshot.has(id)) this.remove(id);
    }
    for (const credentials of integrations) {
      if (this.deleted.has(credentials.id)) continue;
      const held = this.byId.get(credentials.id);
      if (held?.source === 'event') continue;
      // Same content as the file's copy: keep its version, so replayed older events stay ignored.
      const version = held && sameContent(held.credentials, credentials) ? held.credentials.version : undefined;
      this.put({ ...stripVersion(credentials), ...(version === undefined ? {} : { version }) }, 'snapshot');
    }
    this.changed();
  }

  /** The spool file's content at boot, before identity answered. */
  loadFromFile(integrations: readonly HeldCredentials[]): void {
    for (const credentials of integrations) {
      if (!this.byId.has(credentials.id) && !this.deleted.has(credentials.id)) this.put(credentials, 'file');
    }
    this.changed();
  }

  /** What the spool file keeps: digests and sealed secrets only. */
  entries(): HeldCredentials[] {
    return [...this.byId.values()].map((entry) => entry.credentials);
  }

  private put(credentials: HeldCredentials, source: Source): void {
    this.remove(credentials.id);
    const entry: Entry = {
      credentials,
      source,
      tokens: credentials.tokens.map((t) => ({ digest: Buffer.from(t.sha256, 'hex'), validUntil: timeOf(t.validUntil) })),
      secrets: credentials.hmacSecrets.map((s) => ({ key: this.open(credentials.id, s.sealed), validUntil: timeOf(s.validUntil) })),
    };
    this.byId.set(credentials.id, entry);
    for (const token of credentials.tokens) this.byPrefix.set(token.prefix, entry);
  }

  private remove(id: string): boolean {
    const entry = this.byId.get(id);
    if (!entry) return false;
    this.byId.delete(id);
    for (const token of entry.credentials.tokens) {
      if (this.byPrefix.get(token.prefix) === entry) this.byPrefix.delete(token.prefix);
    }
    return true;
  }

  private open(integrationId: string, sealed: string): Buffer | null {
    if (!this.openSecret) return null;
    try {
      return hmacKeyOf(this.openSecret(integrationId, sealed));
    } catch (error) {
      this.warn(`cannot open an HMAC secret of webhook integration ${integrationId}: ${(error as Error).message}`);
      return null;
    }
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function timeOf(value: string | null): number | null {
  if (value === null) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? 0 : time; // unreadable: treat as long expired
}

function stripVersion(credentials: IntegrationCredentials & { version?: number }): IntegrationCredentials {
  const { id, tenantId, tokens, hmacSecrets, enabled } = credentials;
  return { id, tenantId, tokens, hmacSecrets, enabled };
}

function sameContent(a: IntegrationCredentials, b: IntegrationCredentials): boolean {
  return JSON.stringify(stripVersion(a)) === JSON.stringify(stripVersion(b));
}

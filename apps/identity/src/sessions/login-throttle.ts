import { Inject, Injectable } from '@nestjs/common';
import { IdentityDatabase, IdentityTransaction } from '@parking/identity/data-access';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity-config';
import { sha256Hex } from '../crypto/opaque-token';
import { throttleAddressOf } from './caller-ip';

export interface DelayPolicy {
  /** Failures that cost nothing. */
  freeFailures: number;
  /** The wait after the first failure beyond them; each further failure doubles it. */
  baseMs: number;
  maxMs: number;
}

/** How long the next attempt must wait after `failures` counted failures. */
export function loginDelayMs(failures: number, policy: DelayPolicy): number {
  if (failures < policy.freeFailures) return 0;
  const doublings = Math.min(failures - policy.freeFailures, 30);
  return Math.min(policy.baseMs * 2 ** doublings, policy.maxMs);
}

/** An attempt may go on to the password check, or must wait this long first. */
export type AttemptAdmission = { admitted: true; keys: ThrottleKeys } | { admitted: false; retryAfterMs: number };

export interface ThrottleKeys {
  account: string;
  address: string;
}

interface CounterRow {
  key: string;
  failures: number;
  last_failure_at: Date;
  next_attempt_at: Date | null;
  now: Date;
}

/**
 * Sign-in attempts counted in PostgreSQL per account and per address, so every replica sees
 * the same counts. Each attempt is counted before its password is checked, under a row lock
 * on both counters, so concurrent guesses queue on the lock instead of all passing a check
 * made before any of them was counted. Past the free failures an attempt must wait; the wait
 * doubles with each failure up to a maximum, and attempts that arrive too early are refused
 * without being counted, so nobody can lock an account (the platform admin's included) for
 * longer than that maximum. A successful sign-in clears the account's count and takes its own
 * attempt back from the address's.
 *
 * The account key is a hash of the email, counted for emails without an account too: the
 * answers say nothing about whether the account exists. The address is an IPv4 address or an
 * IPv6 /64 (one subscriber's network).
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(TENANT_DATABASE) private readonly db: IdentityDatabase,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  keys(email: string, ip: string): ThrottleKeys {
    return { account: `account:${sha256Hex(email.toLowerCase())}`, address: `ip:${throttleAddressOf(ip)}` };
  }

  /** Counts the attempt on both keys and admits it, or refuses it (uncounted) until the later of their waits is over. */
  admit(email: string, ip: string): Promise<AttemptAdmission> {
    const keys = this.keys(email, ip);
    const { windowSeconds, freeFailuresPerAccount, freeFailuresPerIp, delayBaseMs, maxDelayMsPerAccount, maxDelayMsPerIp } = this.config.throttle;
    const policies: Record<string, DelayPolicy> = {
      [keys.account]: { freeFailures: freeFailuresPerAccount, baseMs: delayBaseMs, maxMs: maxDelayMsPerAccount },
      [keys.address]: { freeFailures: freeFailuresPerIp, baseMs: delayBaseMs, maxMs: maxDelayMsPerIp },
    };
    return this.db.asSystem('sign-in', async (tx) => {
      const rows = await this.lockCounters(tx, [keys.account, keys.address]);
      const retryAfterMs = Math.max(0, ...rows.map((row) => (row.next_attempt_at ? row.next_attempt_at.getTime() - row.now.getTime() : 0)));
      if (retryAfterMs > 0) return { admitted: false, retryAfterMs };
      for (const row of rows) {
        // Failures older than the window are forgotten; this attempt counts as one until it succeeds.
        const expired = row.now.getTime() - row.last_failure_at.getTime() > windowSeconds * 1000;
        const failures = (expired ? 0 : row.failures) + 1;
        const delayMs = loginDelayMs(failures, policies[row.key]);
        await tx.$executeRawUnsafe(
          `UPDATE identity.login_throttle SET failures = $2, last_failure_at = clock_timestamp(),
                  next_attempt_at = CASE WHEN $3::int > 0 THEN clock_timestamp() + make_interval(secs => $3::int / 1000.0) END
            WHERE key = $1`,
          row.key,
          failures,
          delayMs,
        );
      }
      return { admitted: true, keys };
    });
  }

  /**
   * The admitted attempt was right: the account starts afresh (it is its owner), the address
   * gets this attempt back but keeps its other failures (one good account must not unlock an
   * address that sprays guesses).
   */
  async succeeded(keys: ThrottleKeys): Promise<void> {
    const { freeFailuresPerIp, delayBaseMs, maxDelayMsPerIp } = this.config.throttle;
    await this.db.asSystem('sign-in', async (tx) => {
      await tx.loginThrottle.deleteMany({ where: { key: keys.account } });
      const [row] = await this.lockCounters(tx, [keys.address]);
      const failures = Math.max(0, row.failures - 1);
      const delayMs = loginDelayMs(failures, { freeFailures: freeFailuresPerIp, baseMs: delayBaseMs, maxMs: maxDelayMsPerIp });
      await tx.$executeRawUnsafe(
        `UPDATE identity.login_throttle SET failures = $2,
                next_attempt_at = CASE WHEN $3::int > 0 THEN next_attempt_at END
          WHERE key = $1`,
        row.key,
        failures,
        delayMs,
      );
    });
  }

  /** Creates the counters that do not exist yet and locks them all, in key order (no deadlock between two attempts). */
  private async lockCounters(tx: IdentityTransaction, keys: string[]): Promise<CounterRow[]> {
    const sorted = [...new Set(keys)].sort();
    await tx.$executeRawUnsafe(
      `INSERT INTO identity.login_throttle (key, failures, last_failure_at) SELECT unnest($1::text[]), 0, now() ON CONFLICT (key) DO NOTHING`,
      sorted,
    );
    const rows = await tx.$queryRawUnsafe<Array<Omit<CounterRow, 'now'>>>(
      `SELECT key, failures, last_failure_at, next_attempt_at FROM identity.login_throttle WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE`,
      sorted,
    );
    // The time once the locks are held (a transaction's now() is when it began, maybe before a wait).
    const [{ now }] = await tx.$queryRawUnsafe<Array<{ now: Date }>>('SELECT clock_timestamp() AS now');
    return rows.map((row) => ({ ...row, now }));
  }
}

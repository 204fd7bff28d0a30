import { Injectable } from '@nestjs/common';

/** A dependency the service cannot work without; throws (or rejects) when it is not usable. */
export type ReadinessCheck = () => Promise<void>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'up' | string>;
}

/**
 * Collects the checks that decide `/health/ready`. Modules register theirs on init
 * (database, NATS, spool). A service that is shutting down is never ready, so a load
 * balancer stops sending it work before it drains.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  private shuttingDown = false;

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async evaluate(timeoutMs = 2000): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await runWithTimeout(check, timeoutMs)] as const),
    );
    const checks = Object.fromEntries(entries);
    if (this.shuttingDown) checks.lifecycle = 'shutting down';
    const ready = !this.shuttingDown && entries.every(([, state]) => state === 'up');
    return { ready, checks };
  }
}

async function runWithTimeout(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
    ]);
    return 'up';
  } catch (error) {
    return `down: ${(error as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

import { setTimeout as delay } from 'node:timers/promises';

// Errors two sessions get when they create or alter the same cluster-wide object (a role)
// at once; an advisory lock only serialises callers connected to the same database.
const RACE_CODES = new Set(['42710', '23505', '40001', '40P01']);

export function isCatalogRace(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return (code !== undefined && RACE_CODES.has(code)) || (code === 'XX000' && /concurrently/.test(message ?? ''));
}

/** Runs `attempt` again while it loses a catalog race, with a growing, jittered backoff. */
export async function retryCatalogRace<T>(attempt: () => Promise<T>, tries = 8): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= tries || !isCatalogRace(error)) throw error;
      await delay(Math.min(10 * 2 ** n, 500) + Math.floor(Math.random() * 25));
    }
  }
}

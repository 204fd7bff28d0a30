// Sites and spaces made through the API for booking tests. The reservations service learns
// them from occupancy's events (a read model), so each helper waits until it knows them.
import { randomBytes, randomUUID } from 'node:crypto';
import { expectEventually } from '@parking/testing';
import type { ApiAnswer, ApiStack, Credentials } from './api-stack';

/** How long the reservations service may take to learn of a new site or space. */
const READ_MODEL_WAIT = { timeoutMs: 20_000, intervalMs: 100 };

function expectStatus(answer: ApiAnswer, status: number, what: string): ApiAnswer['body'] {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A fresh Idempotency-Key. */
export const idempotencyKey = (): string => randomUUID();

/** `{Idempotency-Key}` as the `headers` of ApiStack.call. */
export const keyed = (key = idempotencyKey()): Record<string, string> => ({ 'idempotency-key': key });

/** A window starting in `startInMinutes` (default 5: the check-in window is already open), `minutes` long. */
export function windowFromNow(startInMinutes = 5, minutes = 60): { startTime: string; endTime: string } {
  const start = new Date(Math.ceil((Date.now() + startInMinutes * 60_000) / 60_000) * 60_000);
  return { startTime: start.toISOString(), endTime: new Date(start.getTime() + minutes * 60_000).toISOString() };
}

/** A new site of `as`'s tenant, once the reservations service knows it. */
export async function reservableSite(api: ApiStack, as: Credentials): Promise<string> {
  const site = expectStatus(await api.call('POST', '/api/v1/sites', { ...as, body: { name: `Bookable ${randomBytes(3).toString('hex')}`, category: 'off_street' } }), 201, 'create a site');
  await expectEventually(async () => expectStatus(await api.call('GET', `/api/v1/sites/${site.id}/reservation-settings`, as), 200, 'the reservations service knows the site'), READ_MODEL_WAIT);
  return site.id;
}

/** A site with `count` new spaces, once the reservations service knows them all. */
export async function bookableSpaces(api: ApiStack, as: Credentials, count: number): Promise<{ siteId: string; spaceIds: string[] }> {
  const siteId = await reservableSite(api, as);
  const spaceIds: string[] = [];
  for (let i = 0; i < count; i++) {
    spaceIds.push(expectStatus(await api.call('POST', '/api/v1/spaces', { ...as, body: { siteId, code: `B-${i + 1}` } }), 201, 'create a space').id);
  }
  const { startTime, endTime } = windowFromNow(24 * 60);
  const search = `/api/v1/availability?siteId=${siteId}&from=${encodeURIComponent(startTime)}&to=${encodeURIComponent(endTime)}`;
  await expectEventually(async () => {
    const availability = expectStatus(await api.call('GET', search, as), 200, 'availability of the new site');
    if (availability.total !== count) throw new Error(`the reservations service knows ${availability.total} of the site's ${count} spaces`);
  }, READ_MODEL_WAIT);
  return { siteId, spaceIds };
}

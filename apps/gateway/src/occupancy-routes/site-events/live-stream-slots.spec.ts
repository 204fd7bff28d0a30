import { LiveStreamSlots, type StreamHolder } from './live-stream-slots';

const TENANT = 'tenant-a';
const OTHER_TENANT = 'tenant-b';
const user = (id: string, tenantId = TENANT, extra: Partial<StreamHolder> = {}): StreamHolder => ({ tenantId, actor: `user:${id}`, userId: id, ...extra });
const apiKey = (id: string, tenantId = TENANT, extra: Partial<StreamHolder> = {}): StreamHolder => ({ tenantId, actor: `api-key:${id}`, apiKeyId: id, ...extra });

describe('LiveStreamSlots: the caps', () => {
  it('gives a principal at most its cap, however many opens arrive together, and a slot again once one is released', () => {
    const slots = new LiveStreamSlots({ maxStreams: 100, maxPerTenant: 100, maxPerPrincipal: 3 });
    const answers = Array.from({ length: 5 }, () => slots.reserve(user('u1')));
    expect(answers.filter((a) => a.ok)).toHaveLength(3);
    expect(answers.filter((a) => !a.ok)).toEqual([
      { ok: false, cap: 'principal', max: 3 },
      { ok: false, cap: 'principal', max: 3 },
    ]);
    // Another principal of the same tenant is not held back by the first one's cap.
    expect(slots.reserve(user('u2')).ok).toBe(true);

    const first = answers[0];
    if (!first.ok) throw new Error('the first open was refused');
    first.slot.release();
    first.slot.release();
    expect(slots.size).toBe(3);
    expect(slots.reserve(user('u1')).ok).toBe(true);
    expect(slots.reserve(user('u1'))).toEqual({ ok: false, cap: 'principal', max: 3 });
  });

  it('caps a tenant across its users and keys, and leaves other tenants their room', () => {
    const slots = new LiveStreamSlots({ maxStreams: 100, maxPerTenant: 3, maxPerPrincipal: 2 });
    expect([slots.reserve(user('u1')), slots.reserve(user('u1')), slots.reserve(apiKey('k1'))].every((a) => a.ok)).toBe(true);
    expect(slots.reserve(apiKey('k2'))).toEqual({ ok: false, cap: 'tenant', max: 3 });
    expect(slots.reserve(user('u9', OTHER_TENANT)).ok).toBe(true);
  });

  it('caps the process, naming the caller’s own cap first when both are reached', () => {
    const slots = new LiveStreamSlots({ maxStreams: 2, maxPerTenant: 10, maxPerPrincipal: 1 });
    expect(slots.reserve(user('u1')).ok).toBe(true);
    expect(slots.reserve(user('u2', OTHER_TENANT)).ok).toBe(true);
    expect(slots.reserve(user('u3'))).toEqual({ ok: false, cap: 'process', max: 2 });
    expect(slots.reserve(user('u1'))).toEqual({ ok: false, cap: 'principal', max: 1 });
  });
});

describe('LiveStreamSlots: what ends a stream', () => {
  afterEach(() => jest.useRealTimers());

  const reserved = (slots: LiveStreamSlots, holder: StreamHolder) => {
    const reservation = slots.reserve(holder);
    if (!reservation.ok) throw new Error(`refused: ${reservation.cap}`);
    return reservation.slot;
  };

  it('ends the streams of a revoked API key, a removed user and a suspended tenant, and no others', () => {
    const slots = new LiveStreamSlots({ maxStreams: 100, maxPerTenant: 100, maxPerPrincipal: 10 });
    const keyStream = reserved(slots, apiKey('k1'));
    const otherKey = reserved(slots, apiKey('k2'));
    const userStream = reserved(slots, user('u1'));
    const sameIdElsewhere = reserved(slots, user('u1', OTHER_TENANT));
    const otherTenant = reserved(slots, user('u2', OTHER_TENANT));

    expect(slots.endFor({ kind: 'api-key-revoked', tenantId: TENANT, apiKeyId: 'k1' })).toBe(1);
    expect(keyStream.endReason).toBe('credential-revoked');
    expect(slots.endFor({ kind: 'user-removed', tenantId: TENANT, userId: 'u1' })).toBe(1);
    expect(userStream.endReason).toBe('user-removed');
    expect(sameIdElsewhere.endReason).toBeUndefined();

    expect(slots.endFor({ kind: 'tenant-suspended', tenantId: TENANT })).toBe(1);
    expect(otherKey.endReason).toBe('tenant-suspended');
    expect([sameIdElsewhere.endReason, otherTenant.endReason]).toEqual([undefined, undefined]);
  });

  it('tells a listener once, with the first reason, even when it listens after the end (an end during the site lookup)', () => {
    const slots = new LiveStreamSlots({ maxStreams: 100, maxPerTenant: 100, maxPerPrincipal: 10 });
    const slot = reserved(slots, apiKey('k1'));
    const early = jest.fn();
    slot.onEnd(early);
    slots.endFor({ kind: 'api-key-revoked', tenantId: TENANT, apiKeyId: 'k1' });
    slots.endFor({ kind: 'tenant-suspended', tenantId: TENANT });
    const late = jest.fn();
    slot.onEnd(late);
    expect(early.mock.calls).toEqual([['credential-revoked']]);
    expect(late.mock.calls).toEqual([['credential-revoked']]);
    // Ended is not released: the slot counts until the stream's finally frees it.
    expect(slots.size).toBe(1);
    slot.release();
    expect(slots.size).toBe(0);
  });

  it('ends every open stream when a feed of endings resumes, since it may have missed some', () => {
    const slots = new LiveStreamSlots({ maxStreams: 100, maxPerTenant: 100, maxPerPrincipal: 10 });
    const streams = [reserved(slots, user('u1')), reserved(slots, apiKey('k1', OTHER_TENANT))];
    expect(slots.endFor({ kind: 'announcements-resumed' })).toBe(2);
    expect(streams.map((s) => s.endReason)).toEqual(['reconnect', 'reconnect']);
  });

  it('ends a stream when its credential expires, not before, and forgets the timer once released', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const slots = new LiveStreamSlots({ maxStreams: 100, maxPerTenant: 100, maxPerPrincipal: 10 });
    const expiring = reserved(slots, user('u1', TENANT, { credentialExpiresAt: 1_000_000 + 60_000 }));
    const released = reserved(slots, user('u2', TENANT, { credentialExpiresAt: 1_000_000 + 60_000 }));
    const lasting = reserved(slots, apiKey('k1'));
    released.release();

    jest.advanceTimersByTime(59_999);
    expect(expiring.endReason).toBeUndefined();
    jest.advanceTimersByTime(1);
    expect(expiring.endReason).toBe('credential-expired');
    expect([released.endReason, lasting.endReason]).toEqual([undefined, undefined]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('waits for an expiry beyond setTimeout’s range in steps, and ends an already expired credential at once', () => {
    jest.useFakeTimers({ now: 0 });
    const slots = new LiveStreamSlots({ maxStreams: 100, maxPerTenant: 100, maxPerPrincipal: 10 });
    const farAway = 40 * 86_400_000;
    const slot = reserved(slots, apiKey('k1', TENANT, { credentialExpiresAt: farAway }));
    jest.advanceTimersByTime(farAway - 1);
    expect(slot.endReason).toBeUndefined();
    jest.advanceTimersByTime(1);
    expect(slot.endReason).toBe('credential-expired');

    expect(reserved(slots, apiKey('k2', TENANT, { credentialExpiresAt: farAway - 1 })).endReason).toBe('credential-expired');
  });
});

/**
 * Live streams (issue 12, "Live streams"): a site's Server-Sent Events stream is capped per
 * user or API key and per tenant, with the slot taken before anything is awaited, so
 * concurrent opens cannot pass a cap; and the server ends it, after a last `stream-closed`
 * event saying why, when its credential expires or is revoked, when its user is removed and
 * when its tenant is suspended. The compiled gateway, identity and occupancy processes
 * (`npm run build` first), on real PostgreSQL and NATS.
 */
import { decodeJwt } from 'jose';
import { expectEventually, openEventStream, type EventStream } from '@parking/testing';
import { startApiStack, type ApiAnswer, type ApiStack, type SignedIn } from '../api-stack';

const PER_PRINCIPAL = 3;
const PER_TENANT = 5;
/** Identity's shortest access-token lifetime: the expiry test waits for it once. */
const ACCESS_TOKEN_TTL_SECONDS = 60;
/** How long a stream may take to end after identity announced why: the event's trip. */
const AT_ONCE_MS = 10_000;

interface Closing {
  reason: string;
  detail: string;
}

function expectStatus(answer: ApiAnswer, status: number): ApiAnswer['body'] {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

describe('live streams: caps and endings', () => {
  let api: ApiStack;
  const opened: EventStream[] = [];

  beforeAll(async () => {
    api = await startApiStack({
      prefix: 'live-streams',
      services: ['identity', 'gateway', 'occupancy'],
      env: {
        SSE_MAX_STREAMS_PER_PRINCIPAL: String(PER_PRINCIPAL),
        SSE_MAX_STREAMS_PER_TENANT: String(PER_TENANT),
        ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TOKEN_TTL_SECONDS),
        RATE_LIMIT_PER_IP: '10000',
      },
    });
  }, 180_000);
  afterAll(async () => {
    for (const stream of opened) stream.close();
    await api?.stop();
  });

  // Access tokens live a minute here: every test signs in afresh rather than reuse one.
  const signIn = (who: SignedIn) => api.login(who.email, who.password);
  const bearer = (who: SignedIn) => ({ authorization: `Bearer ${who.accessToken}` });
  const keyHeader = (key: string) => ({ 'x-api-key': key });

  async function tenantWithSite(label: string): Promise<{ owner: SignedIn; siteId: string }> {
    const owner = await api.register(label);
    // Occupancy may not know the new tenant's plan yet for a moment.
    const site = await expectEventually(
      async () => expectStatus(await api.call('POST', '/api/v1/sites', { accessToken: owner.accessToken, body: { name: `Live ${label}`, category: 'off_street' } }), 201),
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    return { owner, siteId: site.id };
  }

  async function readerKey(owner: SignedIn, expiresAt?: string): Promise<{ id: string; key: string }> {
    const body = expectStatus(await api.call('POST', '/api/v1/api-keys', { accessToken: owner.accessToken, body: { name: 'wallboard', scopes: ['sites:read', 'spaces:read'], expiresAt } }), 201);
    return { id: body.apiKey.id, key: body.key };
  }

  async function open(siteId: string, headers: Record<string, string>): Promise<EventStream> {
    const stream = await openEventStream(`${api.baseUrl}/api/v1/sites/${siteId}/events`, headers);
    opened.push(stream);
    return stream;
  }

  async function openOk(siteId: string, headers: Record<string, string>): Promise<EventStream> {
    const stream = await open(siteId, headers);
    if (stream.status !== 200) throw new Error(`expected a stream, got ${stream.status}: ${JSON.stringify(stream.body)}`);
    // The stream is served (its slot held) once the first comment arrives.
    await expectEventually(() => expect(stream.comments).toContain('connected'), { timeoutMs: 5_000, intervalMs: 20 });
    return stream;
  }

  /** The reason the server gave in the stream's last event; the stream has ended by then. */
  async function closing(stream: EventStream, timeoutMs = AT_ONCE_MS): Promise<Closing> {
    const last = await stream.waitFor((message) => message.event === 'stream-closed', timeoutMs);
    await stream.ended;
    return JSON.parse(last.data) as Closing;
  }

  const refusals = (streams: EventStream[]) => streams.filter((s) => s.status !== 200);
  const closeAll = (streams: EventStream[]) => streams.forEach((s) => s.close());

  it(`lets exactly ${PER_PRINCIPAL} of ${PER_PRINCIPAL + 3} concurrent opens by one user through, refusing the others with 429 and Retry-After`, async () => {
    const { owner, siteId } = await tenantWithSite('live-principal');
    const streams = await Promise.all(Array.from({ length: PER_PRINCIPAL + 3 }, () => open(siteId, bearer(owner))));

    expect(streams.filter((s) => s.status === 200)).toHaveLength(PER_PRINCIPAL);
    for (const refused of refusals(streams)) {
      expect({ status: refused.status, type: refused.headers.get('content-type'), retryAfter: refused.headers.get('retry-after') }).toEqual({
        status: 429,
        type: expect.stringMatching(/^application\/problem\+json/),
        retryAfter: '30',
      });
      expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', cap: 'principal', max: PER_PRINCIPAL, detail: expect.stringContaining(`at most ${PER_PRINCIPAL} per user or API key`) });
    }

    // Closing one gives its slot back.
    closeAll(streams.filter((s) => s.status === 200).slice(0, 1));
    await expectEventually(async () => {
      const again = await open(siteId, bearer(owner));
      again.close();
      expect(again.status).toBe(200);
    }, { timeoutMs: 5_000, intervalMs: 100 });
    closeAll(streams);
  });

  it('gives the slot back when the open fails after taking it (a site the tenant does not have)', async () => {
    const { owner, siteId } = await tenantWithSite('live-failed-lookup');
    const other = await tenantWithSite('live-failed-lookup-other');
    for (let attempt = 0; attempt < PER_PRINCIPAL + 1; attempt += 1) {
      expect((await open(other.siteId, bearer(owner))).status).toBe(404);
    }
    const streams = await Promise.all(Array.from({ length: PER_PRINCIPAL }, () => open(siteId, bearer(owner))));
    expect(streams.map((s) => s.status)).toEqual(Array(PER_PRINCIPAL).fill(200));
    closeAll(streams);
  });

  it(`caps a tenant at ${PER_TENANT} streams across its users and keys, concurrent opens included, and leaves other tenants their room`, async () => {
    const { owner, siteId } = await tenantWithSite('live-tenant');
    const key = await readerKey(owner);
    const streams = await Promise.all([
      ...Array.from({ length: PER_PRINCIPAL }, () => open(siteId, bearer(owner))),
      ...Array.from({ length: PER_PRINCIPAL }, () => open(siteId, keyHeader(key.key))),
    ]);

    expect(streams.filter((s) => s.status === 200)).toHaveLength(PER_TENANT);
    const [refused, ...more] = refusals(streams);
    expect(more).toEqual([]);
    expect({ status: refused.status, retryAfter: refused.headers.get('retry-after') }).toEqual({ status: 429, retryAfter: '30' });
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', cap: 'tenant', max: PER_TENANT, detail: expect.stringContaining(`at most ${PER_TENANT} per tenant`) });

    const neighbour = await tenantWithSite('live-tenant-neighbour');
    const theirs = await open(neighbour.siteId, bearer(neighbour.owner));
    expect(theirs.status).toBe(200);
    closeAll([...streams, theirs]);
  });

  it("ends an API key's streams when the key is revoked, and nobody else's", async () => {
    const { owner, siteId } = await tenantWithSite('live-revoked');
    const key = await readerKey(owner);
    const keyStream = await openOk(siteId, keyHeader(key.key));
    const ownerStream = await openOk(siteId, bearer(owner));

    expectStatus(await api.call('DELETE', `/api/v1/api-keys/${key.id}`, { accessToken: owner.accessToken }), 200);

    expect(await closing(keyStream)).toEqual({ reason: 'credential-revoked', detail: expect.stringContaining('revoked') });
    expect(ownerStream.messages.filter((m) => m.event === 'stream-closed')).toEqual([]);
    // The revoked key opens nothing more.
    expect((await open(siteId, keyHeader(key.key))).status).toBe(401);
    closeAll([ownerStream]);
  });

  it("ends a removed user's streams", async () => {
    const { owner, siteId } = await tenantWithSite('live-removed');
    const viewer = await api.inviteAndAccept(owner, 'viewer');
    const viewerStream = await openOk(siteId, bearer(viewer));
    const ownerStream = await openOk(siteId, bearer(owner));

    expectStatus(await api.call('DELETE', `/api/v1/users/${viewer.userId}`, { accessToken: (await signIn(owner)).accessToken }), 200);

    expect(await closing(viewerStream)).toEqual({ reason: 'user-removed', detail: expect.any(String) });
    expect(ownerStream.messages.filter((m) => m.event === 'stream-closed')).toEqual([]);
    closeAll([ownerStream]);
  });

  it("ends every stream of a suspended tenant, its users' and its keys', and no other tenant's", async () => {
    const { owner, siteId } = await tenantWithSite('live-suspended');
    const neighbour = await tenantWithSite('live-suspended-neighbour');
    const key = await readerKey(owner);
    const ownerStream = await openOk(siteId, bearer(owner));
    const keyStream = await openOk(siteId, keyHeader(key.key));
    const neighbourStream = await openOk(neighbour.siteId, bearer(neighbour.owner));

    const admin = await signIn(api.admin);
    expectStatus(
      await api.call('POST', `/api/v1/admin/tenants/${owner.tenantId}/suspend`, { accessToken: admin.accessToken, body: { reason: 'e2e: live streams end on suspension' } }),
      200,
    );

    expect(await closing(ownerStream)).toMatchObject({ reason: 'tenant-suspended' });
    expect(await closing(keyStream)).toMatchObject({ reason: 'tenant-suspended' });
    expect(neighbourStream.messages.filter((m) => m.event === 'stream-closed')).toEqual([]);
    closeAll([neighbourStream]);
  });

  it('ends a stream when its API key expires', async () => {
    const { owner, siteId } = await tenantWithSite('live-key-expiry');
    const expiresAt = new Date(Date.now() + 5_000);
    const key = await readerKey(owner, expiresAt.toISOString());
    const stream = await openOk(siteId, keyHeader(key.key));

    expect(await closing(stream, 20_000)).toMatchObject({ reason: 'credential-expired' });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt.getTime());
  });

  it(
    'ends a stream when its access token expires, not before',
    async () => {
      const { owner, siteId } = await tenantWithSite('live-token-expiry');
      const expiresAtMs = (decodeJwt(owner.accessToken).exp as number) * 1000;
      const stream = await openOk(siteId, bearer(owner));

      expect(await closing(stream, ACCESS_TOKEN_TTL_SECONDS * 1000 + 15_000)).toEqual({ reason: 'credential-expired', detail: expect.stringContaining('expired') });
      expect(Date.now()).toBeGreaterThanOrEqual(expiresAtMs);
    },
    (ACCESS_TOKEN_TTL_SECONDS + 60) * 1000,
  );
});

/**
 * NATS authorization per service, against a private nats-server started with the config
 * generated from NATS_ACCESS (one user per service, anonymous refused). The seven compiled
 * services run on it, each as its own user: the gateway's RPCs to identity, ingest,
 * occupancy and reservations, the webhook → pipeline → uplink → space state → live stream path, the feeds and
 * the durable consumers all work, without one permission violation. Then clients holding one
 * service's credentials try what that service has no business doing, and the server refuses.
 * `npm run build` first.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { IDENTITY_RPC, IdentityEvents, Namespace, natsInboxPrefix, OCCUPANCY_RPC, STREAMS, type NatsServiceName } from '@parking/contracts';
import { ALL_SERVICES, expectEventually, openEventStream, startPrivateNatsServer, uniqueNamespace, type EventStream, type PrivateNatsServer } from '@parking/testing';
import { startApiStack, type ApiAnswer, type ApiStack, type SignedIn } from './api-stack';
import { bookableSpaces, keyed, windowFromNow } from './bookable-spaces';

const SLOW = { timeoutMs: 20_000, intervalMs: 100 };
const VIOLATION = /Permissions Violation/;

function expectStatus(answer: ApiAnswer, status: number): ApiAnswer['body'] {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

describe('NATS authorization per service (private nats-server, generated config)', () => {
  const namespace = uniqueNamespace();
  const ns = new Namespace(namespace);
  let nats: PrivateNatsServer;
  let api: ApiStack;
  let owner: SignedIn;
  const clients: NatsConnection[] = [];

  /** A client holding `service`'s credentials, as a compromised process of that service would. */
  async function connectAs(service: NatsServiceName): Promise<NatsConnection> {
    const nc = await connect({ servers: nats.url, name: `as-${service}`, user: service, pass: nats.passwords[service], inboxPrefix: natsInboxPrefix(service, namespace) });
    clients.push(nc);
    return nc;
  }

  /** Subscribes and waits for the server's verdict: the error that closed the subscription. */
  async function subscriptionError(nc: NatsConnection, subject: string): Promise<unknown> {
    const subscription = nc.subscribe(subject);
    let failure: unknown;
    void (async () => {
      try {
        for await (const _ of subscription) break;
      } catch (error) {
        failure = error;
      }
    })();
    await nc.flush();
    return expectEventually(() => {
      if (!failure) throw new Error(`the subscription to ${subject} is still open`);
      return failure;
    });
  }

  beforeAll(async () => {
    nats = await startPrivateNatsServer({ namespace });
    api = await startApiStack({ prefix: 'nats-authorization', services: ALL_SERVICES, envOf: (service) => nats.envFor(service), env: { SSE_HEARTBEAT_MS: '1000' } });
    owner = await api.register('nats-authz');
    await api.upgrade(owner.tenantId);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(clients.map((nc) => nc.close().catch(() => undefined)));
    await api?.stop();
    await nats?.stop();
  });

  describe('the services, each as its own NATS user', () => {
    const as = (body?: unknown) => ({ accessToken: owner.accessToken, body });
    let live: EventStream | undefined;

    afterAll(() => live?.close());

    it("follow identity's events: the tenant limits reach ingest's and occupancy's durable consumers", async () => {
      await expectEventually(async () => {
        expect(await api.sql('SELECT spaces FROM occupancy.tenant_limits WHERE tenant_id = $1', [owner.tenantId])).toEqual([{ spaces: null }]);
        expect(await api.sql('SELECT count(*)::int AS n FROM ingest.tenant_limits WHERE tenant_id = $1', [owner.tenantId])).toEqual([{ n: 1 }]);
      }, SLOW);
    });

    it('carry a webhook from the gateway through ingest and occupancy to the site live stream', async () => {
      const devEui = randomBytes(8).toString('hex');
      const integration = expectStatus(await api.call('POST', '/api/v1/webhook-integrations', as({ name: 'chirpstack authz' })), 201);
      const siteId = expectStatus(await api.call('POST', '/api/v1/sites', as({ name: 'Authz car park', category: 'off_street' })), 201).id;
      expectStatus(await api.call('POST', '/api/v1/devices', as({ devEui, kind: 'sensor', codec: 'nwave-nps405', name: 'bay 1' })), 201);
      const space = expectStatus(await api.call('POST', '/api/v1/spaces', as({ siteId, code: 'A-1' })), 201);
      // Occupancy learns the device from ingest's event.
      await expectEventually(async () => expectStatus(await api.call('PUT', `/api/v1/spaces/${space.id}/sensor`, as({ devEui })), 200), SLOW);
      live = await openEventStream(`${api.baseUrl}/api/v1/sites/${siteId}/events`, { authorization: `Bearer ${owner.accessToken}` });
      expect(live.status).toBe(200);
      const webhook = () =>
        fetch(`${api.baseUrl}/api/v1/webhooks/chirpstack?event=up`, {
          method: 'POST',
          headers: { authorization: `Bearer ${integration.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ deduplicationId: randomUUID(), time: new Date().toISOString(), deviceInfo: { devEui }, devAddr: '01020304', fCnt: 7, fPort: 1, data: 'lQ==' }),
        });
      // The gateway learns the integration from identity's event.
      await expectEventually(async () => expect((await webhook()).status).toBe(200), SLOW);
      await expectEventually(async () => expect(expectStatus(await api.call('GET', `/api/v1/spaces/${space.id}`, as()), 200).state).toMatchObject({ state: 'occupied' }), SLOW);
      const streamed = await live.waitFor((m) => JSON.parse(m.data).data.spaceId === space.id);
      expect(JSON.parse(streamed.data).data).toMatchObject({ siteId, to: 'occupied' });
    });

    it("let ingest republish an orphan's webhooks and read its dead letters", async () => {
      const admin = { accessToken: api.admin.accessToken };
      const integration = expectStatus(await api.call('POST', '/api/v1/webhook-integrations', as({ name: 'chirpstack orphans' })), 201);
      const devEui = randomBytes(8).toString('hex');
      const body = JSON.stringify({ deduplicationId: randomUUID(), deviceInfo: { devEui }, devAddr: '00189440', fCnt: 12, fPort: 1, data: 'lQ==' });
      const post = () =>
        fetch(`${api.baseUrl}/api/v1/webhooks/chirpstack?event=up`, { method: 'POST', headers: { authorization: `Bearer ${integration.token}`, 'content-type': 'application/json' }, body });
      await expectEventually(async () => expect((await post()).status).toBe(200), SLOW);
      await expectEventually(async () => {
        const orphans = expectStatus(await api.call('GET', '/api/v1/admin/orphans?reason=authz%20check&limit=200', admin), 200);
        expect(orphans.items.map((o: { devEui: string }) => o.devEui)).toContain(devEui);
      }, SLOW);
      const assign = { reason: 'authz ticket', tenantId: owner.tenantId, codec: 'nwave-nps405', name: 'Adopted bay' };
      expect(expectStatus(await api.call('POST', `/api/v1/admin/orphans/${devEui}/assign`, { ...admin, body: assign }), 200)).toMatchObject({ replayed: 1 });
      await expectEventually(async () => {
        expect(await api.sql('SELECT uplink_count::int AS n FROM ingest.devices WHERE dev_eui = $1', [devEui])).toEqual([{ n: 1 }]);
      }, SLOW);

      // A dead letter as ingest's pipeline would write it (ingest's user may), listed by the admin API.
      const ingest = await connectAs('ingest');
      const letter = { originalSubject: ns.subject(`webhook.chirpstack.up.${owner.tenantId}`), stream: ns.stream('WEBHOOKS'), consumer: 'ingest-uplink-pipeline', streamSequence: 1, deliveries: 1, reason: 'authz probe', failedAt: new Date().toISOString(), headers: {}, payload: '{}', payloadEncoding: 'utf8' };
      await jetstream(ingest).publish(ns.subject('deadletter.ingest.ingest-uplink-pipeline'), JSON.stringify(letter));
      const letters = expectStatus(await api.call('GET', '/api/v1/admin/dead-letters?reason=authz%20check', admin), 200);
      expect(letters.items).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'authz probe' })]));
    });

    it("let the gateway book through reservations, which learns the space from occupancy's events", async () => {
      const { spaceIds } = await bookableSpaces(api, { accessToken: owner.accessToken }, 1);
      const booking = { accessToken: owner.accessToken, headers: keyed(), body: { spaceId: spaceIds[0], ...windowFromNow(60) } };
      expect(expectStatus(await api.call('POST', '/api/v1/reservations', booking), 201)).toMatchObject({ spaceId: spaceIds[0], state: 'confirmed' });
    });

    it('did all that without a single permission violation', () => {
      expect(nats.log()).not.toMatch(/Violation/);
      for (const service of ALL_SERVICES) expect(api.stack.services[service].output()).not.toMatch(VIOLATION);
    });
  });

  describe("a client with another service's credentials", () => {
    it('cannot call RPCs it has no business with; the gateway can', async () => {
      const occupancy = await connectAs('occupancy');
      await expect(occupancy.request(ns.subject(IDENTITY_RPC.login.subject), '{}', { timeout: 5_000 })).rejects.toThrow(VIOLATION);
      const ingest = await connectAs('ingest');
      await expect(ingest.request(ns.subject(OCCUPANCY_RPC.listSites.subject), '{}', { timeout: 5_000 })).rejects.toThrow(VIOLATION);
      await expect(ingest.request(ns.subject(IDENTITY_RPC.integrationSnapshot.subject), '{}', { timeout: 5_000 })).rejects.toThrow(VIOLATION);

      // The same request from the gateway's user reaches identity, which answers (refusing the bare payload is its own business).
      const gateway = await connectAs('gateway');
      const subject = ns.subject(IDENTITY_RPC.login.subject);
      const reply = await gateway.request(subject, JSON.stringify({ pattern: subject, data: {}, id: randomUUID() }), { timeout: 5_000 });
      expect(reply.json()).toEqual(expect.objectContaining({ isDisposed: true }));
    });

    it("cannot read another service's RPC traffic or the replies to it", async () => {
      const occupancy = await connectAs('occupancy');
      expect(String(await subscriptionError(occupancy, ns.subject('rpc.identity.>')))).toMatch(VIOLATION);
      expect(String(await subscriptionError(occupancy, `${natsInboxPrefix('gateway', namespace)}.>`))).toMatch(VIOLATION);
      expect(String(await subscriptionError(occupancy, '_INBOX.>'))).toMatch(VIOLATION);
      const gateway = await connectAs('gateway');
      expect(String(await subscriptionError(gateway, ns.subject('rpc.>')))).toMatch(VIOLATION);
      expect(String(await subscriptionError(gateway, ns.subject('identity.>')))).toMatch(VIOLATION);
    });

    it("cannot publish into another service's stream, which does not grow", async () => {
      const identity = await connectAs('identity');
      const jsm = await jetstreamManager(identity);
      const before = (await jsm.streams.info(ns.stream(STREAMS.IDENTITY.name))).state.messages;
      const forged = ns.subject(`${IdentityEvents.WEBHOOK_INTEGRATION_UPSERTED_V1}.${owner.tenantId}.${randomUUID()}`);
      const occupancy = await connectAs('occupancy');
      await expect(jetstream(occupancy).publish(forged, JSON.stringify({ forged: true }), { timeout: 5_000 })).rejects.toThrow(VIOLATION);
      occupancy.publish(forged, JSON.stringify({ forged: true }));
      await occupancy.flush();
      const gateway = await connectAs('gateway');
      await expect(jetstream(gateway).publish(ns.subject(`occupancy.space.state_changed.v1.${owner.tenantId}.x`), '{}', { timeout: 5_000 })).rejects.toThrow(VIOLATION);
      // Its own stream's round trip proves the forged messages had their chance to land.
      await jetstream(identity).publish(ns.subject(`identity.tenant.probe.v1.${owner.tenantId}.x`), '{}');
      expect((await jsm.streams.info(ns.stream(STREAMS.IDENTITY.name))).state.messages).toBe(before + 1);
    });

    it('cannot reconfigure a stream it consumes, or follow more of it than declared', async () => {
      const occupancy = await connectAs('occupancy');
      const jsm = await jetstreamManager(occupancy);
      const ingestStream = ns.stream(STREAMS.INGEST.name);
      const info = await jsm.streams.info(ingestStream);
      await expect(jsm.streams.update(ingestStream, { ...info.config, subjects: [...info.config.subjects, ns.subject('rpc.identity.>')] })).rejects.toThrow(VIOLATION);
      await expect(jsm.streams.delete(ingestStream)).rejects.toThrow(VIOLATION);
      await expect(jsm.consumers.delete(ingestStream, 'occupancy-uplinks')).rejects.toThrow(VIOLATION);
      const gateway = await connectAs('gateway');
      await expect(jetstream(gateway).consumers.get(ns.stream(STREAMS.IDENTITY.name), { filter_subjects: ns.subject('identity.>') })).rejects.toThrow(VIOLATION);
    });

    it('refuses anonymous clients and wrong passwords', async () => {
      await expect(connect({ servers: nats.url, name: 'anonymous' })).rejects.toThrow(/Authorization Violation/);
      await expect(connect({ servers: nats.url, name: 'guess', user: 'identity', pass: nats.passwords.gateway })).rejects.toThrow(/Authorization Violation/);
    });
  });
});

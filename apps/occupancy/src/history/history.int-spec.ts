import {
  IngestEvents,
  OCCUPANCY_HISTORY_RPC,
  OCCUPANCY_RPC,
  Page,
  SiteSpaceView,
  SiteView,
  SpaceTransitionView,
  SpaceView,
} from '@parking/contracts';
import { createRpcClient, RpcClient } from '@parking/messaging-nest';
import { DomainError } from '@parking/problem-details';
import { expectEventually, TEST_RPC_KEYS } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { claimNamespace, deviceSnapshot, OccupancyHarness, principalFor, RpcTarget, startOccupancy, subjectOf, uplinkOf, sendAsGateway } from '../../test/occupancy-harness';

const namespace = claimNamespace();
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-01T00:00:00Z');

describe('occupancy: space history and site snapshots over RPC (real PostgreSQL and NATS)', () => {
  let h: OccupancyHarness;
  let rpc: RpcClient;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  const a = principalFor(tenantA);
  const b = principalFor(tenantB);
  const sensor = deviceSnapshot(tenantA, 'd0d0d0d0d0d0d0d1');
  let siteA: SiteView;
  let siteB: SiteView;
  let spacesA: SpaceView[];
  let spaceB: SpaceView;

  const send = <T>(target: RpcTarget, payload: unknown) => sendAsGateway<T>(rpc, target, payload);
  async function failure(target: RpcTarget, payload: unknown): Promise<DomainError> {
    const outcome = await send(target, payload).then(
      (reply) => new Error(`expected ${subjectOf(target)} to fail, it answered ${JSON.stringify(reply)}`),
      (error: unknown) => error,
    );
    if (!(outcome instanceof DomainError)) throw outcome;
    return outcome;
  }
  const transitions = (payload: Record<string, unknown>) => send<Page<SpaceTransitionView>>(OCCUPANCY_HISTORY_RPC.spaceTransitions, payload);
  const siteSpaces = (payload: Record<string, unknown>) => send<Page<SiteSpaceView>>(OCCUPANCY_HISTORY_RPC.siteSpaces, payload);
  /** Stores a past transition directly, so ranges can be tested against known times. */
  async function pastTransition(tenantId: string, spaceId: string, hour: number, to: 'free' | 'occupied'): Promise<void> {
    await h.sql(
      `INSERT INTO occupancy.space_transitions (tenant_id, space_id, from_state, to_state, cause, reading, version, at)
       VALUES ($1, $2, $3, $4, 'sensor', NULL, $5, $6)`,
      [tenantId, spaceId, to === 'free' ? 'occupied' : 'free', to, hour + 2, new Date(T0 + hour * HOUR)],
    );
  }

  beforeAll(async () => {
    h = await startOccupancy({ namespace, rpc: true });
    rpc = createRpcClient({ natsUrl: NATS_URL, name: 'history-spec', namespace, timeoutMs: 15_000, proof: TEST_RPC_KEYS.gatewayProof });
    await h.publish(IngestEvents.DeviceRegisteredV1, tenantA, sensor.deviceId, sensor);
    siteA = await send(OCCUPANCY_RPC.createSite, { principal: a, name: 'History A', category: 'off_street' });
    siteB = await send(OCCUPANCY_RPC.createSite, { principal: b, name: 'History B', category: 'on_street' });
    spacesA = [];
    for (let i = 1; i <= 5; i++) spacesA.push(await send(OCCUPANCY_RPC.createSpace, { principal: a, siteId: siteA.id, code: `A-${i}` }));
    spaceB = await send(OCCUPANCY_RPC.createSpace, { principal: b, siteId: siteB.id, code: 'B-1' });
    await expectEventually(async () => expect(await h.sql('SELECT 1 FROM occupancy.sensors WHERE dev_eui = $1', [sensor.devEui])).toHaveLength(1));
    await send(OCCUPANCY_RPC.assignSensor, { principal: a, spaceId: spacesA[0].id, devEui: sensor.devEui });
  });
  afterAll(async () => {
    await rpc?.close();
    await h?.stop();
  });

  it('lists the transitions a sensor caused, newest first, with the reading and version', async () => {
    await h.publish(IngestEvents.UplinkReceivedV1, tenantA, sensor.deviceId, uplinkOf(sensor, { fCnt: 1, occupied: true }));
    await expectEventually(async () => expect((await transitions({ principal: a, spaceId: spacesA[0].id })).items).toHaveLength(1));
    await h.publish(IngestEvents.UplinkReceivedV1, tenantA, sensor.deviceId, uplinkOf(sensor, { fCnt: 2, occupied: false }));
    await expectEventually(async () => expect((await transitions({ principal: a, spaceId: spacesA[0].id })).items).toHaveLength(2));
    const page = await transitions({ principal: a, spaceId: spacesA[0].id });
    expect(page.nextCursor).toBeNull();
    expect(page.items).toEqual([
      { id: expect.any(String), from: 'occupied', to: 'free', cause: 'sensor', reading: expect.objectContaining({ devEui: sensor.devEui, fCnt: 2 }), version: 3, at: expect.any(String) },
      { id: expect.any(String), from: 'unknown', to: 'occupied', cause: 'sensor', reading: expect.objectContaining({ devEui: sensor.devEui, fCnt: 1 }), version: 2, at: expect.any(String) },
    ]);
    expect(BigInt(page.items[0].id)).toBeGreaterThan(BigInt(page.items[1].id));
  });

  it('pages through the history with a cursor, without gaps or repeats', async () => {
    const spaceId = spacesA[1].id;
    for (let hour = 0; hour < 7; hour++) await pastTransition(tenantA, spaceId, hour, hour % 2 === 0 ? 'occupied' : 'free');
    const seen: SpaceTransitionView[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await transitions({ principal: a, spaceId, limit: 3, ...(cursor ? { cursor } : {}) });
      sizes.push(page.items.length);
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen.map((t) => t.at)).toEqual([6, 5, 4, 3, 2, 1, 0].map((hour) => new Date(T0 + hour * HOUR).toISOString()));
    expect(new Set(seen.map((t) => t.id)).size).toBe(7);
  });

  it('bounds the history by from (inclusive) and to (exclusive), and refuses a bad range or cursor', async () => {
    const spaceId = spacesA[1].id;
    const range = await transitions({ principal: a, spaceId, from: new Date(T0 + 2 * HOUR).toISOString(), to: new Date(T0 + 5 * HOUR).toISOString() });
    expect(range.items.map((t) => t.at)).toEqual([4, 3, 2].map((hour) => new Date(T0 + hour * HOUR).toISOString()));
    const since = await transitions({ principal: a, spaceId, from: '2026-11-01T06:00:00+00:00' });
    expect(since.items).toHaveLength(1);

    const backwards = await failure(OCCUPANCY_HISTORY_RPC.spaceTransitions, { principal: a, spaceId, from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' });
    expect(backwards).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'to', message: 'to must be later than from' }] });
    const noZone = await failure(OCCUPANCY_HISTORY_RPC.spaceTransitions, { principal: a, spaceId, from: '2026-11-01T00:00:00' });
    expect(noZone.code).toBe('VALIDATION_FAILED');
    const forged = await failure(OCCUPANCY_HISTORY_RPC.spaceTransitions, { principal: a, spaceId, cursor: Buffer.from('["t","x"]').toString('base64url') });
    expect(forged.code).toBe('VALIDATION_FAILED');
  });

  it("keeps each tenant to its own history and snapshot: another tenant's ids are 404", async () => {
    await pastTransition(tenantB, spaceB.id, 1, 'occupied');
    expect((await failure(OCCUPANCY_HISTORY_RPC.spaceTransitions, { principal: b, spaceId: spacesA[1].id })).code).toBe('NOT_FOUND');
    expect((await failure(OCCUPANCY_HISTORY_RPC.spaceTransitions, { principal: a, spaceId: spaceB.id })).code).toBe('NOT_FOUND');
    expect((await failure(OCCUPANCY_HISTORY_RPC.siteSpaces, { principal: b, siteId: siteA.id })).code).toBe('NOT_FOUND');
    const own = await transitions({ principal: b, spaceId: spaceB.id });
    expect(own.items.map((t) => t.to)).toEqual(['occupied']);
    const ownSite = await siteSpaces({ principal: b, siteId: siteB.id, include: 'state' });
    expect(ownSite.items.map((s) => s.id)).toEqual([spaceB.id]);
  });

  it('snapshots every space of a site page by page, with the state and its version only when asked', async () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await siteSpaces({ principal: a, siteId: siteA.id, include: 'state', limit: 2, ...(cursor ? { cursor } : {}) });
      for (const space of page.items) expect(space.state).toEqual(expect.objectContaining({ state: expect.any(String), version: expect.any(Number) }));
      ids.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(ids).toEqual(spacesA.map((s) => s.id));

    const all = await siteSpaces({ principal: a, siteId: siteA.id, include: 'state', limit: 500 });
    const first = all.items.find((s) => s.id === spacesA[0].id);
    expect(first?.state).toMatchObject({ state: 'free', version: 3, reading: { devEui: sensor.devEui, fCnt: 2 } });
    const plain = await siteSpaces({ principal: a, siteId: siteA.id });
    expect(plain.items).toHaveLength(5);
    expect(plain.items.every((s) => !('state' in s))).toBe(true);

    expect((await failure(OCCUPANCY_HISTORY_RPC.siteSpaces, { principal: a, siteId: siteA.id, limit: 501 })).code).toBe('VALIDATION_FAILED');
    expect((await failure(OCCUPANCY_HISTORY_RPC.siteSpaces, { principal: a, siteId: siteA.id, include: 'zones' })).code).toBe('VALIDATION_FAILED');
    expect((await failure(OCCUPANCY_HISTORY_RPC.siteSpaces, { principal: a, siteId: randomUUID() })).code).toBe('NOT_FOUND');
  });
});

/**
 * The uplink hot path's database cost, counted: a batch of uplinks of registered devices takes
 * the same statements whether it holds one uplink or many (real PostgreSQL, the runtime role;
 * the client only counts what it sends). Routing by application, the orphan cap and the claim
 * checks must not add a round trip per uplink.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { rawWebhookHeaders, rawWebhookSubject, type RawWebhookMeta } from '@parking/contracts';
import { PgSqlClient, TenantDatabase, type RawSqlClient, type TransactionOptions } from '@parking/database';
import type { BatchMessage } from '@parking/messaging';
import { PipelineHarness } from './test/pipeline-harness';
import { UplinkPipeline } from './uplink-pipeline';

/** A node-postgres client that counts the statements its transactions send (BEGIN, with the tenant or purpose it sets, and COMMIT aside). */
class CountingSqlClient extends PgSqlClient {
  statements = 0;

  override $transaction<R>(work: (tx: RawSqlClient) => Promise<R>, timeouts?: TransactionOptions): Promise<R> {
    return super.$transaction((tx) => work(this.counted(tx)), timeouts);
  }

  private counted(tx: RawSqlClient): RawSqlClient {
    const count = <A extends unknown[], T>(run: (...args: A) => Promise<T>) => (...args: A) => {
      this.statements++;
      return run(...args);
    };
    return {
      $queryRawUnsafe: count(tx.$queryRawUnsafe.bind(tx)),
      $executeRawUnsafe: count(tx.$executeRawUnsafe.bind(tx)),
      $queryRaw: count(tx.$queryRaw.bind(tx)),
      $executeRaw: count(tx.$executeRaw.bind(tx)),
      $queryRawAndCommit: count(tx.$queryRawAndCommit.bind(tx)),
    } as RawSqlClient;
  }
}

const newEui = () => randomBytes(8).toString('hex');
let sequence = 0;

function uplinkMessage(devEui: string, fCnt: number, tenantId: string | undefined, applicationId?: string): BatchMessage {
  const body = {
    deduplicationId: randomUUID(),
    time: new Date().toISOString(),
    deviceInfo: { devEui, ...(applicationId ? { applicationId } : {}) },
    devAddr: '00189440',
    fCnt,
    fPort: 1,
    data: 'lQ==',
    rxInfo: [{ gatewayId: '0016c001f153a14c', rssi: -80, snr: 7 }],
  };
  const meta: RawWebhookMeta = {
    msgId: `up:${body.deduplicationId}`,
    contentType: 'application/json',
    event: 'up',
    auth: tenantId ? 'bearer' : 'platform-signature',
    receivedAt: new Date().toISOString(),
    ...(tenantId ? { tenantId } : {}),
  };
  return { subject: rawWebhookSubject('up', tenantId), data: Buffer.from(JSON.stringify(body)), headers: rawWebhookHeaders(meta), streamSequence: ++sequence, deliveryCount: 1 };
}

describe('the uplink hot path: statements per batch', () => {
  let h: PipelineHarness;
  let client: CountingSqlClient;
  let pipeline: UplinkPipeline;

  beforeAll(async () => {
    h = await PipelineHarness.start();
    client = new CountingSqlClient({ url: h.testDb.urlFor('ingest'), max: 4 });
    pipeline = new UplinkPipeline(new TenantDatabase({ client, schema: 'ingest' }), h.outbox);
  });
  afterAll(async () => {
    await client?.$disconnect();
    await h?.close();
  });

  async function statementsOf(batch: BatchMessage[]): Promise<number> {
    const before = client.statements;
    const outcomes = await pipeline.handle(batch);
    expect(outcomes.filter((o) => o.kind !== 'ack')).toEqual([]);
    return client.statements - before;
  }

  it("takes as many statements for 64 uplinks of a tenant's registered devices as for one", async () => {
    const tenant = randomUUID();
    const devices = Array.from({ length: 64 }, newEui);
    for (const devEui of devices) await h.registerDevice(tenant, devEui);
    const one = await statementsOf([uplinkMessage(devices[0], 1, tenant)]);
    const many = await statementsOf(devices.map((devEui) => uplinkMessage(devEui, 2, tenant)));
    expect({ one, many }).toEqual({ one: 5, many: 5 });
    expect(await h.uplinks(devices[63])).toHaveLength(1);
  });

  it('takes as many statements for 64 platform-signed uplinks of registered devices as for one', async () => {
    const tenant = randomUUID();
    const devices = Array.from({ length: 64 }, newEui);
    for (const devEui of devices) await h.registerDevice(tenant, devEui);
    const one = await statementsOf([uplinkMessage(devices[0], 1, undefined)]);
    const many = await statementsOf(devices.map((devEui) => uplinkMessage(devEui, 2, undefined)));
    expect({ one, many }).toEqual({ one: 6, many: 6 });
    expect((await h.uplinks(devices[63])).map((u) => u.tenant_id)).toEqual([tenant]);
  });
});

// What does folding uplinks into gateway statistics cost chirpstack-sync per uplink? Feeds
// batches of 256 `ingest.uplink.received.v1` messages (each heard by 1 to 3 of 50 registered
// gateways) to the consumer's batch handler over a real database, side by side in the same run
// with a baseline: the same batches decoded and claimed in the inbox only, the least any
// exactly-once consumer of the stream pays.
import { Prisma } from '@parking/chirpstack-sync/data-access';
import { createEnvelope, IngestEvents, UPLINK_EXAMPLE, type Uplink } from '@parking/contracts';
import { PgSqlClient, TenantDatabase, type TemplateSqlClient } from '@parking/database';
import { decodeEvent, type BatchMessage } from '@parking/messaging';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { GatewayUplinksConsumer } from '../../apps/chirpstack-sync/src/gateways/gateway-uplinks.consumer';
import { createBenchDatabase } from '../ingest/resources';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const BATCH = 256;
const BATCHES = Number(process.env.BENCH_GATEWAY_BATCHES ?? 80);
const GATEWAYS = 50;

interface Measured {
  uplinksPerSecond: number;
  cpuMsPerUplink: number;
  msPerBatch: number;
}

function batchesOf(tenantId: string, gatewayIds: string[]): BatchMessage[][] {
  const now = Date.now();
  return Array.from({ length: BATCHES }, () =>
    Array.from({ length: BATCH }, () => {
      const heardBy = gatewayIds.slice(0).sort(() => Math.random() - 0.5).slice(0, 1 + Math.floor(Math.random() * 3));
      const uplink: Uplink = {
        ...UPLINK_EXAMPLE,
        tenantId,
        deduplicationId: randomUUID(),
        receivedAt: new Date(now - Math.floor(Math.random() * 6 * 3_600_000)).toISOString(),
        radio: { ...UPLINK_EXAMPLE.radio, gateways: heardBy.map((gatewayId) => ({ gatewayId, rssi: -40 - Math.random() * 80, snr: -15 + Math.random() * 25 })) },
      };
      const envelope = createEnvelope(IngestEvents.UplinkReceivedV1, { tenantId, aggregateId: uplink.deviceId, source: '/parking/ingest', data: uplink });
      return { subject: `${IngestEvents.UPLINK_RECEIVED_V1}.${tenantId}.${uplink.deviceId}`, data: Buffer.from(JSON.stringify(envelope)), headers: {}, streamSequence: 1, deliveryCount: 1 };
    }),
  );
}

async function measure(batches: BatchMessage[][], handle: (batch: BatchMessage[]) => Promise<unknown>): Promise<Measured> {
  await handle(batches[0]); // warm: plans, pool
  const rest = batches.slice(1);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (const batch of rest) await handle(batch);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  const uplinks = rest.length * BATCH;
  return { uplinksPerSecond: (uplinks / wallMs) * 1000, cpuMsPerUplink: (used.user + used.system) / 1000 / uplinks, msPerBatch: wallMs / rest.length };
}

async function main(): Promise<void> {
  const database = await createBenchDatabase('gateway-uplinks');
  const pg = new PgSqlClient({ url: database.urlFor('chirpstack'), max: 4, template: (strings, ...values) => Prisma.sql(strings, ...values) });
  const db = new TenantDatabase<TemplateSqlClient>({ client: pg, schema: 'chirpstack' });
  try {
    await database.migratePlatform(REPO_ROOT, ['chirpstack']);
    const tenantId = randomUUID();
    const gatewayIds = Array.from({ length: GATEWAYS }, () => randomBytes(8).toString('hex'));
    await db.withTenant(tenantId, (tx) => tx.$executeRaw`
      INSERT INTO chirpstack.gateways (id, tenant_id, gateway_id, site_id, name)
      SELECT gen_random_uuid(), ${tenantId}::uuid, g, gen_random_uuid(), 'bench' FROM unnest(${gatewayIds}::text[]) AS g`);
    const consumer = new GatewayUplinksConsumer(undefined as never, undefined as never, undefined as never, db);

    const baseline = await measure(batchesOf(tenantId, gatewayIds), (batch) =>
      db.withTenant(tenantId, (tx) => {
        const envelopes = batch.map((message) => decodeEvent(message, IngestEvents.UPLINK_RECEIVED_V1)).flatMap((decoded) => (decoded.ok ? [decoded.envelope] : []));
        return tx.$queryRaw`
          INSERT INTO chirpstack.inbox (consumer, event_id, tenant_id, subject)
          SELECT 'bench-baseline', e.id, ${tenantId}::uuid, e.subject
            FROM unnest(${envelopes.map((e) => e.id)}::uuid[], ${batch.map((m) => m.subject)}::text[]) AS e(id, subject)
          ON CONFLICT DO NOTHING RETURNING event_id`;
      }),
    );
    const folded = await measure(batchesOf(tenantId, gatewayIds), (batch) => consumer.handle(batch));

    const [{ rows }] = await db.withTenant(tenantId, (tx) => tx.$queryRaw<Array<{ rows: number }>>`SELECT count(*)::int AS rows FROM chirpstack.gateway_uplinks_hourly`);
    const day = new Date().toISOString().slice(0, 10);
    const line = (name: string, m: Measured) => `| ${name} | ${m.uplinksPerSecond.toFixed(0)}/s | ${m.cpuMsPerUplink.toFixed(3)} | ${m.msPerBatch.toFixed(1)} |`;
    const report = [
      `# Gateway statistics from the uplink stream (${day})`,
      '',
      `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}; load average when the run began: ${loadavg()[0].toFixed(2)}.`,
      `Load: ${BATCHES} batches of ${BATCH} \`ingest.uplink.received.v1\` messages of one tenant (the first of each run warms up), each uplink heard by 1 to 3 of ${GATEWAYS} registered gateways, within the last 6 hours; fed to the batch handler directly (no NATS), one batch after another.`,
      'CPU is this process\'s (decode, tally, statements); PostgreSQL\'s time shows in the wall time per batch.',
      '',
      '| measure | uplinks/s | CPU ms per uplink | ms per batch |',
      '| --- | --- | --- | --- |',
      line('baseline: decode + inbox claim only', baseline),
      line('gateway statistics: decode + inbox + hourly fold + last uplink', folded),
      '',
      `The fold costs ${(folded.cpuMsPerUplink - baseline.cpuMsPerUplink).toFixed(3)} CPU ms per uplink over the baseline, ${(folded.msPerBatch / baseline.msPerBatch).toFixed(2)}× its time per batch; it wrote ${rows} hourly rows. It runs beside the webhook-to-space-state path, not on it.`,
      '',
    ].join('\n');
    console.log(report);
    mkdirSync(path.join(REPO_ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(path.join(REPO_ROOT, 'bench', 'results', `gateway-uplinks-${day}.md`), report);
  } finally {
    await pg.$disconnect();
    await database.drop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

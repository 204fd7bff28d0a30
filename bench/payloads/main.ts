// bench:payloads — what the one RPC validation step costs a service per request: the contracts
// class checked by @RpcHandler (split off the context, class-transformer, class-validator),
// beside the hand-written reader ingest used before (bench/payloads/baseline-reader.ts), in one
// run, on the same payloads. Target: at most 0.05 ms more per request.
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { DEVICES_RPC, OCCUPANCY_RPC, type CreateSiteRequest, type ListDevicesRequest, type ReceivedRpcContext, type RegisterDeviceRequest } from '@parking/contracts';
import { isCodecId } from '@parking/ingest/codecs';
import { RpcHandler } from '@parking/messaging-nest';
import { DomainError } from '@parking/problem-details';
import { readNewDevice, RpcInput } from './baseline-reader';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const TARGET_MS = 0.05;

const principal = { kind: 'user', tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41', actor: 'user:x', userId: '6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33', permissions: ['devices:write'], isPlatformAdmin: false };
const PAYLOADS = {
  register: {
    principal,
    devEui: '70-B3-D5-47-50-10-0A-1B',
    kind: 'sensor',
    codec: 'nwave-nps405',
    name: 'Bay 12, level 2',
    chirpstackApplicationId: '1f0c7e2a-9b34-4d58-a6e1-2c3d4e5f6a7b',
    heartbeatSeconds: 900,
    tags: { level: '2', zone: 'north' },
  },
  list: { principal, kind: 'sensor', codec: 'nwave-nps405', tag: 'level:2', q: 'Bay', status: 'online', limit: 100, cursor: 'WyIxNzk2MjAwMDAwMDAwMDAwIiwiM2M5ZSJd' },
  invalid: { principal, devEui: 'x', kind: 'lamp', codec: 'nwave', name: '', heartbeatSeconds: 0, tags: { 'bad key': 'v' }, colour: 'red' },
  site: {
    principal,
    name: 'Alexa car park',
    category: 'off_street',
    address: 'Alexanderplatz 1, 10178 Berlin',
    location: { latitude: 52.5219, longitude: 13.4132 },
    timeZone: 'Europe/Berlin',
    openingHours: { mon: ['07:00-22:00'], tue: ['07:00-22:00'], sat: ['09:00-14:00', '16:00-20:00'] },
    heartbeatTimeoutSeconds: 1800,
  },
};

/** The service side as it runs now: the handler's decorator validates before the body. */
class ContractHandlers {
  @RpcHandler(DEVICES_RPC.register)
  register(request: RegisterDeviceRequest, _context: ReceivedRpcContext): boolean {
    return isCodecId(request.codec);
  }

  @RpcHandler(DEVICES_RPC.list)
  list(request: ListDevicesRequest, _context: ReceivedRpcContext): number {
    return request.limit ?? 50;
  }

  @RpcHandler(OCCUPANCY_RPC.createSite)
  createSite(request: CreateSiteRequest, _context: ReceivedRpcContext): string {
    return request.name;
  }
}
const contract = new ContractHandlers() as unknown as Record<'register' | 'list' | 'createSite', (payload: unknown) => unknown>;

/** The same two requests through the reader of before. */
const baseline = {
  register(payload: unknown): unknown {
    const { fields, errors } = readNewDevice(new RpcInput(payload).body);
    if (errors.length > 0) throw new DomainError('VALIDATION_FAILED', 'invalid', undefined, { errors });
    return fields;
  },
  list(payload: unknown): unknown {
    const input = new RpcInput(payload);
    const query = { kind: input.kind(), codec: input.optionalString('codec', 64), tag: input.tag(), q: input.optionalString('q', 200), status: input.oneOf('status', ['online', 'offline'] as const), ...input.page() };
    input.onlyKnown(['cursor', 'limit', 'kind', 'codec', 'tag', 'q', 'status', 'battery']);
    input.done();
    return query;
  },
};

type Case = { name: string; run: (payload: unknown) => unknown; payload: unknown };
/** Only ingest's reader is kept as the baseline; a site shows what a nested payload costs. */
const CASES: Array<{ label: string; baseline?: Case; contract: Case }> = [
  { label: 'register a device (valid, 8 fields)', baseline: { name: 'reader', run: baseline.register, payload: PAYLOADS.register }, contract: { name: 'class', run: (p) => contract.register(p), payload: PAYLOADS.register } },
  { label: 'list devices (7 filters)', baseline: { name: 'reader', run: baseline.list, payload: PAYLOADS.list }, contract: { name: 'class', run: (p) => contract.list(p), payload: PAYLOADS.list } },
  { label: 'register a device (7 bad fields)', baseline: { name: 'reader', run: baseline.register, payload: PAYLOADS.invalid }, contract: { name: 'class', run: (p) => contract.register(p), payload: PAYLOADS.invalid } },
  { label: 'create a site (location, opening hours)', contract: { name: 'class', run: (p) => contract.createSite(p), payload: PAYLOADS.site } },
];

/** Microseconds per request over one round (a refusal counts: it is work the service does). */
function measure(subject: Case): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) {
    try {
      subject.run(subject.payload);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return Number(process.hrtime.bigint() - started) / 1_000 / ITERATIONS;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main(): void {
  const rows: string[] = [];
  for (const { label, baseline: before, contract: after } of CASES) {
    for (let i = 0; i < 2_000; i++) {
      if (before) measureOnce(before);
      measureOnce(after);
    }
    const beforeRounds: number[] = [];
    const afterRounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (before) beforeRounds.push(measure(before));
      afterRounds.push(measure(after));
    }
    const a = median(afterRounds);
    if (!before) {
      rows.push(`| ${label} | — | ${a.toFixed(1)} | — | ${a / 1_000 <= TARGET_MS ? 'yes (whole check)' : 'no'} |`);
      console.log(`${label}: class ${a.toFixed(1)} µs`);
      continue;
    }
    const b = median(beforeRounds);
    const added = (a - b) / 1_000;
    rows.push(`| ${label} | ${b.toFixed(1)} | ${a.toFixed(1)} | ${(a - b).toFixed(1)} | ${added <= TARGET_MS ? 'yes' : 'no'} |`);
    console.log(`${label}: reader ${b.toFixed(1)} µs, class ${a.toFixed(1)} µs`);
  }
  const report = [
    `# bench:payloads — ${new Date().toISOString().slice(0, 10)}`,
    '',
    'Service-side validation of one RPC payload: the contracts class through `@RpcHandler` (context split off, class-transformer, class-validator, unknown fields refused) beside the hand-written reader ingest used before (`bench/payloads/baseline-reader.ts`), same payloads, same process, alternating rounds.',
    `Median of ${ROUNDS} rounds of ${ITERATIONS} requests each; microseconds per request. Target: at most ${TARGET_MS * 1000} µs (${TARGET_MS} ms) added.`,
    '',
    '| payload | reader (µs) | class (µs) | added (µs) | within target |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadavg()[0].toFixed(2)}.`,
    '',
  ].join('\n');
  const dir = path.join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `payloads-${new Date().toISOString().slice(0, 10)}.md`);
  writeFileSync(file, report);
  console.log(`\n${report}\nwrote ${file}`);
}

function measureOnce(subject: Case): void {
  try {
    subject.run(subject.payload);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
}

main();

// bench:payloads — what the one RPC step costs per request, in its two parts, in one run:
// 1. the payload check: the contracts class (class-transformer, class-validator, unknown fields
//    refused) beside the hand-written reader ingest used before (bench/payloads/baseline-reader.ts),
//    on the same payloads. Target: at most 0.05 ms more per request.
// 2. the caller's proof: signing it at the gateway and verifying it at the service (Ed25519).
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { CreateSiteRequest, ListDevicesRequest, RegisterDeviceRequest, type Principal } from '@parking/contracts';
import { isCodecId } from '@parking/ingest/codecs';
import { DomainError, validatePayload } from '@parking/problem-details';
import { generateProofKeyPair, readTrustedKeys, RpcProofSigner, RpcProofVerifier, trustedKeyEntry } from '@parking/rpc-proof';
import { readNewDevice, RpcInput } from './baseline-reader';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const TARGET_MS = 0.05;

const principal: Principal = {
  kind: 'user',
  tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
  actor: 'user:6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33',
  userId: '6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33',
  role: 'owner',
  permissions: ['devices:read', 'devices:write', 'sites:write'],
  isPlatformAdmin: false,
};
const PAYLOADS = {
  register: {
    devEui: '70-B3-D5-47-50-10-0A-1B',
    kind: 'sensor',
    codec: 'nwave-nps405',
    name: 'Bay 12, level 2',
    chirpstackApplicationId: '1f0c7e2a-9b34-4d58-a6e1-2c3d4e5f6a7b',
    heartbeatSeconds: 900,
    tags: { level: '2', zone: 'north' },
  },
  list: { kind: 'sensor', codec: 'nwave-nps405', tag: 'level:2', q: 'Bay', status: 'online', limit: 100, cursor: 'WyIxNzk2MjAwMDAwMDAwMDAwIiwiM2M5ZSJd' },
  invalid: { devEui: 'x', kind: 'lamp', codec: 'nwave', name: '', heartbeatSeconds: 0, tags: { 'bad key': 'v' }, colour: 'red' },
  site: {
    name: 'Alexa car park',
    category: 'off_street',
    address: 'Alexanderplatz 1, 10178 Berlin',
    location: { latitude: 52.5219, longitude: 13.4132 },
    timeZone: 'Europe/Berlin',
    openingHours: { mon: ['07:00-22:00'], tue: ['07:00-22:00'], sat: ['09:00-14:00', '16:00-20:00'] },
    heartbeatTimeoutSeconds: 1800,
  },
};

/** What @RpcHandler does with an input once the proof is verified (plus the codec check ingest adds). */
const checked = {
  register: (payload: unknown) => isCodecId(validatePayload(RegisterDeviceRequest, payload).codec),
  list: (payload: unknown) => validatePayload(ListDevicesRequest, payload).limit,
  site: (payload: unknown) => validatePayload(CreateSiteRequest, payload).name,
};

/** The same requests through the reader of before. */
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

type Run = () => unknown;
/** Only ingest's reader is kept as the baseline; a site shows what a nested payload costs. */
const CASES: Array<{ label: string; baseline?: Run; contract: Run }> = [
  { label: 'register a device (valid, 8 fields)', baseline: () => baseline.register(PAYLOADS.register), contract: () => checked.register(PAYLOADS.register) },
  { label: 'list devices (7 filters)', baseline: () => baseline.list(PAYLOADS.list), contract: () => checked.list(PAYLOADS.list) },
  { label: 'register a device (7 bad fields)', baseline: () => baseline.register(PAYLOADS.invalid), contract: () => checked.register(PAYLOADS.invalid) },
  { label: 'create a site (location, opening hours)', contract: () => checked.site(PAYLOADS.site) },
];

/** A refusal counts: it is work the service does. */
function runOnce(run: Run): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
}

/** Microseconds per request over one round. */
function measure(run: Run): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) runOnce(run);
  return Number(process.hrtime.bigint() - started) / 1_000 / ITERATIONS;
}

async function measureAsync(run: () => Promise<unknown>, iterations: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await run();
  return Number(process.hrtime.bigint() - started) / 1_000 / iterations;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function payloadRows(): string[] {
  const rows: string[] = [];
  for (const { label, baseline: before, contract: after } of CASES) {
    for (let i = 0; i < 2_000; i++) {
      if (before) runOnce(before);
      runOnce(after);
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
    rows.push(`| ${label} | ${b.toFixed(1)} | ${a.toFixed(1)} | ${(a - b).toFixed(1)} | ${(a - b) / 1_000 <= TARGET_MS ? 'yes' : 'no'} |`);
    console.log(`${label}: reader ${b.toFixed(1)} µs, class ${a.toFixed(1)} µs`);
  }
  return rows;
}

/** The proof of one device registration: signed by the gateway, verified by ingest. */
async function proofRows(): Promise<string[]> {
  const keys = generateProofKeyPair();
  const signer = new RpcProofSigner('gateway', keys.privateKey);
  const verifier = new RpcProofVerifier(readTrustedKeys(trustedKeyEntry('gateway', keys.publicKey)));
  const subject = 'rpc.ingest.v1.devices.register';
  const proof = signer.sign(subject, PAYLOADS.register, { principal, caller: { ip: '203.0.113.7' } });
  const sign = async () => signer.sign(subject, PAYLOADS.register, { principal, caller: { ip: '203.0.113.7' } });
  const verify = () => verifier.verify(proof, subject, PAYLOADS.register);
  const iterations = Math.max(1_000, Math.round(ITERATIONS / 4));
  await measureAsync(sign, 500);
  await measureAsync(verify, 500);
  const signed: number[] = [];
  const verified: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    signed.push(await measureAsync(sign, iterations));
    verified.push(await measureAsync(verify, iterations));
  }
  console.log(`proof: sign ${median(signed).toFixed(1)} µs, verify ${median(verified).toFixed(1)} µs`);
  return [`| sign (gateway, per request sent) | ${median(signed).toFixed(1)} |`, `| verify (service, per request received) | ${median(verified).toFixed(1)} |`];
}

async function main(): Promise<void> {
  const payloads = payloadRows();
  const proofs = await proofRows();
  const report = [
    `# bench:payloads — ${new Date().toISOString().slice(0, 10)}`,
    '',
    'What the one RPC step (`@RpcHandler`) costs per request, in its two parts. Median of ' +
      `${ROUNDS} rounds; microseconds per request; same process, alternating rounds.`,
    '',
    '## The payload check',
    '',
    'The contracts class (class-transformer, class-validator, unknown fields refused) beside the hand-written reader ingest used before (`bench/payloads/baseline-reader.ts`), same payloads, ' +
      `${ITERATIONS} requests a round. Target: at most ${TARGET_MS * 1000} µs (${TARGET_MS} ms) added.`,
    '',
    '| payload | reader (µs) | class (µs) | added (µs) | within target |',
    '| --- | ---: | ---: | ---: | --- |',
    ...payloads,
    '',
    '## The caller’s proof',
    '',
    'A device registration’s proof (Ed25519 JWT through `fast-jwt`, signed and verified on the calling thread, principal and caller inside, the input bound by its sha256), signed by the gateway and verified by the service.',
    '',
    '| step | µs |',
    '| --- | ---: |',
    ...proofs,
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

void main();

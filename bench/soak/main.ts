// `npm run bench:soak` (not in CI): the whole stack (all seven services) for BENCH_SOAK_MINUTES
// (10) at BENCH_SOAK_RATE uplinks/s, sampling every BENCH_SOAK_SAMPLE_SECONDS each service's
// resident memory and CPU, the outbox rows not yet published and the JetStream messages not
// yet delivered or acked; then it waits for the backlog to drain. The verdict: no service's
// memory and no backlog keeps growing (bench/soak/verdict.ts says what that means).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { NatsConnection } from '@nats-io/nats-core';
import { Namespace } from '@parking/contracts';
import { connectNats } from '@parking/messaging';
import { ALL_SERVICES, removeNamespaceStreams } from '@parking/testing';
import { consumerBacklog, outboxBacklog, consumerBacklogs, drainConsumers } from '../ingest/drain';
import { endpointPool, runOpenLoopStep, type StepOutcome } from '../ingest/open-loop';
import { startPlatform } from '../ingest/platform';
import { processCpuMs, residentMb } from '../ingest/proc-cpu';
import { machineOf } from '../ingest/report';
import { Cleanup, createBenchDatabase } from '../ingest/resources';
import { positiveNumber } from '../ingest/settings';
import { benchDevices, UplinkTraffic } from '../ingest/traffic';
import { seedSite } from '../e2e/seed';
import { storageLines, tableStorage } from './storage';
import { backlogTrend, memoryTrend } from './verdict';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const DRAIN_TIMEOUT_MS = 120_000;

interface Sample {
  /** Minutes since the load began. */
  atMinutes: number;
  residentMb: Record<string, number>;
  cpuMsPerSecond: Record<string, number>;
  /** Outbox rows not yet published, all schemas. */
  outbox: number;
  /** JetStream messages not yet delivered or acked, all consumers. */
  jetstream: number;
  step?: StepOutcome;
}

async function main(): Promise<void> {
  const env = process.env;
  const minutes = positiveNumber(env, 'BENCH_SOAK_MINUTES', 10);
  // Half the whole stack's sustainable rate on the 2-core machine of bench/results (about 190/s).
  const rate = positiveNumber(env, 'BENCH_SOAK_RATE', 90);
  const sampleSeconds = positiveNumber(env, 'BENCH_SOAK_SAMPLE_SECONDS', 30);
  const spaces = Math.round(positiveNumber(env, 'BENCH_SOAK_SPACES', 2_000));
  const singleProcess = env.BENCH_SOAK_PROCESS_MODE === 'single';
  const loadAverage = loadavg()[0];
  const cleanup = new Cleanup();
  cleanup.onSignals();
  const namespace = new Namespace(`benchsoak${randomBytes(4).toString('hex')}`);
  try {
    const database = await createBenchDatabase('soak');
    cleanup.add(`drop database ${database.name}`, () => database.drop());
    const nc: NatsConnection = await connectNats({ url: NATS_URL, name: 'bench-soak' });
    cleanup.add('close NATS', () => nc.close());
    cleanup.add(`remove streams of ${namespace.prefix}`, () => removeNamespaceStreams(namespace.prefix, NATS_URL));
    const devices = benchDevices(spaces);
    const traffic = new UplinkTraffic(devices, { duplicateShare: 0.02, invalidShare: 0.01, alternateOccupancy: true });
    const platform = await startPlatform({
      repoRoot: REPO_ROOT,
      database,
      namespace: namespace.prefix,
      devices,
      logLevel: 'info',
      services: ALL_SERVICES,
      label: 'soak',
      singleProcess,
      env: { CHIRPSTACK_SYNC_SECRETS_KEY: randomBytes(32).toString('base64') },
      probe: () => {
        for (;;) {
          const uplink = traffic.next();
          if (uplink.kind === 'valid') return uplink;
        }
      },
    });
    cleanup.add('stop the platform', () => platform.stop());
    const seeded = await seedSite({
      baseUrl: platform.baseUrl,
      accessToken: platform.owner.accessToken,
      owner: { tenantId: platform.tenantId, userId: platform.owner.userId },
      namespace: namespace.prefix,
      natsUrl: NATS_URL,
      adminUrl: database.adminUrl,
      devices,
      zones: 10,
      concurrency: 16,
    });
    console.log(`stack up (${platform.devices}); seeded: ${seeded.via}; ${minutes} min at ${rate}/s, a sample every ${sampleSeconds} s`);
    await drainConsumers(nc, namespace, DRAIN_TIMEOUT_MS);

    const pids = platform.processes;
    const pool = endpointPool(platform.baseUrl, 64);
    cleanup.add('close the webhook connections', () => pool.close());
    const samples: Sample[] = [];
    let cpuBefore = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid)]));
    let sampledAt = performance.now();
    const began = performance.now();
    const sample = async (step?: StepOutcome): Promise<Sample> => {
      const now = performance.now();
      const cpu = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid)]));
      const seconds = (now - sampledAt) / 1000;
      const taken: Sample = {
        atMinutes: (now - began) / 60_000,
        residentMb: Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, residentMb(pid)])),
        cpuMsPerSecond: Object.fromEntries(Object.keys(pids).map((name) => [name, (cpu[name] - cpuBefore[name]) / Math.max(seconds, 0.001)])),
        outbox: await outboxBacklog(database.adminUrl),
        jetstream: await consumerBacklog(nc, namespace),
        ...(step ? { step } : {}),
      };
      cpuBefore = cpu;
      sampledAt = now;
      return taken;
    };
    samples.push(await sample());
    const steps = Math.max(1, Math.round((minutes * 60) / sampleSeconds));
    for (let i = 0; i < steps; i++) {
      const step = await runOpenLoopStep(pool, platform.endpoint, traffic.take(Math.round(rate * sampleSeconds)), rate);
      const taken = await sample(step);
      samples.push(taken);
      console.log(
        `  ${taken.atMinutes.toFixed(1)} min: p99 ${step.latency.p99.toFixed(1)} ms, errors ${step.errors}; backlog outbox ${taken.outbox}, JetStream ${taken.jetstream}; ` +
          `memory ${Object.entries(taken.residentMb).map(([name, mb]) => `${name} ${mb.toFixed(0)}`).join(', ')} MB`,
      );
    }
    const behind = (await consumerBacklogs(nc, namespace)).filter((c) => c.backlog > 0).sort((a, b) => b.backlog - a.backlog);
    const drainStarted = performance.now();
    const drained = await drainConsumers(nc, namespace, DRAIN_TIMEOUT_MS);
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const after = await sample();
    const storage = await tableStorage(database.adminUrl);
    const storedUplinks = storage.find((t) => t.table === 'ingest.uplinks')?.rows ?? 0;

    const load = samples.slice(1);
    const memory = Object.keys(pids).map((name) => ({ name, trend: memoryTrend(load.map((s) => s.residentMb[name])), start: samples[1]?.residentMb[name] ?? Number.NaN, end: load[load.length - 1].residentMb[name] }));
    const jetstream = backlogTrend(load.map((s) => s.jetstream), rate);
    const outbox = backlogTrend(load.map((s) => s.outbox), rate);
    const errors = load.reduce((n, s) => n + (s.step?.errors ?? 0), 0);
    const sent = load.reduce((n, s) => n + (s.step?.sent ?? 0), 0);
    const machine = machineOf(database.postgresVersion, nc.info?.version ?? 'unknown', loadAverage);
    const date = new Date().toISOString().slice(0, 10);
    const verdict = (growing: boolean) => (growing ? '**keeps growing**' : 'does not grow');
    const lines = [
      `# Soak: the whole stack for ${minutes} minutes at ${rate} uplinks/s (${date})`,
      '',
      `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, PostgreSQL ${machine.postgres}, nats-server ${machine.nats}; load average when the run began ${loadAverage.toFixed(2)}.`,
      `Stack: the seven services, compiled, ${singleProcess ? 'all in one process (PROCESS_MODE=single)' : 'one process each'}, LOG_LEVEL=info; one site with 10 levels and ${spaces} spaces, each over its own Nwave NPS405 (${seeded.via}).`,
      `Load: ChirpStack v4 \`up\` webhooks of random sensors, each sensor's state alternating, 2 % exact resends, 1 % invalid bodies; open loop at ${rate}/s in ${sampleSeconds}-s steps, a sample after each.`,
      `Memory: resident set of each process (/proc). Backlog: outbox rows not yet published (every schema) and JetStream messages not yet delivered or acked (every consumer).`,
      `Verdict: a series keeps growing when the mean of its last third is more than 5 % and 10 MB (memory) or ${rate * 5} messages, five seconds of load (backlog), above its middle third and it ends at least as high (the first third is warm-up).`,
      '',
      '| process | memory at the first sample | at the end | middle third → last third | |',
      '| --- | ---: | ---: | --- | --- |',
      ...memory.map((m) => `| ${m.name} | ${m.start.toFixed(0)} MB | ${m.end.toFixed(0)} MB | ${m.trend.middle.toFixed(0)} → ${m.trend.last.toFixed(0)} MB | ${verdict(m.trend.growing)} |`),
      `| JetStream backlog | | | ${jetstream.middle.toFixed(0)} → ${jetstream.last.toFixed(0)} | ${verdict(jetstream.growing)} |`,
      `| outbox backlog | | | ${outbox.middle.toFixed(0)} → ${outbox.last.toFixed(0)} | ${verdict(outbox.growing)} |`,
      '',
      `- At the load's end, behind: ${behind.length ? behind.map((c) => `${c.consumer} ${c.backlog}`).join(', ') : 'no consumer'}.`,
      `- ${sent} webhooks, ${errors} valid ones not answered 2xx. After the load the backlog ${drained ? `drained in ${drainSeconds.toFixed(1)} s` : `had not drained after ${DRAIN_TIMEOUT_MS / 1000} s`} (JetStream ${after.jetstream}, outbox ${after.outbox} left).`,
      '',
      '| minute | webhook p99 | errors | outbox backlog | JetStream backlog | CPU ms / s | resident memory, MB |',
      '| ---: | ---: | ---: | ---: | ---: | --- | --- |',
      ...samples.map(
        (s) =>
          `| ${s.atMinutes.toFixed(1)} | ${s.step ? `${s.step.latency.p99.toFixed(1)} ms` : '—'} | ${s.step?.errors ?? '—'} | ${s.outbox} | ${s.jetstream} | ` +
          `${Object.entries(s.cpuMsPerSecond).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ')} | ${Object.entries(s.residentMb).map(([name, mb]) => `${name} ${mb.toFixed(0)}`).join(', ')} |`,
      ),
      '',
      `Storage after the run: every table holding at least one row per 20 stored uplinks (${storedUplinks} stored), before any retention (the first round deletes nothing this young). Tables of a fresh database, so bloat from updates is small; docs/operations.md sizes retention from these figures.`,
      '',
      ...storageLines(storage, Math.max(storedUplinks, 1)),
      '',
      'Reproduce: `npm run bench:soak` (BENCH_SOAK_MINUTES, BENCH_SOAK_RATE, BENCH_SOAK_SAMPLE_SECONDS, BENCH_SOAK_SPACES, BENCH_SOAK_PROCESS_MODE=single).',
      '',
    ];
    const target = path.join(REPO_ROOT, 'bench', 'results', `soak-${date}.md`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, lines.join('\n'));
    console.log(`\n${lines.slice(0, 17).join('\n')}\nwritten to ${path.relative(REPO_ROOT, target)}`);
    if (memory.some((m) => m.trend.growing) || jetstream.growing || outbox.growing || !drained) process.exitCode = 1;
  } finally {
    await cleanup.run();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

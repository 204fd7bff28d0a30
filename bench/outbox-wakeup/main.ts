// Which wake-up should the outbox relay use? Measures, on this machine and in one run,
// commit throughput of concurrent writers (NOTIFY serialises commits on a database-wide
// lock) and commit→JetStream-ack latency, for wake 'poll' (in-process signal) and 'notify'.
import { cpus } from 'node:os';
import path from 'node:path';
import { writeFileSync, mkdirSync } from 'node:fs';
import { connectNats } from '@parking/messaging';
import { createBenchDatabase } from './bench-database';
import { measureWake, WakeResult } from './measure-wake';
import { renderReport } from './report';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const WRITERS = Number(process.env.BENCH_WRITERS ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

async function main(): Promise<void> {
  const database = await createBenchDatabase(REPO_ROOT);
  const nc = await connectNats({ url: process.env.NATS_URL || 'nats://127.0.0.1:4222', name: 'bench-outbox-wakeup' });
  const natsVersion = nc.info?.version ?? 'unknown';
  const results: WakeResult[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const wake of ['poll', 'notify'] as const) {
        const result = await measureWake({
          wake,
          identityUrl: database.identityUrl,
          nc,
          writers: WRITERS,
          loadSeconds: 6,
          idleSeconds: 4,
          idleRatePerSecond: 40,
        });
        console.log(`round ${round} ${wake}: ${(result.load.commits / result.load.seconds).toFixed(0)} commits/s`);
        results.push(result);
      }
    }
  } finally {
    await nc.close();
    await database.drop();
  }
  const date = new Date().toISOString().slice(0, 10);
  const report = renderReport(
    results,
    {
      cores: cpus().length,
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      node: process.version,
      postgres: database.postgresVersion,
      nats: natsVersion,
      writers: WRITERS,
      rounds: ROUNDS,
    },
    date,
  );
  const target = path.join(REPO_ROOT, 'bench', 'results', `outbox-wakeup-${date}.md`);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, report);
  console.log(`\n${report}\nwritten to ${path.relative(REPO_ROOT, target)}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

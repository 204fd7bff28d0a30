/**
 * Every service in one Node process: `npm start` with PROCESS_MODE=single. The services are
 * the same Nest applications as in their own processes, each with its own configuration,
 * port, database role and NATS user, and they still talk to each other only over NATS; the
 * process boundary is a deployment choice. The parent sends each service's environment over
 * the IPC channel (never through argv or a file), then waits for the services' readiness as
 * it does for separate processes.
 */
import './host-tracing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startChirpstackSync } from '../../apps/chirpstack-sync/src/start-chirpstack-sync';
import { startDownlink } from '../../apps/downlink/src/start-downlink';
import { startGateway } from '../../apps/gateway/src/start-gateway';
import { startIdentity } from '../../apps/identity/src/start-identity';
import { startIngest } from '../../apps/ingest/src/start-ingest';
import { startOccupancy } from '../../apps/occupancy/src/start-occupancy';
import { startReservations } from '../../apps/reservations/src/start-reservations';
import { SERVICE_NAMES, type ServiceName } from './stack-layout';

type Starter = (env: NodeJS.ProcessEnv, host: { handleSignals: boolean }) => Promise<NestFastifyApplication>;

const STARTERS: Record<ServiceName, Starter> = {
  gateway: startGateway,
  identity: startIdentity,
  ingest: startIngest,
  occupancy: startOccupancy,
  reservations: startReservations,
  downlink: startDownlink,
  'chirpstack-sync': startChirpstackSync,
};

/** What the parent sends: the environment of each service to run here. */
export interface HostedServices {
  services: Partial<Record<ServiceName, NodeJS.ProcessEnv>>;
  /** How long closing every service may take before the host exits anyway. */
  shutdownTimeoutMs?: number;
}

const running: Array<{ service: ServiceName; app: NestFastifyApplication }> = [];
let stopping = false;

async function host(message: HostedServices): Promise<void> {
  for (const service of SERVICE_NAMES) {
    const env = message.services[service];
    if (!env) continue;
    running.push({ service, app: await STARTERS[service](env, { handleSignals: false }) });
  }
}

/** Closes the gateway first (it takes no new requests), then the others side by side, each draining its own consumers. */
async function stop(timeoutMs: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    process.stderr.write(`closing the services took longer than ${timeoutMs} ms; exiting\n`);
    process.exit(1);
  }, timeoutMs).unref();
  const close = ({ service, app }: (typeof running)[number]) =>
    app.close().catch((error: unknown) => process.stderr.write(`${service} did not close cleanly: ${(error as Error).message}\n`));
  await Promise.all(running.filter((r) => r.service === 'gateway').map(close));
  await Promise.all(running.filter((r) => r.service !== 'gateway').map(close));
  process.exit(0);
}

let shutdownTimeoutMs = 30_000;
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop(shutdownTimeoutMs));
// The parent is gone (it died without stopping us): the services must not outlive it.
process.on('disconnect', () => void stop(shutdownTimeoutMs));
process.once('message', (message: HostedServices) => {
  shutdownTimeoutMs = message.shutdownTimeoutMs ?? shutdownTimeoutMs;
  // The channel stays open only to learn of the parent's end; it does not keep the process alive.
  process.channel?.unref();
  host(message).catch((error: unknown) => {
    process.stderr.write(`could not start the services: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
});

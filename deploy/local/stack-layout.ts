/** Where each service of the local stack listens. PORT_BASE moves them all (the smoke test uses it). */
export const SERVICE_NAMES = [
  'gateway',
  'identity',
  'ingest',
  'occupancy',
  'reservations',
  'downlink',
  'chirpstack-sync',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

export function servicePort(service: ServiceName, env: NodeJS.ProcessEnv = process.env): number {
  const base = Number(env.PORT_BASE ?? 3000);
  if (service === 'gateway' && env.GATEWAY_PORT) return Number(env.GATEWAY_PORT);
  return base + SERVICE_NAMES.indexOf(service);
}

/** The data directory of a local stack: `.data/` unless PARKING_DATA_DIR says otherwise. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PARKING_DATA_DIR ?? `${process.cwd()}/.data`;
}

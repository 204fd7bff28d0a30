/** Probes and scrapes: frequent, uninteresting, and kept out of request logs and traces. */
export const QUIET_ROUTES: readonly string[] = ['/health/live', '/health/ready', '/metrics'];

/**
 * ChirpStack webhooks: thousands a second, each counted by metrics and by the integration's
 * delivery report. They bypass the request logger; their routes log refusals and errors.
 */
export const HIGH_VOLUME_ROUTES: readonly string[] = [
  '/api/v1/webhooks/chirpstack',
  '/api/v1/uplink',
  '/webhooks/chirpstack/uplink',
  '/webhooks/chirpstack/join',
];

function pathOf(url: string): string {
  const path = url.split('?', 1)[0];
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

export function isQuietRoute(url: string | undefined): boolean {
  return url !== undefined && QUIET_ROUTES.includes(pathOf(url));
}

export function isHighVolumeRoute(url: string | undefined): boolean {
  return url !== undefined && HIGH_VOLUME_ROUTES.includes(pathOf(url));
}

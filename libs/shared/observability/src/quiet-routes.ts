/** Probes and scrapes: frequent, uninteresting, and kept out of request logs and traces. */
export const QUIET_ROUTES: readonly string[] = ['/health/live', '/health/ready', '/metrics'];

export function isQuietRoute(url: string | undefined): boolean {
  if (url === undefined) return false;
  const path = url.split('?', 1)[0];
  return QUIET_ROUTES.includes(path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);
}

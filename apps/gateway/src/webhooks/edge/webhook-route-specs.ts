import { EVENT_KINDS, type EventKind } from '@parking/chirpstack-events';
import type { AuthScheme } from './webhook-authenticator';

/** ChirpStack events are a few kB; nothing legitimate comes near this. */
export const WEBHOOK_BODY_LIMIT_BYTES = 64 * 1024;

export const WEBHOOK_HEALTH_PATH = '/api/v1/webhooks/health';

/** Where the `event` of a route comes from. */
export type EventSource = { fixed: EventKind } | { query: 'required' } | { query: 'optional'; default: EventKind };

export interface WebhookRouteSpec {
  /** Metric label and log name. */
  name: string;
  url: string;
  auth: AuthScheme;
  event: EventSource;
  summary: string;
}

/**
 * The webhook routes. The two `/webhooks/chirpstack/*` aliases keep the URLs of the previous
 * platform, which ChirpStack v3 called with one URL per event: v3 (like v4) can only add
 * static headers, so a bearer token is what such a setup can send; signed bodies (the V5
 * route's scheme) are accepted there too for senders that sign.
 */
export const WEBHOOK_ROUTES: readonly WebhookRouteSpec[] = [
  {
    name: 'chirpstack',
    url: '/api/v1/webhooks/chirpstack',
    auth: 'bearer',
    event: { query: 'required' },
    summary: "ChirpStack v4 HTTP integration (also v3 JSON): one URL for every event, told apart by ?event=",
  },
  { name: 'uplink-v5', url: '/api/v1/uplink', auth: 'signature', event: { query: 'optional', default: 'up' }, summary: 'V5-compatible signed uplink' },
  { name: 'alias-uplink', url: '/webhooks/chirpstack/uplink', auth: 'bearer-or-signature', event: { fixed: 'up' }, summary: "The previous platform's uplink URL" },
  { name: 'alias-join', url: '/webhooks/chirpstack/join', auth: 'bearer-or-signature', event: { fixed: 'join' }, summary: "The previous platform's join URL" },
];

/** v3 sent `error` where v4 sends `log`; the parser folds it into `log`. */
export const ACCEPTED_EVENTS: readonly string[] = [...EVENT_KINDS, 'error'];

/** The event a request names, or a message saying what is wrong with `?event=`. */
export function eventOf(spec: WebhookRouteSpec, query: unknown): { ok: true; event: string } | { ok: false; message: string } {
  if ('fixed' in spec.event) return { ok: true, event: spec.event.fixed };
  const value = (query as Record<string, unknown> | undefined)?.event;
  if (value === undefined || value === '') {
    if (spec.event.query === 'optional') return { ok: true, event: spec.event.default };
    return { ok: false, message: `is required: one of ${EVENT_KINDS.join(', ')}` };
  }
  if (typeof value !== 'string' || !ACCEPTED_EVENTS.includes(value)) return { ok: false, message: `must be one of ${EVENT_KINDS.join(', ')}` };
  return { ok: true, event: value };
}

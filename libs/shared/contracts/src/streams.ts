/**
 * One JetStream stream per domain. The domain is the first token of every event type, so
 * an event type alone says which stream stores it. Names and subjects here are logical:
 * a namespace (tests, parallel stacks) is applied by `@parking/messaging`.
 */
export interface StreamSpec {
  name: string;
  subjects: string[];
  description: string;
}

export const EVENT_DOMAINS = ['identity', 'ingest', 'occupancy', 'reservations', 'downlink', 'chirpstack'] as const;
export type EventDomain = (typeof EVENT_DOMAINS)[number];

export const STREAMS = {
  IDENTITY: { name: 'IDENTITY', subjects: ['identity.>'], description: 'Tenants, users, API keys, integrations' },
  INGEST: { name: 'INGEST', subjects: ['ingest.>'], description: 'Raw webhooks, normalised uplinks, devices' },
  OCCUPANCY: { name: 'OCCUPANCY', subjects: ['occupancy.>'], description: 'Sites, spaces and their states' },
  RESERVATIONS: { name: 'RESERVATIONS', subjects: ['reservations.>'], description: 'Reservations and check-ins' },
  DOWNLINK: { name: 'DOWNLINK', subjects: ['downlink.>'], description: 'Display downlinks and confirmations' },
  CHIRPSTACK: { name: 'CHIRPSTACK', subjects: ['chirpstack.>'], description: 'ChirpStack registry sync' },
  // Raw ChirpStack webhooks exactly as received; the ingest service turns them into `ingest.*` events.
  WEBHOOKS: { name: 'WEBHOOKS', subjects: ['webhook.>'], description: 'Raw ChirpStack webhooks accepted by the gateway' },
  DEADLETTER: { name: 'DEADLETTER', subjects: ['deadletter.>'], description: 'Messages a consumer gave up on' },
} as const satisfies Record<string, StreamSpec>;

export type StreamName = keyof typeof STREAMS;

/** The stream that stores events of a domain (`occupancy` → `OCCUPANCY`). */
export function streamForDomain(domain: EventDomain): StreamSpec {
  return STREAMS[domain.toUpperCase() as Exclude<StreamName, 'DEADLETTER' | 'WEBHOOKS'>];
}

/** Where a consumer puts what it gave up on: `deadletter.<service>.<consumer>`. */
export function deadLetterSubject(service: string, consumer: string): string {
  return `deadletter.${service}.${consumer}`;
}

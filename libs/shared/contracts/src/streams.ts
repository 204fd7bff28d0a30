/**
 * One JetStream stream per domain. The domain is the first token of every event type, so
 * an event type alone says which stream stores it. Names and subjects here are logical:
 * a namespace (tests, parallel stacks) is applied by `@parking/messaging`.
 */
export interface StreamSpec {
  name: string;
  subjects: string[];
  description: string;
  /** Defaults of max_bytes and max_age; NATS_STREAM_LIMITS overrides them per deployment. */
  limits: StreamLimits;
}

/**
 * A stream's `max_bytes` and `max_age`. Every stream has both, so no tenant's flood (nor a
 * stalled consumer) grows one without bound; past either, the oldest messages are dropped
 * (discard old). JetStream reserves max_bytes (× replicas) of its storage for each stream when
 * the stream is created, so the defaults stay small (about 4 GiB for all eight streams): raise
 * them on a server with the room, for the streams that need it.
 */
export interface StreamLimits {
  maxBytes: number;
  maxAgeMs: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const DAY_MS = 86_400_000;

export const EVENT_DOMAINS = ['identity', 'ingest', 'occupancy', 'reservations', 'downlink', 'chirpstack'] as const;
export type EventDomain = (typeof EVENT_DOMAINS)[number];

export const STREAMS = {
  // Ten years: the gateway rebuilds every tenant's limits from the last limits_changed event of
  // each tenant (deliver last per subject), so an event must outlive the time between two changes.
  IDENTITY: { name: 'IDENTITY', subjects: ['identity.>'], description: 'Tenants, users, API keys, integrations', limits: { maxBytes: 256 * MiB, maxAgeMs: 3_650 * DAY_MS } },
  INGEST: { name: 'INGEST', subjects: ['ingest.>'], description: 'Raw webhooks, normalised uplinks, devices', limits: { maxBytes: GiB, maxAgeMs: 7 * DAY_MS } },
  // Live streams resume from a sequence the stream still holds (Last-Event-ID); history is in the database.
  OCCUPANCY: { name: 'OCCUPANCY', subjects: ['occupancy.>'], description: 'Sites, spaces and their states', limits: { maxBytes: GiB, maxAgeMs: 7 * DAY_MS } },
  RESERVATIONS: { name: 'RESERVATIONS', subjects: ['reservations.>'], description: 'Reservations and check-ins', limits: { maxBytes: 256 * MiB, maxAgeMs: 30 * DAY_MS } },
  DOWNLINK: { name: 'DOWNLINK', subjects: ['downlink.>'], description: 'Display downlinks and confirmations', limits: { maxBytes: 256 * MiB, maxAgeMs: 30 * DAY_MS } },
  CHIRPSTACK: { name: 'CHIRPSTACK', subjects: ['chirpstack.>'], description: 'ChirpStack registry sync', limits: { maxBytes: 256 * MiB, maxAgeMs: 30 * DAY_MS } },
  // Raw ChirpStack webhooks exactly as received; the ingest service turns them into `ingest.*` events
  // within seconds: the limits are how long an ingest outage may last before webhooks are dropped.
  WEBHOOKS: { name: 'WEBHOOKS', subjects: ['webhook.>'], description: 'Raw ChirpStack webhooks accepted by the gateway', limits: { maxBytes: GiB, maxAgeMs: 3 * DAY_MS } },
  // Dead letters can be replayed (ingest's admin routes) for as long as they are kept.
  DEADLETTER: { name: 'DEADLETTER', subjects: ['deadletter.>'], description: 'Messages a consumer gave up on', limits: { maxBytes: 256 * MiB, maxAgeMs: 30 * DAY_MS } },
} as const satisfies Record<string, StreamSpec>;

export type StreamName = keyof typeof STREAMS;

/** Overrides of the declared limits, by logical stream name; `*` for every stream not named. */
export type StreamLimitOverrides = Partial<Record<StreamName | '*', StreamLimits>>;

/** A stream's limits: its override, else the `*` override, else its declared defaults. */
export function streamLimitsOf(spec: Pick<StreamSpec, 'name' | 'limits'>, overrides: StreamLimitOverrides = {}): StreamLimits {
  return overrides[spec.name as StreamName] ?? overrides['*'] ?? spec.limits;
}

const SIZE_UNITS: Record<string, number> = { '': 1, B: 1, KiB: 1024, MiB, GiB, TiB: 1024 * GiB };
const AGE_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS };
const LIMIT_ENTRY = /^([A-Z]+|\*)=(\d+)(B|KiB|MiB|GiB|TiB)?\/(\d+)(s|m|h|d)$/;

/**
 * `NATS_STREAM_LIMITS`: comma-separated `<STREAM>=<size>/<age>`, a logical stream name or `*`
 * for every other stream; size in bytes or with B, KiB, MiB, GiB or TiB, age with s, m, h or d.
 * Example: `WEBHOOKS=20GiB/3d,INGEST=20GiB/7d`.
 */
export function parseStreamLimits(text: string): { ok: true; limits: StreamLimitOverrides } | { ok: false; reason: string } {
  const limits: StreamLimitOverrides = {};
  for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = LIMIT_ENTRY.exec(entry);
    if (!match) return { ok: false, reason: `"${entry}" is not <STREAM>=<size>/<age> (e.g. WEBHOOKS=20GiB/3d)` };
    const [, name, size, sizeUnit = '', age, ageUnit] = match;
    if (name !== '*' && !Object.prototype.hasOwnProperty.call(STREAMS, name)) {
      return { ok: false, reason: `"${entry}" names no stream; streams are ${Object.keys(STREAMS).join(', ')} or *` };
    }
    const maxBytes = Number(size) * SIZE_UNITS[sizeUnit];
    const maxAgeMs = Number(age) * AGE_UNITS[ageUnit];
    if (!(maxBytes > 0 && maxAgeMs > 0 && Number.isSafeInteger(maxBytes) && Number.isSafeInteger(maxAgeMs))) {
      return { ok: false, reason: `"${entry}": size and age must be greater than 0` };
    }
    if (limits[name as StreamName | '*']) return { ok: false, reason: `${name} is named twice` };
    limits[name as StreamName | '*'] = { maxBytes, maxAgeMs };
  }
  return { ok: true, limits };
}

/** The stream that stores events of a domain (`occupancy` → `OCCUPANCY`). */
export function streamForDomain(domain: EventDomain): StreamSpec {
  return STREAMS[domain.toUpperCase() as Exclude<StreamName, 'DEADLETTER' | 'WEBHOOKS'>];
}

/** Where a consumer puts what it gave up on: `deadletter.<service>.<consumer>`. */
export function deadLetterSubject(service: string, consumer: string): string {
  return `deadletter.${service}.${consumer}`;
}

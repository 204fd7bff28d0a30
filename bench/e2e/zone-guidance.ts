import { latencyHistogram, recordMs, summarise, type LatencySummary } from '../ingest/latency';

/** One webhook of the load: the zone whose sensor it turned, the zone's free count after it, and when it was sent (epoch ms). */
export interface ZoneWebhook {
  zone: number;
  count: number;
  sentAt: number;
}

/**
 * Something that shows a zone's free count, and when it was seen (epoch ms): a frame enqueued
 * at ChirpStack for the zone's count sign, or an `occupancy.zone.availability_changed.v1`.
 * `count` is null when it shows none (a sign's unknown).
 */
export interface ZoneObservation {
  zone: number;
  count: number | null;
  at: number;
  /** Which one it was, for looking it up elsewhere (an event's id, a frame's device and bytes). */
  ref?: string;
}

/** An observation that shows something new: the webhooks it reflects first, as indexes into the webhooks given. */
export interface Reflection {
  observation: ZoneObservation;
  /** The first webhook it reflects (none before it did): the latency counts from its send. */
  first: number;
  /** The newest webhook it reflects. */
  last: number;
  latencyMs: number;
}

export interface ReflectionMatch {
  reflections: Reflection[];
  /** Observations that reflect no webhook not reflected before (a resend, a state from before the load). */
  skipped: number;
  /** Webhooks no observation reflected (the last ones, when the end was not awaited). */
  unreflected: number;
  /** The observation that first reflected each webhook, by the webhook's index; undefined when none did. */
  firstReflectedBy: Array<ZoneObservation | undefined>;
}

/**
 * Which webhooks each observation reflects, zone by zone, from the counts alone: an
 * observation showing count k reflects the zone's webhooks after those already reflected, up
 * to the newest one sent before it was seen whose count is k. Its latency counts from the first
 * of them. An observation showing the same count as the zone's previous one shows nothing new.
 * Counts repeat, so the load should make them repeat rarely (a zone's count running down and up
 * again, not back and forth): an observation that arrives after its count came round again is
 * taken for the newer webhook, which understates the latencies that follow.
 */
export function matchReflections(webhooks: readonly ZoneWebhook[], observations: readonly ZoneObservation[]): ReflectionMatch {
  const byZone = new Map<number, number[]>();
  webhooks.forEach((webhook, index) => {
    const indexes = byZone.get(webhook.zone) ?? [];
    indexes.push(index);
    byZone.set(webhook.zone, indexes);
  });
  for (const indexes of byZone.values()) indexes.sort((a, b) => webhooks[a].sentAt - webhooks[b].sentAt || a - b);
  const seen = [...observations].sort((a, b) => a.at - b.at);
  const reflections: Reflection[] = [];
  const firstReflectedBy: Array<ZoneObservation | undefined> = new Array(webhooks.length).fill(undefined);
  let skipped = 0;
  /** Per zone: how many of its webhooks are reflected, and the count last shown. */
  const progress = new Map<number, { reflected: number; shown: number | null | undefined }>();
  for (const observation of seen) {
    const zone = byZone.get(observation.zone) ?? [];
    const state = progress.get(observation.zone) ?? { reflected: 0, shown: undefined };
    progress.set(observation.zone, state);
    const repeat = state.shown !== undefined && state.shown === observation.count;
    state.shown = observation.count;
    let newest = -1;
    for (let i = state.reflected; i < zone.length && webhooks[zone[i]].sentAt < observation.at; i++) {
      if (webhooks[zone[i]].count === observation.count) newest = i;
    }
    if (repeat || newest < 0) {
      skipped++;
      continue;
    }
    const first = zone[state.reflected];
    reflections.push({ observation, first, last: zone[newest], latencyMs: observation.at - webhooks[first].sentAt });
    for (let i = state.reflected; i <= newest; i++) firstReflectedBy[zone[i]] = observation;
    state.reflected = newest + 1;
  }
  let unreflected = 0;
  for (const [zone, indexes] of byZone) unreflected += indexes.length - (progress.get(zone)?.reflected ?? 0);
  return { reflections, skipped, unreflected, firstReflectedBy };
}

/**
 * p50, p99, p99.9 and max of some latencies (ms), as the rest of the bench summarises them
 * (the percentiles capped at the max, which the histogram's buckets can pass); undefined for none.
 */
export function summariseLatencies(values: readonly number[]): LatencySummary | undefined {
  if (values.length === 0) return undefined;
  const histogram = latencyHistogram();
  for (const value of values) recordMs(histogram, value);
  const summary = summarise(histogram);
  const capped = (value: number) => Math.min(value, summary.max);
  return { ...summary, p50: capped(summary.p50), p99: capped(summary.p99), p999: capped(summary.p999) };
}

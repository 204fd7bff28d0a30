// Zone guidance: how soon after a webhook a zone's count sign gets the frame with its new
// count. The whole stack with signage (gateway, identity, ingest, occupancy, downlink,
// chirpstack-sync) against the in-process fake ChirpStack; a steady load over zones with one
// count sign each; frames read where ChirpStack takes them (`DeviceService.Enqueue`).
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { NatsConnection } from '@nats-io/nats-core';
import { EU868_RX2, eu868Modulation, subBandOf, timeOnAirMs } from '@parking/downlink/signage';
import { runOpenLoopStep } from '../ingest/open-loop';
import { PlatformUnavailable } from '../ingest/platform';
import type { Cleanup } from '../ingest/resources';
import { ZoneAvailabilityListener } from './availability-listener';
import { enqueuedFrames } from './count-frames';
import { countCpu } from './cpu-usage';
import { readDownlinkTimeline } from './downlink-timeline';
import { frameRef, frameStages } from './frame-stages';
import type { ZoneGuidanceLatency, ZoneGuidanceResult } from './report';
import type { E2eSettings } from './settings';
import { matchReflections, summariseLatencies, type ReflectionMatch, type ZoneObservation, type ZoneWebhook } from './zone-guidance';
import { until } from './signage-setup';
import { GUIDANCE_SERVICES, prepareGuidanceStack, type GuidanceStack } from './zone-guidance-stack';
import type { ZoneUplink } from './zone-traffic';

export const ZONE_GUIDANCE_TARGET_P99_MS = 1_000;
/** EU868 DR6 (SF7, 250 kHz): the shortest frames, so airtime does not bind. */
const RX2_DATA_RATE = 6;
const TENANT_AIRTIME_SECONDS_PER_HOUR = 3_600;
const DUTY_CYCLE_HEADROOM_PERCENT = 0;
const HOUR_MS = 3_600_000;
const IDLE_SECONDS = 5;
const AVAILABILITY = '`occupancy.zone.availability_changed.v1`';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const msPerSecondText = (cpu: Record<string, number>) => Object.entries(cpu).map(([name, value]) => `${name} ${value.toFixed(0)}`).join(', ');
const latencyText = (l?: { p50: number; p99: number; max: number }) => (l ? `p50 ${l.p50.toFixed(0)} p99 ${l.p99.toFixed(0)} max ${l.max.toFixed(0)} ms` : 'none');

/** The time on air the signs may use, against the budgets the sender keeps. */
export function airtimeOf(zones: number, minFrameIntervalMs: number): ZoneGuidanceResult['setup']['airtime'] {
  const modulation = eu868Modulation(RX2_DATA_RATE);
  // The reference frame: 8 bytes, plus its text (FULL) when no space is free.
  const countFrameMs = timeOnAirMs(8, modulation);
  const fullFrameMs = timeOnAirMs(8 + 'FULL'.length, modulation);
  const perSignMsPerHour = (HOUR_MS / minFrameIntervalMs) * fullFrameMs;
  const dutyCycle = subBandOf(EU868_RX2.frequencyHz)?.dutyCycle ?? 0.01;
  return {
    dataRate: RX2_DATA_RATE,
    countFrameMs,
    fullFrameMs,
    perSignMsPerHour,
    gatewayBudgetMsPerHour: dutyCycle * HOUR_MS * (1 - DUTY_CYCLE_HEADROOM_PERCENT / 100),
    tenantMsPerHour: zones * perSignMsPerHour,
    tenantBudgetMsPerHour: TENANT_AIRTIME_SECONDS_PER_HOUR * 1000,
  };
}

export interface ZoneGuidanceRun {
  repoRoot: string;
  nc: NatsConnection;
  natsUrl: string;
  settings: E2eSettings;
  cleanup: Cleanup;
}

/** The downlink service's signage settings of the bench: the shortest frames, a budget that does not bind, and the given pacing. */
export function signageEnv(minFrameIntervalMs: number): Record<string, string> {
  return {
    SIGNAGE_RX2_DATA_RATE: String(RX2_DATA_RATE),
    SIGNAGE_TENANT_AIRTIME_SECONDS_PER_HOUR: String(TENANT_AIRTIME_SECONDS_PER_HOUR),
    SIGNAGE_DUTY_CYCLE_HEADROOM_PERCENT: String(DUTY_CYCLE_HEADROOM_PERCENT),
    SIGNAGE_MIN_FRAME_INTERVAL_MS: String(minFrameIntervalMs),
  };
}

/** The fixed part of the setup, known before anything runs. */
function setupOf(settings: E2eSettings): ZoneGuidanceResult['setup'] {
  const g = settings.guidance;
  return {
    zones: g.zones,
    spacesPerZone: g.spacesPerZone,
    rate: g.rate,
    seconds: g.seconds,
    signage: signageEnv(g.minFrameIntervalMs),
    airtime: airtimeOf(g.zones, g.minFrameIntervalMs),
    platformConfig: `compiled ${GUIDANCE_SERVICES.join(', ')}, one process each with its outbox relay, LOG_LEVEL=${settings.serviceLogLevel}; ChirpStack faked in the bench's process (@parking/chirpstack-fake)`,
    preparation: 'not prepared',
  };
}

/** The zone-guidance phase; what went wrong is in the result's `failure`, not thrown. */
export async function benchZoneGuidance(run: ZoneGuidanceRun): Promise<ZoneGuidanceResult> {
  const setup = setupOf(run.settings);
  const result: ZoneGuidanceResult = { setup, targetP99Ms: ZONE_GUIDANCE_TARGET_P99_MS };
  const a = setup.airtime;
  console.log(
    `zone guidance: ${setup.zones} zones × ${setup.spacesPerZone} spaces, one count sign each, ${setup.rate} uplinks/s for ${setup.seconds} s\n` +
      `  airtime at DR${a.dataRate}: a count frame ${a.countFrameMs.toFixed(1)} ms on air (FULL ${a.fullFrameMs.toFixed(1)} ms); one frame per ${run.settings.guidance.minFrameIntervalMs} ms is at most ` +
      `${(a.perSignMsPerHour / 1000).toFixed(0)} s an hour per sign against its gateway's ${(a.gatewayBudgetMsPerHour / 1000).toFixed(0)} s, ` +
      `${(a.tenantMsPerHour / 1000).toFixed(0)} s for all signs against the tenant's ${(a.tenantBudgetMsPerHour / 1000).toFixed(0)} s`,
  );
  if (a.perSignMsPerHour > a.gatewayBudgetMsPerHour || a.tenantMsPerHour > a.tenantBudgetMsPerHour) {
    console.warn('  the airtime budget could bind at this pacing: the latencies below may include waits for airtime');
  }
  try {
    await measure(run, result);
  } catch (error) {
    result.failure = error instanceof PlatformUnavailable ? error.message : `failed: ${(error as Error).message}`;
    console.error(`  ${result.failure}`);
  }
  return result;
}

async function measure({ repoRoot, nc, natsUrl, settings, cleanup }: ZoneGuidanceRun, result: ZoneGuidanceResult): Promise<void> {
  const stack = await prepareGuidanceStack(settings, result.setup.signage, repoRoot, natsUrl, cleanup);
  result.setup.preparation = stack.preparation.join('; ');
  console.log(`  ${stack.preparation.join('\n  ')}`);
  // What the services cost with no traffic (relays and queue pollers), to tell it from the load's own cost.
  const idle = countCpu(stack.platform.processes);
  await pause(IDLE_SECONDS * 1000);
  const { postgres: _postgres, ...idleServices } = idle.stop().msPerSecond;
  result.idleCpuMsPerSecond = idleServices;
  console.log(`  idle CPU ms/s: ${msPerSecondText(idleServices)}`);

  const listener = new ZoneAvailabilityListener(nc, stack.namespace, new Map(stack.zoneIds.map((id, zone) => [id, zone])));
  listener.start();
  cleanup.add('stop the availability listener', async () => listener.stop());
  const loadStart = Date.now();
  const firstCall = stack.fake.calls.length;
  const webhooks = await load(stack, settings, result);
  listener.stop();

  const zoneOfSign = new Map(stack.signs.map((sign, zone) => [sign.devEui, zone]));
  const frames: ZoneObservation[] = enqueuedFrames(stack.fake.calls.slice(firstCall)).flatMap((frame) => {
    const zone = zoneOfSign.get(frame.devEui);
    return zone === undefined ? [] : [{ zone, count: frame.count, at: frame.at, ref: frameRef(frame.devEui, frame.hex) }];
  });
  const events = listener.observationsSince(loadStart);
  const lastFrameAt = frames.at(-1)?.at;
  if (lastFrameAt !== undefined && lastFrameAt > loadStart) result.framesPerSecond = (frames.length * 1000) / (lastFrameAt - loadStart);
  const frameMatch = matchReflections(webhooks, frames);
  const eventMatch = matchReflections(webhooks, events);
  result.frame = latencyOf(frames.length, frameMatch);
  result.event = latencyOf(events.length, eventMatch);
  // Where the frames' time went, from the points the bench and the downlink service record (the sends before the load included, for pacing).
  const timeline = await readDownlinkTimeline(stack.database.adminUrl, new Date(loadStart - 60_000));
  const stages = frameStages(webhooks, frameMatch, eventMatch, timeline, settings.guidance.minFrameIntervalMs);
  result.stages = [
    { label: `webhook sent → ${AVAILABILITY} at the NATS subscriber`, latency: summariseLatencies(stages.toEvent) },
    { label: 'that event → the downlink service begins handling it', latency: summariseLatencies(stages.toHandled) },
    { label: "→ the sign's pacing lets its next frame go", latency: summariseLatencies(stages.pacing) },
    { label: '→ the sender pass that sends it', latency: summariseLatencies(stages.toSenderPass) },
    { label: 'sender pass → chirpstack-sync begins handling the call', latency: summariseLatencies(stages.toSync) },
    { label: '→ the frame enqueued at ChirpStack', latency: summariseLatencies(stages.toChirpStack) },
  ];
  result.split = { frames: stages.toEvent.length, rewritten: stages.rewritten };
  // Every zone event, matched to a frame or not: how far behind the downlink service's availability consumer ran.
  result.handlingLag = summariseLatencies(events.flatMap((event) => {
    const handled = event.ref === undefined ? undefined : timeline.handledAt.get(event.ref);
    return handled === undefined ? [] : [handled - event.at];
  }));
  console.log(
    `  webhook → availability event: ${result.event.reflecting} of ${events.length} events reflect new webhooks, ${latencyText(result.event.latency)}\n` +
      `  webhook → frame at ChirpStack: ${result.frame.reflecting} of ${frames.length} frames reflect new webhooks, ${latencyText(result.frame.latency)} (${stages.toEvent.length} of them split by stage, ${stages.rewritten} of those rewritten after they were sent)\n` +
      result.stages.map((stage) => `    of which ${stage.label}: ${latencyText(stage.latency)}`).join('\n') +
      `\n  every zone event seen → the downlink service begins handling it: ${latencyText(result.handlingLag)}`,
  );
}

/** The steady load, then the wait until every sign shows its zone's last count; answers the webhooks sent. */
async function load(stack: GuidanceStack, settings: E2eSettings, result: ZoneGuidanceResult): Promise<ZoneWebhook[]> {
  const g = settings.guidance;
  const uplinks = stack.traffic.take(Math.round(g.rate * g.seconds));
  const webhooks: ZoneWebhook[] = [];
  // Send times are the open loop's schedule (performance.now()); frames and events carry epoch ms.
  const epochOffset = Date.now() - performance.now();
  result.loadAverage = loadavg()[0];
  // With BENCH_E2E_CPU_PROFILE_DIR the services' CPU profiles cover the load only.
  const profile = () => settings.cpuProfileDir && Object.values(stack.platform.processes).forEach((pid) => process.kill(pid, 'SIGUSR2'));
  const cpu = countCpu({ ...stack.platform.processes, bench: process.pid });
  profile();
  const outcome = await runOpenLoopStep(stack.pool, stack.platform.endpoint, uplinks, g.rate, {
    onDispatch: (uplink, scheduledAt) => {
      const { zone, count } = uplink as ZoneUplink;
      webhooks.push({ zone, count, sentAt: scheduledAt + epochOffset });
    },
  });
  profile();
  const usage = cpu.stop();
  result.cpuMsPerSecond = usage.msPerSecond;
  result.machineBusy = usage.machineBusy;
  result.webhooks = { sent: outcome.sent, errors: outcome.errors, answeredP99Ms: outcome.latency.p99, dispatchLagP99Ms: outcome.dispatchLag.p99 };
  console.log(`  machine ${(usage.machineBusy * 100).toFixed(0)} % busy during the load; CPU ms/s: ${msPerSecondText(usage.msPerSecond)}`);
  const settleBegan = performance.now();
  result.settled = await until('every sign showing its last count', g.settleSeconds * 1000, () => (stack.signsShow((zone) => stack.traffic.freeCount(zone)) ? true : undefined))
    .then(() => true)
    .catch(() => false);
  console.log(
    `  ${outcome.sent} webhooks (${outcome.errors} not 2xx, answered p99 ${outcome.latency.p99.toFixed(1)} ms); ` +
      `${result.settled ? `every sign showed its last count ${((performance.now() - settleBegan) / 1000).toFixed(1)} s after the load` : `NOT every sign showed its last count within ${g.settleSeconds} s`}`,
  );
  return webhooks;
}

function latencyOf(observations: number, match: ReflectionMatch): ZoneGuidanceLatency {
  return { observations, reflecting: match.reflections.length, unreflected: match.unreflected, latency: summariseLatencies(match.reflections.map((r) => r.latencyMs)) };
}

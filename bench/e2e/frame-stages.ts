import type { DownlinkSend, DownlinkTimeline } from './downlink-timeline';
import type { ReflectionMatch, ZoneWebhook } from './zone-guidance';

/** A frame observation's ref: which sign, which bytes. */
export const frameRef = (devEui: string, hex: string) => `${devEui}:${hex}`;

/** Where each frame's time went, one list of ms per stage, in the order they follow each other. */
export interface FrameStages {
  /** Webhook → `occupancy.zone.availability_changed.v1` at the bench's NATS subscriber (the event that first reflected the frame's first webhook). */
  toEvent: number[];
  /** That event at the subscriber → the downlink service began handling it (its inbox row). */
  toHandled: number[];
  /** Handled → the display's pacing let its next frame go (0 when it already did). */
  pacing: number[];
  /** From then → the sender pass that sent the frame. */
  toSenderPass: number[];
  /** Sender pass → chirpstack-sync begins handling the call (the sender sends a pass's frames one after another). */
  toSync: number[];
  /** chirpstack-sync → the frame enqueued at ChirpStack. */
  toChirpStack: number[];
  /** Frames split whose command holds other bytes now than ChirpStack got: rewritten after they were sent. */
  rewritten: number;
}

/**
 * Splits each reflecting frame's latency at the points the platform records: the availability
 * event reflecting its first webhook (seen by the bench; its id finds when the downlink service
 * handled it), the display's pacing (its command's queueing and the previous send), the sender
 * pass that sent it and chirpstack-sync's record of the call (the sign's newest send that
 * chirpstack-sync had before the frame reached ChirpStack: a sign's sends go one at a time).
 * Frames with a point missing are left out.
 */
export function frameStages(webhooks: readonly ZoneWebhook[], frames: ReflectionMatch, events: ReflectionMatch, timeline: DownlinkTimeline, minFrameIntervalMs: number): FrameStages {
  const stages: FrameStages = { toEvent: [], toHandled: [], pacing: [], toSenderPass: [], toSync: [], toChirpStack: [], rewritten: 0 };
  const sendsOf = new Map<string, DownlinkSend[]>();
  const previousSend = new Map<DownlinkSend, number | undefined>();
  for (const send of [...timeline.sends].sort((a, b) => a.at - b.at)) {
    const sends = sendsOf.get(send.devEui) ?? [];
    previousSend.set(send, sends.at(-1)?.at);
    sends.push(send);
    sendsOf.set(send.devEui, sends);
  }
  for (const reflection of frames.reflections) {
    const frame = reflection.observation;
    const [devEui, hex] = frame.ref?.split(':') ?? [];
    const event = events.firstReflectedBy[reflection.first];
    const handled = event?.ref === undefined ? undefined : timeline.handledAt.get(event.ref);
    const send = (sendsOf.get(devEui) ?? []).filter((s) => s.receivedAt !== undefined && s.receivedAt <= frame.at).at(-1);
    if (!event || handled === undefined || send?.receivedAt === undefined) continue;
    const previous = previousSend.get(send);
    const due = Math.max(send.queuedAt, previous === undefined ? -Infinity : previous + minFrameIntervalMs);
    stages.toEvent.push(event.at - webhooks[reflection.first].sentAt);
    stages.toHandled.push(handled - event.at);
    stages.pacing.push(Math.max(0, due - handled));
    stages.toSenderPass.push(send.at - Math.max(handled, due));
    stages.toSync.push(send.receivedAt - send.at);
    stages.toChirpStack.push(frame.at - send.receivedAt);
    if (send.frame !== hex) stages.rewritten++;
  }
  return stages;
}

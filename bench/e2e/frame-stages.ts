import type { DownlinkTimeline } from './downlink-timeline';
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
  /** Sender pass → the frame enqueued at ChirpStack (chirpstack-sync in between). */
  toChirpStack: number[];
}

/**
 * Splits each reflecting frame's latency at the points the platform records: the availability
 * event reflecting its first webhook (seen by the bench; its id finds when the downlink service
 * handled it), the display's pacing (its command's queueing and the previous send), and the
 * sender pass that sent it (the newest send of the same bytes to the same sign before the
 * frame reached ChirpStack). Frames with a point missing are left out.
 */
export function frameStages(webhooks: readonly ZoneWebhook[], frames: ReflectionMatch, events: ReflectionMatch, timeline: DownlinkTimeline, minFrameIntervalMs: number): FrameStages {
  const stages: FrameStages = { toEvent: [], toHandled: [], pacing: [], toSenderPass: [], toChirpStack: [] };
  const sendsByFrame = new Map<string, DownlinkTimeline['sends']>();
  const previousSend = new Map<DownlinkTimeline['sends'][number], number | undefined>();
  const lastOfDevice = new Map<string, number>();
  for (const send of timeline.sends) {
    previousSend.set(send, lastOfDevice.get(send.devEui));
    lastOfDevice.set(send.devEui, send.at);
    const key = frameRef(send.devEui, send.frame);
    sendsByFrame.set(key, [...(sendsByFrame.get(key) ?? []), send]);
  }
  for (const reflection of frames.reflections) {
    const frame = reflection.observation;
    const event = events.firstReflectedBy[reflection.first];
    const handled = event?.ref === undefined ? undefined : timeline.handledAt.get(event.ref);
    const send = frame.ref === undefined ? undefined : (sendsByFrame.get(frame.ref) ?? []).filter((s) => s.at <= frame.at).at(-1);
    if (!event || handled === undefined || !send) continue;
    const previous = previousSend.get(send);
    const due = Math.max(send.queuedAt, previous === undefined ? -Infinity : previous + minFrameIntervalMs);
    stages.toEvent.push(event.at - webhooks[reflection.first].sentAt);
    stages.toHandled.push(handled - event.at);
    stages.pacing.push(Math.max(0, due - handled));
    stages.toSenderPass.push(send.at - Math.max(handled, due));
    stages.toChirpStack.push(frame.at - send.at);
  }
  return stages;
}

import type { DownlinkTimeline } from './downlink-timeline';
import { frameRef, frameStages } from './frame-stages';
import { matchReflections, type ZoneWebhook } from './zone-guidance';

const SIGN = '70b3d5e75f000000';
const frameOf = (count: number) => `01${count.toString(16).padStart(4, '0')}0000ff0000`;

describe("where a frame's time goes", () => {
  // Zone 0: counts 9, 8, 7 sent at 0, 100, 200.
  const webhooks: ZoneWebhook[] = [9, 8, 7].map((count, i) => ({ zone: 0, count, sentAt: i * 100 }));
  const events = matchReflections(webhooks, [
    { zone: 0, count: 9, at: 150, ref: 'e1' },
    { zone: 0, count: 7, at: 320, ref: 'e2' },
  ]);

  it('splits each frame at the event, its handling, the pacing and the sender pass, the parts adding up to the whole', () => {
    const frames = matchReflections(webhooks, [
      { zone: 0, count: 9, at: 400, ref: frameRef(SIGN, frameOf(9)) },
      { zone: 0, count: 7, at: 1_000, ref: frameRef(SIGN, frameOf(7)) },
    ]);
    const timeline: DownlinkTimeline = {
      handledAt: new Map([
        ['e1', 170],
        ['e2', 350],
      ]),
      sends: [
        { devEui: SIGN, frame: frameOf(9), at: 380, queuedAt: 180 },
        // Queued at 360; paced until 380 + 400; the pass came at 800.
        { devEui: SIGN, frame: frameOf(7), at: 800, queuedAt: 360 },
      ],
    };
    const stages = frameStages(webhooks, frames, events, timeline, 400);
    expect(stages).toEqual({ toEvent: [150, 220], toHandled: [20, 30], pacing: [10, 430], toSenderPass: [200, 20], toChirpStack: [20, 200] });
    const total = (i: number) => Object.values(stages).reduce((sum, stage: number[]) => sum + stage[i], 0);
    expect([total(0), total(1)]).toEqual(frames.reflections.map((r) => r.latencyMs));
  });

  it('leaves out a frame whose send or event handling is not on record', () => {
    const frames = matchReflections(webhooks, [{ zone: 0, count: 9, at: 400, ref: frameRef(SIGN, frameOf(9)) }]);
    const stages = frameStages(webhooks, frames, events, { handledAt: new Map(), sends: [{ devEui: SIGN, frame: frameOf(9), at: 380, queuedAt: 180 }] }, 400);
    expect(stages.toEvent).toEqual([]);
  });
});

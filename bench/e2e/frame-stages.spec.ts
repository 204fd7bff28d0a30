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
        { devEui: SIGN, frame: frameOf(9), at: 380, queuedAt: 180, receivedAt: 390 },
        // Queued at 360; paced until 380 + 400; the pass came at 800, chirpstack-sync had it at 950.
        { devEui: SIGN, frame: frameOf(7), at: 800, queuedAt: 360, receivedAt: 950 },
      ],
    };
    const stages = frameStages(webhooks, frames, events, timeline, 400);
    expect(stages).toEqual({ toEvent: [150, 220], toHandled: [20, 30], pacing: [10, 430], toSenderPass: [200, 20], toSync: [10, 150], toChirpStack: [10, 50], rewritten: 0 });
    const { rewritten: _rewritten, ...parts } = stages;
    const total = (i: number) => Object.values(parts).reduce((sum, stage) => sum + stage[i], 0);
    expect([total(0), total(1)]).toEqual(frames.reflections.map((r) => r.latencyMs));
  });

  it("leaves out a frame whose send, its event's handling or chirpstack-sync's record is not there", () => {
    const frames = matchReflections(webhooks, [{ zone: 0, count: 9, at: 400, ref: frameRef(SIGN, frameOf(9)) }]);
    const sends = [{ devEui: SIGN, frame: frameOf(9), at: 380, queuedAt: 180, receivedAt: 390 }];
    expect(frameStages(webhooks, frames, events, { handledAt: new Map(), sends }, 400).toEvent).toEqual([]);
    const { receivedAt: _receivedAt, ...unrecorded } = sends[0];
    expect(frameStages(webhooks, frames, events, { handledAt: new Map([['e1', 170]]), sends: [unrecorded] }, 400).toEvent).toEqual([]);
    expect(frameStages(webhooks, frames, events, { handledAt: new Map([['e1', 170]]), sends }, 400).toEvent).toEqual([150]);
  });

  it("takes the sign's newest send chirpstack-sync had before the frame arrived, and counts a command whose bytes changed after it was sent", () => {
    const frames = matchReflections(webhooks, [{ zone: 0, count: 9, at: 400, ref: frameRef(SIGN, frameOf(9)) }]);
    const timeline: DownlinkTimeline = {
      handledAt: new Map([['e1', 170]]),
      sends: [
        { devEui: SIGN, frame: frameOf(10), at: 100, queuedAt: 90, receivedAt: 110 },
        // The command that carried 9, rewritten to 7 once it had gone.
        { devEui: SIGN, frame: frameOf(7), at: 380, queuedAt: 180, receivedAt: 390 },
        { devEui: SIGN, frame: frameOf(7), at: 395, queuedAt: 380, receivedAt: 450 },
      ],
    };
    const stages = frameStages(webhooks, frames, events, timeline, 100);
    expect(stages.toSync).toEqual([10]);
    expect(stages.rewritten).toBe(1);
  });
});

import { matchReflections, summariseLatencies, type ZoneObservation, type ZoneWebhook } from './zone-guidance';

/** A zone's webhooks, one every `gapMs` from `from`, leading to these counts. */
const webhooksOf = (zone: number, counts: number[], from = 0, gapMs = 100): ZoneWebhook[] => counts.map((count, i) => ({ zone, count, sentAt: from + i * gapMs }));
const seen = (zone: number, count: number | null, at: number): ZoneObservation => ({ zone, count, at });

describe('matching frames to the webhooks they reflect', () => {
  it('counts each frame from the first webhook it reflects that no earlier frame did', () => {
    // Sent at 0, 100, 200, 300, 400.
    const webhooks = webhooksOf(0, [9, 8, 7, 6, 5]);
    const { reflections, skipped, unreflected } = matchReflections(webhooks, [seen(0, 8, 250), seen(0, 5, 900)]);
    expect(reflections.map((r) => [r.first, r.last, r.latencyMs])).toEqual([
      [0, 1, 250],
      [2, 4, 700],
    ]);
    expect(skipped).toBe(0);
    expect(unreflected).toBe(0);
  });

  it('skips what reflects nothing new: a state from before the load, an unknown count, a resend of the same frame', () => {
    const webhooks = webhooksOf(0, [9, 8, 7]);
    const match = matchReflections(webhooks, [seen(0, 10, 50), seen(0, null, 60), seen(0, 8, 300), seen(0, 8, 2_300)]);
    expect(match.reflections.map((r) => r.latencyMs)).toEqual([300]);
    expect(match.skipped).toBe(3);
    expect(match.unreflected).toBe(1);
  });

  it('takes the newest webhook with the count shown, sent before the frame was seen', () => {
    // A zone's count going 5, 4, 5, 4 (sent at 0, 100, 200, 300), and a later webhook to 4 sent after the frame.
    const webhooks = webhooksOf(0, [5, 4, 5, 4, 3, 4]);
    const { reflections } = matchReflections(webhooks, [seen(0, 4, 450)]);
    expect(reflections).toEqual([{ observation: seen(0, 4, 450), first: 0, last: 3, latencyMs: 450 }]);
  });

  it('never reflects a webhook sent after the frame was seen', () => {
    const webhooks = webhooksOf(0, [9, 8]);
    const { reflections, skipped } = matchReflections(webhooks, [seen(0, 8, 80)]);
    expect(reflections).toEqual([]);
    expect(skipped).toBe(1);
  });

  it('keeps zones apart, whatever order the frames are given in, and says when each webhook was first reflected', () => {
    const webhooks = [...webhooksOf(0, [9, 8, 7]), ...webhooksOf(1, [9, 8, 7], 50)];
    const match = matchReflections(webhooks, [seen(1, 7, 600), seen(0, 9, 120), seen(0, 7, 400), seen(1, 8, 200)]);
    expect(match.reflections.map((r) => [r.observation.zone, r.first, r.last, r.latencyMs])).toEqual([
      [0, 0, 0, 120],
      [1, 3, 4, 150],
      [0, 1, 2, 300],
      [1, 5, 5, 350],
    ]);
    expect(match.firstReflectedBy.map((o) => o?.at)).toEqual([120, 400, 400, 200, 200, 600]);
  });

  it('summarises latencies as the rest of the bench does, and nothing when there are none', () => {
    expect(summariseLatencies([])).toBeUndefined();
    const summary = summariseLatencies(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(summary).toMatchObject({ count: 100, max: 100 });
    expect(summary?.p50).toBeCloseTo(50, 0);
    expect(summary?.p99).toBeCloseTo(99, 0);
  });
});

import fc from 'fast-check';
import { afterFCntReset, afterJoin, FCNT_RESET_THRESHOLD, placeUplink, SessionState } from './session-rules';

const START: SessionState = { session: 0, lastFCnt: null, devAddr: null };

describe('frame-counter session rules', () => {
  it('keeps counting up in the first session and remembers the devAddr', () => {
    const first = placeUplink(START, 50, '00189440');
    expect(first).toEqual({ session: 0, started: null, next: { session: 0, lastFCnt: 50, devAddr: '00189440' } });
    expect(placeUplink(first.next, 51, '00189440').next).toEqual({ session: 0, lastFCnt: 51, devAddr: '00189440' });
  });

  it('starts the next session on a join, with counters from 0 and the new devAddr', () => {
    const joined = afterJoin({ session: 3, lastFCnt: 52, devAddr: '00189440' }, '0118a001');
    expect(joined).toEqual({ session: 4, lastFCnt: null, devAddr: '0118a001' });
    expect(placeUplink(joined, 0, '0118a001')).toMatchObject({ session: 4, started: null });
  });

  it('starts the next session on an UPLINK_F_CNT_RESET log, keeping the devAddr', () => {
    expect(afterFCntReset({ session: 1, lastFCnt: 700, devAddr: '00189440' })).toEqual({ session: 2, lastFCnt: null, devAddr: '00189440' });
  });

  it('starts the next session when the devAddr changes without a join', () => {
    expect(placeUplink({ session: 1, lastFCnt: 52, devAddr: '00189440' }, 0, '0118a001')).toEqual({
      session: 2,
      started: 'new_dev_addr',
      next: { session: 2, lastFCnt: 0, devAddr: '0118a001' },
    });
  });

  it(`starts the next session when fCnt falls more than ${FCNT_RESET_THRESHOLD} below the highest (reset or wrap)`, () => {
    expect(placeUplink({ session: 0, lastFCnt: 65_535, devAddr: null }, 0, undefined)).toMatchObject({ session: 1, started: 'f_cnt_jump' });
    expect(placeUplink({ session: 0, lastFCnt: 5_000, devAddr: null }, 5_000 - FCNT_RESET_THRESHOLD - 1, undefined)).toMatchObject({ session: 1 });
  });

  it('keeps a small step back in the session as a late arrival and never moves lastFCnt back', () => {
    const late = placeUplink({ session: 2, lastFCnt: 60, devAddr: '00189440' }, 57, '00189440');
    expect(late).toEqual({ session: 2, started: null, next: { session: 2, lastFCnt: 60, devAddr: '00189440' } });
    expect(placeUplink({ session: 2, lastFCnt: 5_000, devAddr: null }, 5_000 - FCNT_RESET_THRESHOLD, undefined)).toMatchObject({ session: 2, started: null });
  });

  /**
   * A device's life: frames counting up, rejoins (counters back to 0, maybe a new devAddr),
   * redeliveries of what was sent before (same deduplicationId), retransmissions (same frame,
   * new deduplicationId) and frames arriving a little late within their session.
   */
  type Step = { op: 'up' } | { op: 'join'; newAddr: boolean } | { op: 'redeliver'; pick: number } | { op: 'retransmit'; pick: number } | { op: 'delay'; by: number };
  type Delivery =
    | { kind: 'join'; dedupId: string; devAddr: string }
    | { kind: 'up'; dedupId: string; devAddr: string; fCnt: number; frame: string };

  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 8, arbitrary: fc.constant<Step>({ op: 'up' }) },
    { weight: 1, arbitrary: fc.boolean().map<Step>((newAddr) => ({ op: 'join', newAddr })) },
    { weight: 2, arbitrary: fc.nat().map<Step>((pick) => ({ op: 'redeliver', pick })) },
    { weight: 1, arbitrary: fc.nat().map<Step>((pick) => ({ op: 'retransmit', pick })) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }).map<Step>((by) => ({ op: 'delay', by })) },
  );

  /** The deliveries in arrival order, and every distinct frame the device sent. */
  function life(steps: Step[]): { deliveries: Delivery[]; frames: Set<string> } {
    const deliveries: Delivery[] = [];
    const frames = new Set<string>();
    let epoch = 0;
    let fCnt = 0;
    let addr = 0;
    let ids = 0;
    let sessionStart = 0;
    const devAddr = () => addr.toString(16).padStart(8, '0');
    for (const s of steps) {
      if (s.op === 'up') {
        const frame = `${epoch}:${fCnt}`;
        frames.add(frame);
        deliveries.push({ kind: 'up', dedupId: `d${ids++}`, devAddr: devAddr(), fCnt: fCnt++, frame });
      } else if (s.op === 'join') {
        epoch++;
        fCnt = 0;
        if (s.newAddr) addr++;
        deliveries.push({ kind: 'join', dedupId: `d${ids++}`, devAddr: devAddr() });
        sessionStart = deliveries.length;
      } else if (deliveries.length > 0 && s.op === 'redeliver') {
        const earlier = deliveries[s.pick % deliveries.length];
        // A redelivery of a join would restart the session: ChirpStack redelivers with the same id, which the receipts drop.
        deliveries.push(earlier);
      } else if (s.op === 'retransmit') {
        const ups = deliveries.slice(sessionStart).filter((d): d is Extract<Delivery, { kind: 'up' }> => d.kind === 'up' && d.frame.startsWith(`${epoch}:`));
        if (ups.length > 0) deliveries.push({ ...ups[s.pick % ups.length], dedupId: `d${ids++}` });
      } else if (s.op === 'delay') {
        // The newest uplink of the session arrives after the next few (a late arrival).
        const last = deliveries.length - 1;
        if (last >= sessionStart && deliveries[last].kind === 'up' && (deliveries[last] as { frame: string }).frame.startsWith(`${epoch}:`)) {
          const [late] = deliveries.splice(last, 1);
          (late as { delayBy?: number }).delayBy = s.by;
          deliveries.push(late);
        }
      }
    }
    return { deliveries: withDelays(deliveries), frames };
  }

  /** Moves each delayed uplink later by its delay, never past a join. */
  function withDelays(deliveries: Delivery[]): Delivery[] {
    const out = [...deliveries];
    for (let i = out.length - 1; i >= 0; i--) {
      const by = (out[i] as { delayBy?: number }).delayBy;
      if (!by) continue;
      let to = i;
      while (to + 1 < out.length && to - i < by && out[to + 1].kind === 'up') to++;
      const [late] = out.splice(i, 1);
      out.splice(to, 0, late);
    }
    return out;
  }

  /** What the pipeline does: receipts by deduplicationId, then (session, fCnt) unique. */
  function ingest(deliveries: Delivery[]): { stored: Map<string, string[]>; state: SessionState } {
    const receipts = new Set<string>();
    const stored = new Map<string, string[]>();
    let state = START;
    for (const d of deliveries) {
      if (receipts.has(d.dedupId)) continue;
      receipts.add(d.dedupId);
      if (d.kind === 'join') {
        state = afterJoin(state, d.devAddr);
        continue;
      }
      const placement = placeUplink(state, d.fCnt, d.devAddr);
      const key = `${placement.session}:${d.fCnt}`;
      if (stored.has(key)) {
        stored.get(key)?.push(`duplicate of ${d.frame}`);
        continue;
      }
      stored.set(key, [d.frame]);
      state = placement.next;
    }
    return { stored, state };
  }

  it('stores every frame the device sent exactly once, whatever the interleaving, and drops nothing after a rejoin', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
        const { deliveries, frames } = life(steps);
        const { stored } = ingest(deliveries);
        const storedFrames = [...stored.values()].map((entries) => entries[0]);
        // No (session, fCnt) holds two different frames, and each frame sits under one key.
        for (const entries of stored.values()) expect(entries.every((e) => e === entries[0] || e === `duplicate of ${entries[0]}`)).toBe(true);
        expect(new Set(storedFrames).size).toBe(storedFrames.length);
        expect(new Set(storedFrames)).toEqual(frames);
      }),
      { numRuns: 500 },
    );
  });
});

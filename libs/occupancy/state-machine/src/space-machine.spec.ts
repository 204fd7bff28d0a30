import fc from 'fast-check';
import { compareReadings, isNewerReading, SensorReading } from './reading-order';
import { displayedState, INITIAL_SPACE_STATE, SpaceInput, SpaceMachineState, stepSpace } from './space-machine';
import { isSilent, silenceTimeoutSeconds } from './silence';

const EUI = '70b3d54750100a1b';

function reading(session: number | null, fCnt: number | null, occupied: boolean | null, sensorTime: string | null = null): SensorReading {
  return { devEui: EUI, session, fCnt, sensorTime, receivedAt: '2026-03-01T09:00:00.000Z', deduplicationId: null, occupied };
}

function run(inputs: SpaceInput[], from: SpaceMachineState = INITIAL_SPACE_STATE): SpaceMachineState {
  return inputs.reduce((state, input) => stepSpace(state, input).next, from);
}

const sensor = (r: SensorReading): SpaceInput => ({ kind: 'reading', reading: r });

describe('reading order', () => {
  it.each([
    ['a later session wins, whatever the fCnt', reading(2, 0, true), reading(1, 900, true), true],
    ['within a session the higher fCnt wins', reading(1, 11, true), reading(1, 10, true), true],
    ['the same frame is not newer', reading(1, 10, true), reading(1, 10, false), false],
    ['an older session loses', reading(1, 5, true), reading(2, 0, true), false],
    ['without session data, a later sensor time wins', reading(null, null, true, '2026-03-01T10:00:01Z'), reading(null, null, true, '2026-03-01T10:00:00Z'), true],
    ['without session data, an earlier sensor time loses', reading(null, 3, true, '2026-03-01T09:59:59Z'), reading(null, 9, true, '2026-03-01T10:00:00Z'), false],
    ['one side without a session falls back to the time', reading(5, 1, true, '2026-03-01T09:00:00Z'), reading(null, null, true, '2026-03-01T10:00:00Z'), false],
  ])('%s', (_name, candidate, held, newer) => {
    expect(isNewerReading(candidate, held)).toBe(newer);
  });

  it('applies anything to a space that holds no reading', () => {
    expect(isNewerReading(reading(0, 0, false), null)).toBe(true);
  });

  it('falls back to the time the gateway received the frames when nothing else tells them apart', () => {
    const early = { ...reading(null, null, true), receivedAt: '2026-03-01T09:00:00.000Z' };
    const late = { ...reading(null, null, true), receivedAt: '2026-03-01T09:00:00.001Z' };
    expect(compareReadings(late, early)).toBeGreaterThan(0);
    expect(compareReadings(early, early)).toBe(0);
  });
});

describe('displayed state', () => {
  const facts = { sensorOccupied: null, sensorSilent: false, maintenance: false, reservationActive: false };
  it.each([
    [{ ...facts }, 'unknown'],
    [{ ...facts, sensorOccupied: true }, 'occupied'],
    [{ ...facts, sensorOccupied: false }, 'free'],
    [{ ...facts, sensorOccupied: false, reservationActive: true }, 'reserved'],
    [{ ...facts, sensorOccupied: true, reservationActive: true }, 'occupied'],
    [{ ...facts, sensorOccupied: true, sensorSilent: true }, 'unknown'],
    [{ ...facts, sensorOccupied: false, sensorSilent: true, reservationActive: true }, 'reserved'],
    [{ ...facts, reservationActive: true }, 'reserved'],
    [{ ...facts, sensorOccupied: true, maintenance: true }, 'maintenance'],
    [{ ...facts, sensorOccupied: false, reservationActive: true, maintenance: true }, 'maintenance'],
    [{ ...facts, sensorSilent: true, maintenance: true }, 'maintenance'],
  ] as const)('%j shows %s', (input, expected) => {
    expect(displayedState(input)).toBe(expected);
  });
});

describe('stepSpace', () => {
  it('moves unknown → occupied → free on readings, one transition each, versions growing', () => {
    const first = stepSpace(INITIAL_SPACE_STATE, sensor(reading(1, 1, true)));
    expect(first.transition).toEqual({ from: 'unknown', to: 'occupied', cause: 'sensor' });
    const second = stepSpace(first.next, sensor(reading(1, 2, false)));
    expect(second.transition).toEqual({ from: 'occupied', to: 'free', cause: 'sensor' });
    expect([INITIAL_SPACE_STATE.version, first.next.version, second.next.version]).toEqual([1, 2, 3]);
  });

  it('ignores a duplicate and a late reading entirely', () => {
    const state = run([sensor(reading(1, 5, true))]);
    for (const stale of [reading(1, 5, false), reading(1, 4, false), reading(0, 99, false)]) {
      expect(stepSpace(state, sensor(stale))).toEqual({ next: state, applied: false, transition: null });
    }
  });

  it('takes a rejoin (session + 1, fCnt from 0) as newer', () => {
    const state = run([sensor(reading(1, 500, true)), sensor(reading(2, 0, false))]);
    expect(state.state).toBe('free');
    expect(state.reading).toMatchObject({ session: 2, fCnt: 0 });
  });

  it('keeps what the sensor said on a heartbeat, yet counts it as a newer reading', () => {
    const state = run([sensor(reading(1, 1, true)), { kind: 'silence' }]);
    expect(state.state).toBe('unknown');
    const heartbeat = stepSpace(state, sensor(reading(1, 2, null)));
    expect(heartbeat.next).toMatchObject({ state: 'occupied', sensorOccupied: true, sensorSilent: false, reading: { fCnt: 2 } });
    expect(heartbeat.transition).toEqual({ from: 'unknown', to: 'occupied', cause: 'sensor' });
  });

  it('makes a silent sensor unknown (cause timeout), and the next reading restores it', () => {
    const silent = stepSpace(run([sensor(reading(1, 1, false))]), { kind: 'silence' });
    expect(silent.transition).toEqual({ from: 'free', to: 'unknown', cause: 'timeout' });
    expect(stepSpace(silent.next, { kind: 'silence' }).applied).toBe(false);
    expect(stepSpace(silent.next, sensor(reading(1, 2, false))).transition).toEqual({ from: 'unknown', to: 'free', cause: 'sensor' });
  });

  it('does not call a space silent that never had a reading', () => {
    expect(stepSpace(INITIAL_SPACE_STATE, { kind: 'silence' }).applied).toBe(false);
  });

  it('keeps maintenance through readings until cleared, then shows the newest reading', () => {
    const set = stepSpace(run([sensor(reading(1, 1, false))]), { kind: 'maintenance-set', reason: 'resurfacing' });
    expect(set.transition).toEqual({ from: 'free', to: 'maintenance', cause: 'override' });
    const during = run([sensor(reading(1, 2, true)), sensor(reading(1, 3, false)), sensor(reading(1, 4, true))], set.next);
    expect(during).toMatchObject({ state: 'maintenance', sensorOccupied: true, maintenanceReason: 'resurfacing', version: set.next.version });
    const cleared = stepSpace(during, { kind: 'maintenance-cleared' });
    expect(cleared.transition).toEqual({ from: 'maintenance', to: 'occupied', cause: 'override' });
    expect(stepSpace(cleared.next, { kind: 'maintenance-cleared' }).applied).toBe(false);
  });

  it('changes only the reason when maintenance is set again with another one', () => {
    const set = run([{ kind: 'maintenance-set', reason: 'a' }]);
    const again = stepSpace(set, { kind: 'maintenance-set', reason: 'b' });
    expect(again).toMatchObject({ applied: true, transition: null, next: { maintenanceReason: 'b', version: set.version } });
    expect(stepSpace(again.next, { kind: 'maintenance-set', reason: 'b' }).applied).toBe(false);
  });

  it('shows a free space reserved while a reservation is active, and what the sensor said when it ends', () => {
    const reserved = stepSpace(run([sensor(reading(1, 1, false))]), { kind: 'reservation', active: true });
    expect(reserved.transition).toEqual({ from: 'free', to: 'reserved', cause: 'reservation' });
    const arrived = stepSpace(reserved.next, sensor(reading(1, 2, true)));
    expect(arrived.transition).toEqual({ from: 'reserved', to: 'occupied', cause: 'sensor' });
    const ended = stepSpace(arrived.next, { kind: 'reservation', active: false });
    expect(ended).toMatchObject({ applied: true, transition: null, next: { state: 'occupied' } });
    const left = stepSpace(reserved.next, { kind: 'reservation', active: false });
    expect(left.transition).toEqual({ from: 'reserved', to: 'free', cause: 'reservation' });
  });

  it('forgets the readings of an unassigned sensor, so a new sensor starting at fCnt 0 applies', () => {
    const cleared = stepSpace(run([sensor(reading(3, 800, true))]), { kind: 'sensor-cleared' });
    expect(cleared.transition).toEqual({ from: 'occupied', to: 'unknown', cause: 'override' });
    expect(stepSpace(cleared.next, { kind: 'sensor-cleared' }).applied).toBe(false);
    expect(stepSpace(cleared.next, sensor(reading(0, 0, false))).next.state).toBe('free');
  });
});

describe('silence timeout', () => {
  it('is the site timeout when set, else twice the heartbeat', () => {
    expect(silenceTimeoutSeconds(300, 3600)).toBe(300);
    expect(silenceTimeoutSeconds(null, 3600)).toBe(7200);
  });

  it('is silent only strictly after the timeout', () => {
    const last = new Date('2026-03-01T09:00:00Z');
    expect(isSilent(last, 60, new Date('2026-03-01T09:01:00Z'))).toBe(false);
    expect(isSilent(last, 60, new Date('2026-03-01T09:01:00.001Z'))).toBe(true);
  });
});

/** A sensor's true timeline: fCnt counting up, sometimes a rejoin (session + 1, fCnt from 0), time moving on. */
const timeline = (withSession: boolean) =>
  fc
    .array(fc.record({ rejoin: fc.integer({ min: 0, max: 9 }).map((n) => n === 0), skip: fc.nat(3), gapMs: fc.integer({ min: 1, max: 600_000 }), occupied: fc.boolean() }), {
      minLength: 1,
      maxLength: 40,
    })
    .map((steps) => {
      let session = 0;
      let fCnt = -1;
      let time = Date.parse('2026-03-01T00:00:00Z');
      return steps.map((step): SensorReading => {
        if (step.rejoin) {
          session += 1;
          fCnt = 0;
        } else fCnt += 1 + step.skip;
        time += step.gapMs;
        const sensorTime = new Date(time).toISOString();
        return {
          devEui: EUI,
          session: withSession ? session : null,
          fCnt: withSession ? fCnt : null,
          sensorTime,
          receivedAt: sensorTime,
          deduplicationId: `${session}-${fCnt}`,
          occupied: step.occupied,
        };
      });
    });

/** The timeline delivered out of order, with duplicates (several gateways, broker redelivery). */
const deliveries = (withSession: boolean) =>
  timeline(withSession).chain((frames) =>
    fc
      .tuple(fc.shuffledSubarray(frames, { minLength: 0 }), fc.array(fc.nat({ max: frames.length - 1 }), { maxLength: 20 }), fc.nat())
      .map(([duplicates, repeats, seed]) => {
        const all = [...frames, ...duplicates, ...repeats.map((i) => frames[i])];
        // A seeded shuffle: any interleaving of late arrivals and duplicates.
        let s = seed || 1;
        for (let i = all.length - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) & 0x7fffffff;
          const j = s % (i + 1);
          [all[i], all[j]] = [all[j], all[i]];
        }
        return { frames, arrivals: all };
      }),
  );

describe('any interleaving of readings, duplicates, late arrivals and rejoins', () => {
  it.each([
    ['with session and fCnt', true],
    ['with sensor time only', false],
  ])('%s: ends in the newest reading, each applied reading newer than the one before', (_name, withSession) => {
    fc.assert(
      fc.property(deliveries(withSession), ({ frames, arrivals }) => {
        let state = INITIAL_SPACE_STATE;
        let previous: SensorReading | null = null;
        for (const frame of arrivals) {
          const result = stepSpace(state, sensor(frame));
          if (result.applied) {
            if (previous !== null) expect(compareReadings(frame, previous)).toBeGreaterThan(0);
            previous = frame;
          }
          if (result.transition) expect(result.next.version).toBe(state.version + 1);
          state = result.next;
        }
        const newest = frames[frames.length - 1];
        expect(state.state).toBe(newest.occupied ? 'occupied' : 'free');
        expect(state.reading).toMatchObject({ session: newest.session, fCnt: newest.fCnt, sensorTime: newest.sensorTime });
      }),
      { numRuns: 1_000 },
    );
  });

  it('keeps maintenance whatever the readings, and shows the newest reading once cleared', () => {
    fc.assert(
      fc.property(deliveries(true), fc.nat(), ({ frames, arrivals }, at) => {
        const cut = at % (arrivals.length + 1);
        let state = run(arrivals.slice(0, cut).map(sensor));
        state = stepSpace(state, { kind: 'maintenance-set', reason: null }).next;
        for (const frame of arrivals.slice(cut)) {
          state = stepSpace(state, sensor(frame)).next;
          expect(state.state).toBe('maintenance');
        }
        state = stepSpace(state, { kind: 'maintenance-cleared' }).next;
        expect(state.state).toBe(frames[frames.length - 1].occupied ? 'occupied' : 'free');
      }),
      { numRuns: 1_000 },
    );
  });
});

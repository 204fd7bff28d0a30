import { bookingProblems, supersededFrames, transitionProblems, uplinkProblems, type AcceptedFrame, type Transition } from './verify';

const frames: AcceptedFrame[] = [
  { devEui: 'a', fCnt: 1, state: 'occupied' },
  { devEui: 'a', fCnt: 2, state: 'free' },
  { devEui: 'a', fCnt: 3, state: 'occupied' },
];
const sensor = (fromState: string, toState: string, fCnt: number): Transition => ({ fromState, toState, cause: 'sensor', fCnt });

describe('transitionProblems', () => {
  it('accepts a chain that follows the frames and ends in the newest state', () => {
    const chain = [sensor('unknown', 'occupied', 1), sensor('occupied', 'free', 2), sensor('free', 'occupied', 3)];
    expect(transitionProblems('a', frames, chain, 'occupied')).toEqual([]);
  });

  it('accepts a free frame that leaves a space reserved, its booking having started', () => {
    const chain = [sensor('unknown', 'occupied', 1), sensor('occupied', 'reserved', 2), { fromState: 'reserved', toState: 'occupied', cause: 'sensor', fCnt: 3 }];
    expect(transitionProblems('a', frames, chain, 'occupied')).toEqual([]);
    expect(transitionProblems('a', frames.slice(0, 2), chain.slice(0, 2), 'reserved')).toEqual([]);
    expect(transitionProblems('a', frames.slice(0, 1), [sensor('unknown', 'reserved', 1)], 'reserved').join()).toMatch(/whose frame said occupied/);
  });

  it('accepts a frame that came after a newer one and changed nothing', () => {
    expect(transitionProblems('a', frames, [sensor('unknown', 'occupied', 1)], 'occupied')).toEqual([]);
    // fCnt 2 (free) would have changed it; fCnt 3 (occupied) found it occupied anyway.
    expect(supersededFrames(frames, [sensor('unknown', 'occupied', 1)])).toBe(1);
    expect(supersededFrames(frames, [sensor('unknown', 'occupied', 1), sensor('occupied', 'free', 2), sensor('free', 'occupied', 3)])).toBe(0);
  });

  it('finds a frame applied twice', () => {
    const chain = [sensor('unknown', 'occupied', 1), sensor('occupied', 'free', 2), sensor('free', 'occupied', 2)];
    expect(transitionProblems('a', frames, chain, 'occupied').join()).toMatch(/does not follow fCnt 2/);
  });

  it('finds a change of state whose transition is missing', () => {
    const chain = [sensor('unknown', 'occupied', 1), sensor('free', 'occupied', 3)];
    expect(transitionProblems('a', frames, chain, 'occupied').join()).toMatch(/starts in free, the one before ended in occupied/);
  });

  it('finds a transition to the state the space is in, one from a frame never accepted, and a wrong end state', () => {
    expect(transitionProblems('a', frames, [sensor('occupied', 'occupied', 1)], 'occupied').join()).toMatch(/to itself/);
    expect(transitionProblems('a', frames, [sensor('unknown', 'free', 9)], 'free').join()).toMatch(/never accepted/);
    expect(transitionProblems('a', frames, [sensor('unknown', 'occupied', 1)], 'free').join()).toMatch(/newest frame \(fCnt 3\) said occupied/);
  });
});

describe('bookingProblems', () => {
  const at = (hour: number) => new Date(Date.UTC(2027, 0, 1, hour)).toISOString();
  const accepted = [{ id: 'r1', spaceId: 's1', start: at(8), end: at(10) }];
  const stored = (overrides: Partial<{ id: string; spaceId: string; start: Date; end: Date; state: string }> = {}) => ({
    id: 'r1',
    spaceId: 's1',
    start: new Date(at(8)),
    end: new Date(at(10)),
    state: 'confirmed',
    ...overrides,
  });

  it('accepts every accepted booking stored as answered', () => {
    expect(bookingProblems(accepted, [stored()], 0)).toEqual([]);
  });

  it('finds a lost booking, a stored one nobody was answered for, and a double booking', () => {
    expect(bookingProblems(accepted, [], 0).join()).toMatch(/not stored/);
    expect(bookingProblems(accepted, [stored(), stored({ id: 'r2', start: new Date(at(12)), end: new Date(at(13)) })], 0).join()).toMatch(/no 201 answered/);
    expect(bookingProblems(accepted, [stored(), stored({ id: 'r2', start: new Date(at(9)), end: new Date(at(11)) })], 1).join()).toMatch(/double-booked/);
    // A cancelled booking holds nothing.
    expect(bookingProblems(accepted, [stored(), stored({ id: 'r2', start: new Date(at(9)), end: new Date(at(11)), state: 'cancelled' })], 1)).toEqual([]);
  });
});

describe('uplinkProblems', () => {
  it('finds the missing and the doubled', () => {
    expect(uplinkProblems(['a:1', 'a:2'], ['a:1', 'a:2'])).toEqual([]);
    expect(uplinkProblems(['a:1', 'a:2'], ['a:1']).join()).toMatch(/1 accepted uplinks are not stored: a:2/);
    expect(uplinkProblems(['a:1'], ['a:1', 'a:1']).join()).toMatch(/stored more than once: a:1/);
  });
});

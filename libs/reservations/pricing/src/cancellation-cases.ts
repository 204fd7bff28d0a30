import type { CancellationPolicy } from './cancellation';

/** Cancellations worked out by hand (the comment beside each shows the arithmetic). */

export interface CancellationCase {
  name: string;
  policy: CancellationPolicy;
  price: number;
  startsAt: string;
  cancelledAt: string;
  expected: { amount: number; free: boolean; freeUntil: string };
}

const DAY_BEFORE_FIXED: CancellationPolicy = { freeUntilMinutesBefore: 1440, fee: { fixed: 300 } };
const TWO_HOURS_HALF: CancellationPolicy = { freeUntilMinutesBefore: 120, fee: { percentOfPrice: 50 } };

export const CANCELLATION_CASES: CancellationCase[] = [
  // 25 h before the start, free until 24 h before (10:00 on 9 March): free
  {
    name: 'fixed fee, inside the free window',
    policy: DAY_BEFORE_FIXED,
    price: 1200,
    startsAt: '2026-03-10T10:00:00+01:00',
    cancelledAt: '2026-03-09T09:00:00+01:00',
    expected: { amount: 0, free: true, freeUntil: '2026-03-09T09:00:00.000Z' },
  },
  // exactly at the limit: still free
  {
    name: 'fixed fee, at the last free instant',
    policy: DAY_BEFORE_FIXED,
    price: 1200,
    startsAt: '2026-03-10T10:00:00+01:00',
    cancelledAt: '2026-03-09T10:00:00+01:00',
    expected: { amount: 0, free: true, freeUntil: '2026-03-09T09:00:00.000Z' },
  },
  // 22 h before: the fixed 300
  {
    name: 'fixed fee, outside the free window',
    policy: DAY_BEFORE_FIXED,
    price: 1200,
    startsAt: '2026-03-10T10:00:00+01:00',
    cancelledAt: '2026-03-09T12:00:00+01:00',
    expected: { amount: 300, free: false, freeUntil: '2026-03-09T09:00:00.000Z' },
  },
  // fixed 300 > price 200: the price
  {
    name: 'a fixed fee never exceeds the price',
    policy: DAY_BEFORE_FIXED,
    price: 200,
    startsAt: '2026-03-10T10:00:00+01:00',
    cancelledAt: '2026-03-10T09:00:00+01:00',
    expected: { amount: 200, free: false, freeUntil: '2026-03-09T09:00:00.000Z' },
  },
  // 3 h before, free until 2 h before (08:00): free
  {
    name: 'percentage, inside the free window',
    policy: TWO_HOURS_HALF,
    price: 1235,
    startsAt: '2026-03-10T10:00:00+01:00',
    cancelledAt: '2026-03-10T07:00:00+01:00',
    expected: { amount: 0, free: true, freeUntil: '2026-03-10T07:00:00.000Z' },
  },
  // 1 h before: 1235 × 50/100 = 617.5 → 618
  {
    name: 'percentage, outside the free window, rounded half up',
    policy: TWO_HOURS_HALF,
    price: 1235,
    startsAt: '2026-03-10T10:00:00+01:00',
    cancelledAt: '2026-03-10T09:00:00+01:00',
    expected: { amount: 618, free: false, freeUntil: '2026-03-10T07:00:00.000Z' },
  },
  // after the start: 1190 × 7.5/100 = 89.25 → 89
  {
    name: 'a fractional percentage, after the start',
    policy: { freeUntilMinutesBefore: 0, fee: { percentOfPrice: 7.5 } },
    price: 1190,
    startsAt: '2026-03-10T10:00:00+01:00',
    cancelledAt: '2026-03-10T10:30:00+01:00',
    expected: { amount: 89, free: false, freeUntil: '2026-03-10T09:00:00.000Z' },
  },
];

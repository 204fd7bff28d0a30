import { BERLIN, CAPPED, CITY, SHORT_STAY } from './pricing-cases';
import type { PricingSite } from './price-window';
import type { Tariff } from './tariff';

/** Overstays worked out by hand (the comment beside each shows the arithmetic), on the tariffs of pricing-cases. */

export interface OverstayCase {
  name: string;
  tariff: Tariff;
  site: PricingSite;
  bookedFrom: string;
  bookedTo: string;
  leftAt: string;
  expected: { total: number; timeCharge: number; minimumChargeCredit?: number; days?: Array<[string, number, number, number]> };
}

export const OVERSTAY_CASES: OverstayCase[] = [
  {
    // booked 09:00-10:00 = 300; whole stay 100 min → 105 = 300 + 45 × 200/60 = 150 → 450; overstay 450 − 300 = 150
    name: 'the overstay continues the tiers',
    tariff: CITY,
    site: BERLIN,
    bookedFrom: '2026-03-02T09:00:00+01:00',
    bookedTo: '2026-03-02T10:00:00+01:00',
    leftAt: '2026-03-02T10:40:00+01:00',
    expected: { total: 150, timeCharge: 150, days: [['2026-03-02', 450, 300, 150]] },
  },
  {
    // booked 10:00-10:20 → 30 min = 150; left 10:29: 29 min → 30 min = 150; nothing more
    name: 'time paid by rounding up is not paid twice',
    tariff: CITY,
    site: BERLIN,
    bookedFrom: '2026-03-02T10:00:00+01:00',
    bookedTo: '2026-03-02T10:20:00+01:00',
    leftAt: '2026-03-02T10:29:00+01:00',
    expected: { total: 0, timeCharge: 0 },
  },
  {
    // booked 10:00-10:20 = 150; left 10:31: 31 min → 45 min = 225; overstay 75
    name: 'the next started increment is charged',
    tariff: CITY,
    site: BERLIN,
    bookedFrom: '2026-03-02T10:00:00+01:00',
    bookedTo: '2026-03-02T10:20:00+01:00',
    leftAt: '2026-03-02T10:31:00+01:00',
    expected: { total: 75, timeCharge: 75 },
  },
  {
    // booked 08:00-13:00 = 300 × 250/60 = 1250; whole 08:00-16:00 = 2000 → capped 1500; overstay 250
    name: "the daily maximum counts what the booking paid that day",
    tariff: CAPPED,
    site: BERLIN,
    bookedFrom: '2026-03-02T08:00:00+01:00',
    bookedTo: '2026-03-02T13:00:00+01:00',
    leftAt: '2026-03-02T16:00:00+01:00',
    expected: { total: 250, timeCharge: 250, days: [['2026-03-02', 1500, 1250, 250]] },
  },
  {
    // booked Mon 18:00-23:00 = 1250; Mon whole 18:00-24:00 = 1500 → +250; Tue 00:00-01:10 → 90 min × 250/60 = 375 → 625
    name: 'an overstay into the next day',
    tariff: CAPPED,
    site: BERLIN,
    bookedFrom: '2026-03-02T18:00:00+01:00',
    bookedTo: '2026-03-02T23:00:00+01:00',
    leftAt: '2026-03-03T01:10:00+01:00',
    expected: { total: 625, timeCharge: 625, days: [['2026-03-02', 1500, 1250, 250], ['2026-03-03', 375, 0, 375]] },
  },
  {
    // booked 10:00-10:20 = 60, paid the minimum 100; whole 10:00-10:50 → 60 min = 120; overstay max(100,120) − max(100,60) = 20 (time 60, credit 40)
    name: 'the minimum charge counts once for the whole stay',
    tariff: SHORT_STAY,
    site: BERLIN,
    bookedFrom: '2026-03-02T10:00:00+01:00',
    bookedTo: '2026-03-02T10:20:00+01:00',
    leftAt: '2026-03-02T10:50:00+01:00',
    expected: { total: 20, timeCharge: 60, minimumChargeCredit: 40 },
  },
];

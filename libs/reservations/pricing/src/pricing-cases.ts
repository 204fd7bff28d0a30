import type { PricingSite } from './price-window';
import type { Tariff } from './tariff';

/**
 * Worked examples, each computed by hand (the comment beside each shows the arithmetic).
 * Money in cents of EUR (USD in New York); times local; `i` = increment, `@r` = rate per hour.
 *
 * 2026 calendar: Mon 2 March … Sun 8 March; Berlin springs forward Sun 29 March (02:00 CET →
 * 03:00 CEST, 01:00Z) and falls back Sun 25 October (03:00 CEST → 02:00 CET, 01:00Z); New York
 * springs forward Sun 8 March (02:00 EST → 03:00 EDT) and falls back Sun 1 November.
 */

const ALL_WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

/** Weekday daytime 3.00 the first hour and 2.00 each further, 15 min increments; weekday nights 1.00/h by the started hour; weekends and Monday before 08:00 free. */
export const CITY: Tariff = {
  name: 'City',
  currency: 'EUR',
  effectiveFrom: '2026-01-01',
  bands: [
    { days: WEEKDAYS, time: '08:00-18:00', incrementMinutes: 15, tiers: [{ upToMinutes: 60, ratePerHour: 300 }, { ratePerHour: 200 }] },
    { days: WEEKDAYS, time: '18:00-08:00', incrementMinutes: 60, tiers: [{ ratePerHour: 100 }] },
  ],
};

/** 2.50/h round the clock by started half hour, at most 15.00 a day (midnight to midnight). */
export const CAPPED: Tariff = {
  name: 'Capped',
  currency: 'EUR',
  effectiveFrom: '2026-01-01',
  bands: [{ days: ALL_WEEK, time: '00:00-24:00', incrementMinutes: 30, tiers: [{ ratePerHour: 250 }] }],
  dailyMaximum: { amount: 1500, resetAt: '00:00' },
};

/** 4.00 the first hour, 2.00 each further, by the started hour; at most 12.00 a day, days from 06:00. */
export const RESET_AT_SIX: Tariff = {
  name: 'Early reset',
  currency: 'EUR',
  effectiveFrom: '2026-01-01',
  bands: [{ days: ALL_WEEK, time: '00:00-24:00', incrementMinutes: 60, tiers: [{ upToMinutes: 60, ratePerHour: 400 }, { ratePerHour: 200 }] }],
  dailyMaximum: { amount: 1200, resetAt: '06:00' },
};

/** 1.20/h by the started quarter hour, at least 1.00, plus a 0.50 reservation fee. */
export const SHORT_STAY: Tariff = {
  name: 'Short stay',
  currency: 'EUR',
  effectiveFrom: '2026-01-01',
  bands: [{ days: ALL_WEEK, time: '00:00-24:00', incrementMinutes: 15, tiers: [{ ratePerHour: 120 }] }],
  minimumCharge: 100,
  reservationFee: 50,
};

/** First 30 minutes free, then 2.40/h up to two hours, then 1.29/h; by the started 10 minutes. */
export const THREE_TIERS: Tariff = {
  name: 'Three tiers',
  currency: 'EUR',
  effectiveFrom: '2026-01-01',
  bands: [{ days: ALL_WEEK, time: '00:00-24:00', incrementMinutes: 10, tiers: [{ upToMinutes: 30, ratePerHour: 0 }, { upToMinutes: 120, ratePerHour: 240 }, { ratePerHour: 129 }] }],
};

/** 4.00/h from 01:00 to 03:00 (the hours a change of clock touches), 1.00/h the rest; quarter hours. */
export const NIGHT_HOURS: Tariff = {
  name: 'Night hours',
  currency: 'EUR',
  effectiveFrom: '2026-01-01',
  bands: [
    { days: ALL_WEEK, time: '01:00-03:00', incrementMinutes: 15, tiers: [{ ratePerHour: 400 }] },
    { days: ALL_WEEK, time: '03:00-01:00', incrementMinutes: 15, tiers: [{ ratePerHour: 100 }] },
  ],
};

/** 3.00 an hour by the started hour, all day. */
export const HOURLY_USD: Tariff = {
  name: 'Hourly',
  currency: 'USD',
  effectiveFrom: '2026-01-01',
  bands: [{ days: ALL_WEEK, time: '00:00-24:00', incrementMinutes: 60, tiers: [{ ratePerHour: 300 }] }],
};

export const BERLIN: PricingSite = { timeZone: 'Europe/Berlin', taxMode: 'included', taxRatePercent: 19 };
export const BERLIN_NET: PricingSite = { timeZone: 'Europe/Berlin', taxMode: 'added', taxRatePercent: 19 };
export const NEW_YORK: PricingSite = { timeZone: 'America/New_York', taxMode: 'added', taxRatePercent: 8.25 };

/** [day of the stay, band (null: free), local start, local end, charged minutes, amount]. */
export type ExpectedLine = [string, number | null, string, string, number, number];

export interface QuoteCase {
  name: string;
  tariff: Tariff;
  site: PricingSite;
  from: string;
  to: string;
  reservationFee?: boolean;
  expected: {
    total: number;
    timeCharge: number;
    lines?: ExpectedLine[];
    /** [day, uncapped, charged] */
    days?: Array<[string, number, number]>;
    minimumChargeTopUp?: number;
    reservationFee?: number;
    net?: number;
    tax?: number;
  };
}

export const QUOTE_CASES: QuoteCase[] = [
  {
    // 09:00-11:30 = 150 min (10 quarters) in daytime: 60 × 300/60 = 300 + 90 × 200/60 = 300 → 600; tax included 600 × 19/119 = 95.8 → 96
    name: 'tiers within one band, tax included',
    tariff: CITY,
    site: BERLIN,
    from: '2026-03-02T09:00:00+01:00',
    to: '2026-03-02T11:30:00+01:00',
    expected: { total: 600, timeCharge: 600, net: 504, tax: 96, lines: [['2026-03-02', 0, '2026-03-02T09:00:00+01:00', '2026-03-02T11:30:00+01:00', 150, 600]] },
  },
  {
    // 67 min → 5 started quarters = 75 min: 60 × 300/60 = 300 + 15 × 200/60 = 50 → 350
    name: 'a started increment is charged in full',
    tariff: CITY,
    site: BERLIN,
    from: '2026-03-02T09:00:00+01:00',
    to: '2026-03-02T10:07:00+01:00',
    expected: { total: 350, timeCharge: 350, lines: [['2026-03-02', 0, '2026-03-02T09:00:00+01:00', '2026-03-02T10:07:00+01:00', 75, 350]] },
  },
  {
    // 15 min 1 s → 2 started quarters = 30 min × 300/60 = 150
    name: 'one second into an increment starts it',
    tariff: CITY,
    site: BERLIN,
    from: '2026-03-02T09:00:00+01:00',
    to: '2026-03-02T09:15:01+01:00',
    expected: { total: 150, timeCharge: 150, lines: [['2026-03-02', 0, '2026-03-02T09:00:00+01:00', '2026-03-02T09:15:01+01:00', 30, 150]] },
  },
  {
    // day 17:00-18:00 = 60 × 300/60 = 300; night 18:00-20:30 = 150 min → 3 started hours × 100 = 300 → 600
    name: 'across a band boundary',
    tariff: CITY,
    site: BERLIN,
    from: '2026-03-02T17:00:00+01:00',
    to: '2026-03-02T20:30:00+01:00',
    expected: {
      total: 600,
      timeCharge: 600,
      lines: [
        ['2026-03-02', 0, '2026-03-02T17:00:00+01:00', '2026-03-02T18:00:00+01:00', 60, 300],
        ['2026-03-02', 1, '2026-03-02T18:00:00+01:00', '2026-03-02T20:30:00+01:00', 180, 300],
      ],
    },
  },
  {
    // overnight band, new day at midnight: Tue 22:00-24:00 = 2 h × 100 = 200; Wed 00:00-07:00 = 7 h × 100 = 700 → 900
    name: 'an overnight band across midnight',
    tariff: CITY,
    site: BERLIN,
    from: '2026-03-03T22:00:00+01:00',
    to: '2026-03-04T07:00:00+01:00',
    expected: {
      total: 900,
      timeCharge: 900,
      lines: [
        ['2026-03-03', 1, '2026-03-03T22:00:00+01:00', '2026-03-04T00:00:00+01:00', 120, 200],
        ['2026-03-04', 1, '2026-03-04T00:00:00+01:00', '2026-03-04T07:00:00+01:00', 420, 700],
      ],
    },
  },
  {
    // the new day at midnight starts a new hour: 23:30-24:00 → 1 started hour = 100; 00:00-00:30 → 1 started hour = 100 → 200
    name: 'increments restart with the day of the stay',
    tariff: CITY,
    site: BERLIN,
    from: '2026-03-03T23:30:00+01:00',
    to: '2026-03-04T00:30:00+01:00',
    expected: { total: 200, timeCharge: 200, days: [['2026-03-03', 100, 100], ['2026-03-04', 100, 100]] },
  },
  {
    // Fri 17:00-18:00 = 300; Fri night 18:00-24:00 = 6 × 100 = 600; Sat 00:00-08:00 = 8 × 100 = 800; Sat 08:00-10:00 no band = 0 → 1700
    name: 'into the free weekend',
    tariff: CITY,
    site: BERLIN,
    from: '2026-03-06T17:00:00+01:00',
    to: '2026-03-07T10:00:00+01:00',
    expected: {
      total: 1700,
      timeCharge: 1700,
      lines: [
        ['2026-03-06', 0, '2026-03-06T17:00:00+01:00', '2026-03-06T18:00:00+01:00', 60, 300],
        ['2026-03-06', 1, '2026-03-06T18:00:00+01:00', '2026-03-07T00:00:00+01:00', 360, 600],
        ['2026-03-07', 1, '2026-03-07T00:00:00+01:00', '2026-03-07T08:00:00+01:00', 480, 800],
        ['2026-03-07', null, '2026-03-07T08:00:00+01:00', '2026-03-07T10:00:00+01:00', 0, 0],
      ],
    },
  },
  {
    // Mon 07:00-08:00 free (Sunday night has no band) = 0; day 08:00-18:00 = 60 × 300/60 + 540 × 200/60 = 300 + 1800 = 2100;
    // night 18:00-24:00 = 6 × 100 = 600 → Mon 2700. Tue 00:00-08:00 = 800; day 08:00-09:00 is minute 480-540 of Tuesday's stay,
    // past the first hour: 60 × 200/60 = 200 → Tue 1000. 2700 + 1000 = 3700
    name: 'a multi-day stay: tiers count the stay per day, across bands',
    tariff: CITY,
    site: BERLIN,
    from: '2026-03-02T07:00:00+01:00',
    to: '2026-03-03T09:00:00+01:00',
    expected: {
      total: 3700,
      timeCharge: 3700,
      lines: [
        ['2026-03-02', null, '2026-03-02T07:00:00+01:00', '2026-03-02T08:00:00+01:00', 0, 0],
        ['2026-03-02', 0, '2026-03-02T08:00:00+01:00', '2026-03-02T18:00:00+01:00', 600, 2100],
        ['2026-03-02', 1, '2026-03-02T18:00:00+01:00', '2026-03-03T00:00:00+01:00', 360, 600],
        ['2026-03-03', 1, '2026-03-03T00:00:00+01:00', '2026-03-03T08:00:00+01:00', 480, 800],
        ['2026-03-03', 0, '2026-03-03T08:00:00+01:00', '2026-03-03T09:00:00+01:00', 60, 200],
      ],
      days: [['2026-03-02', 2700, 2700], ['2026-03-03', 1000, 1000]],
    },
  },
  {
    // 08:00-17:00 = 540 min × 250/60 = 2250, over the daily maximum → 1500
    name: 'the daily maximum',
    tariff: CAPPED,
    site: BERLIN,
    from: '2026-03-02T08:00:00+01:00',
    to: '2026-03-02T17:00:00+01:00',
    expected: { total: 1500, timeCharge: 1500, days: [['2026-03-02', 2250, 1500]] },
  },
  {
    // Mon 20:00-24:00 = 240 × 250/60 = 1000; Tue 24 h = 1440 × 250/60 = 6000 → 1500;
    // Wed 00:00-09:10 = 550 min → 19 half hours = 570 × 250/60 = 2375 → 1500. 1000 + 1500 + 1500 = 4000
    name: 'a multi-day stay, each day capped',
    tariff: CAPPED,
    site: BERLIN,
    from: '2026-03-02T20:00:00+01:00',
    to: '2026-03-04T09:10:00+01:00',
    expected: {
      total: 4000,
      timeCharge: 4000,
      days: [['2026-03-02', 1000, 1000], ['2026-03-03', 6000, 1500], ['2026-03-04', 2375, 1500]],
      lines: [
        ['2026-03-02', 0, '2026-03-02T20:00:00+01:00', '2026-03-03T00:00:00+01:00', 240, 1000],
        ['2026-03-03', 0, '2026-03-03T00:00:00+01:00', '2026-03-04T00:00:00+01:00', 1440, 6000],
        ['2026-03-04', 0, '2026-03-04T00:00:00+01:00', '2026-03-04T09:10:00+01:00', 570, 2375],
      ],
    },
  },
  {
    // days from 06:00: 03:00-06:00 is Monday's day: 60 × 400/60 + 120 × 200/60 = 400 + 400 = 800;
    // 06:00-09:00 is Tuesday's, tiers start again: 800 → 1600
    name: 'across the daily reset at 06:00',
    tariff: RESET_AT_SIX,
    site: BERLIN,
    from: '2026-03-03T03:00:00+01:00',
    to: '2026-03-03T09:00:00+01:00',
    expected: {
      total: 1600,
      timeCharge: 1600,
      lines: [
        ['2026-03-02', 0, '2026-03-03T03:00:00+01:00', '2026-03-03T06:00:00+01:00', 180, 800],
        ['2026-03-03', 0, '2026-03-03T06:00:00+01:00', '2026-03-03T09:00:00+01:00', 180, 800],
      ],
    },
  },
  {
    // Tue 08:00 to Wed 06:00 is one day of the stay and one stretch of the band (no break at midnight):
    // 1320 min = 60 × 400/60 + 1260 × 200/60 = 400 + 4200 = 4600 → capped 1200; Wed 06:00-08:00 = 400 + 200 = 600 → 1800
    name: 'the daily maximum with days from 06:00',
    tariff: RESET_AT_SIX,
    site: BERLIN,
    from: '2026-03-03T08:00:00+01:00',
    to: '2026-03-04T08:00:00+01:00',
    expected: {
      total: 1800,
      timeCharge: 1800,
      days: [['2026-03-03', 4600, 1200], ['2026-03-04', 600, 600]],
      lines: [
        ['2026-03-03', 0, '2026-03-03T08:00:00+01:00', '2026-03-04T06:00:00+01:00', 1320, 4600],
        ['2026-03-04', 0, '2026-03-04T06:00:00+01:00', '2026-03-04T08:00:00+01:00', 120, 600],
      ],
    },
  },
  {
    // 20 min → 2 quarters = 30 × 120/60 = 60; minimum 100 → top-up 40; fee 50 → 150
    name: 'the minimum charge, and the reservation fee on top',
    tariff: SHORT_STAY,
    site: BERLIN,
    from: '2026-03-02T10:00:00+01:00',
    to: '2026-03-02T10:20:00+01:00',
    expected: { total: 150, timeCharge: 60, minimumChargeTopUp: 40, reservationFee: 50 },
  },
  {
    // 10:00-12:00 = 120 × 120/60 = 240, over the minimum; fee 50 → 290
    name: 'the reservation fee',
    tariff: SHORT_STAY,
    site: BERLIN,
    from: '2026-03-02T10:00:00+01:00',
    to: '2026-03-02T12:00:00+01:00',
    expected: { total: 290, timeCharge: 240, minimumChargeTopUp: 0, reservationFee: 50 },
  },
  {
    // as above without the fee (an overstay, say): 240
    name: 'the reservation fee left out',
    tariff: SHORT_STAY,
    site: BERLIN,
    from: '2026-03-02T10:00:00+01:00',
    to: '2026-03-02T12:00:00+01:00',
    reservationFee: false,
    expected: { total: 240, timeCharge: 240, reservationFee: 0 },
  },
  {
    // 350 net (as the 67-minute case); tax 350 × 19/100 = 66.5 → 67 (half up) → 417
    name: 'tax added, rounded half up',
    tariff: CITY,
    site: BERLIN_NET,
    from: '2026-03-02T09:00:00+01:00',
    to: '2026-03-02T10:07:00+01:00',
    expected: { total: 417, timeCharge: 350, net: 350, tax: 67 },
  },
  {
    // 60 time + 40 top-up + 50 fee = 150 net; tax 150 × 19/100 = 28.5 → 29 → 179
    name: 'tax added on the minimum charge and the fee',
    tariff: SHORT_STAY,
    site: BERLIN_NET,
    from: '2026-03-02T10:00:00+01:00',
    to: '2026-03-02T10:20:00+01:00',
    expected: { total: 179, timeCharge: 60, net: 150, tax: 29 },
  },
  {
    // 185 min → 19 started 10 min = 190: 30 min free = 0; 90 × 240/60 = 360; 70 × 129/60 = 150.5 → 151 → 511
    name: 'three tiers, a share rounded half up',
    tariff: THREE_TIERS,
    site: BERLIN,
    from: '2026-03-02T10:00:00+01:00',
    to: '2026-03-02T13:05:00+01:00',
    expected: { total: 511, timeCharge: 511, lines: [['2026-03-02', 0, '2026-03-02T10:00:00+01:00', '2026-03-02T13:05:00+01:00', 190, 511]] },
  },
  {
    // spring forward: 00:30-01:00 = 30 × 100/60 = 50; 01:00-03:00 lasts 1 h (02:00-03:00 does not exist) = 60 × 400/60 = 400;
    // 03:00-04:30 = 90 × 100/60 = 150 → 600 for 3 real hours
    name: 'Berlin, spring forward: the 01:00-03:00 band lasts one hour',
    tariff: NIGHT_HOURS,
    site: BERLIN,
    from: '2026-03-29T00:30:00+01:00',
    to: '2026-03-29T04:30:00+02:00',
    expected: {
      total: 600,
      timeCharge: 600,
      lines: [
        ['2026-03-29', 1, '2026-03-29T00:30:00+01:00', '2026-03-29T01:00:00+01:00', 30, 50],
        ['2026-03-29', 0, '2026-03-29T01:00:00+01:00', '2026-03-29T03:00:00+02:00', 60, 400],
        ['2026-03-29', 1, '2026-03-29T03:00:00+02:00', '2026-03-29T04:30:00+02:00', 90, 150],
      ],
    },
  },
  {
    // fall back: 00:30-01:00 = 50; 01:00 CEST to 03:00 CET lasts 3 h (02:00-03:00 twice) = 180 × 400/60 = 1200;
    // 03:00-04:30 = 150 → 1400 for 5 real hours
    name: 'Berlin, fall back: the 01:00-03:00 band lasts three hours',
    tariff: NIGHT_HOURS,
    site: BERLIN,
    from: '2026-10-25T00:30:00+02:00',
    to: '2026-10-25T04:30:00+01:00',
    expected: {
      total: 1400,
      timeCharge: 1400,
      lines: [
        ['2026-10-25', 1, '2026-10-25T00:30:00+02:00', '2026-10-25T01:00:00+02:00', 30, 50],
        ['2026-10-25', 0, '2026-10-25T01:00:00+02:00', '2026-10-25T03:00:00+01:00', 180, 1200],
        ['2026-10-25', 1, '2026-10-25T03:00:00+01:00', '2026-10-25T04:30:00+01:00', 90, 150],
      ],
    },
  },
  {
    // 8 March is 23 h long: 23 × 300 = 6900; tax added 8.25%: 6900 × 8.25/100 = 569.25 → 569 → 7469
    name: 'New York, spring forward: a day of 23 hours',
    tariff: HOURLY_USD,
    site: NEW_YORK,
    from: '2026-03-08T00:00:00-05:00',
    to: '2026-03-09T00:00:00-04:00',
    expected: {
      total: 7469,
      timeCharge: 6900,
      net: 6900,
      tax: 569,
      lines: [['2026-03-08', 0, '2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00', 1380, 6900]],
    },
  },
  {
    // 1 November is 25 h long: 25 × 300 = 7500; tax 7500 × 8.25/100 = 618.75 → 619 → 8119
    name: 'New York, fall back: a day of 25 hours',
    tariff: HOURLY_USD,
    site: NEW_YORK,
    from: '2026-11-01T00:00:00-04:00',
    to: '2026-11-02T00:00:00-05:00',
    expected: { total: 8119, timeCharge: 7500, net: 7500, tax: 619, days: [['2026-11-01', 7500, 7500]] },
  },
  {
    // 01:30 EDT (05:30Z) to 01:30 EST (06:30Z): the clock shows the same time, but an hour passed: 300; tax 300 × 8.25/100 = 24.75 → 25 → 325
    name: 'New York, fall back: the repeated hour is charged',
    tariff: HOURLY_USD,
    site: NEW_YORK,
    from: '2026-11-01T01:30:00-04:00',
    to: '2026-11-01T01:30:00-05:00',
    expected: { total: 325, timeCharge: 300, tax: 25 },
  },
];

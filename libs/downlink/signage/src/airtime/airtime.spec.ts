import fc from 'fast-check';
import { DutyCycleBudget, type AirtimeUse } from './duty-cycle-budget';
import { EU868_RX2, eu868Modulation, subBandOf } from './regions';
import { timeOnAirMs } from './time-on-air';

describe('LoRa time on air', () => {
  // Reference values of the formula in Semtech AN1200.13 (the figures LoRaWAN airtime calculators show).
  it.each([
    ['SF7/125, empty uplink', 0, 5, 'uplink', 46.336],
    ['SF12/125, empty uplink', 0, 0, 'uplink', 1155.072],
    ['SF12/125, 5-byte downlink (a Busylight frame at DR0)', 5, 0, 'downlink', 1318.912],
    ['SF9/125, 5-byte downlink (DR3)', 5, 3, 'downlink', 164.864],
  ] as const)('%s', (_name, payload, dataRate, direction, expected) => {
    expect(timeOnAirMs(payload, eu868Modulation(dataRate), direction)).toBeCloseTo(expected, 3);
  });

  it('grows with the payload and the spreading factor', () => {
    expect(timeOnAirMs(20, eu868Modulation(3))).toBeGreaterThan(timeOnAirMs(5, eu868Modulation(3)));
    expect(timeOnAirMs(5, eu868Modulation(2))).toBeGreaterThan(timeOnAirMs(5, eu868Modulation(3)));
  });

  it('refuses what is not LoRa', () => {
    expect(() => eu868Modulation(7)).toThrow(/DR0–DR6/);
    expect(() => timeOnAirMs(5, { spreadingFactor: 6, bandwidth: 125_000 })).toThrow(/spreading factor/);
    expect(() => timeOnAirMs(5, { spreadingFactor: 7, bandwidth: 200_000 })).toThrow(/bandwidth/);
  });
});

describe('EU868 sub-bands', () => {
  it('puts RX2 in the 10 % band and the others where ETSI has them', () => {
    expect(subBandOf(EU868_RX2.frequencyHz)?.dutyCycle).toBe(0.1);
    expect(subBandOf(868_100_000)?.dutyCycle).toBe(0.01);
    expect(subBandOf(869_000_000)?.dutyCycle).toBe(0.001);
    expect(subBandOf(869_300_000)).toBeUndefined();
  });
});

describe('DutyCycleBudget', () => {
  const HOUR = 3_600_000;

  it('keeps the headroom: a 10 % band with 20 % headroom spends 288 s an hour', () => {
    expect(new DutyCycleBudget({ dutyCycle: 0.1 }).budgetMs).toBeCloseTo(288_000);
    expect(new DutyCycleBudget({ dutyCycle: 0.001, headroom: 0 }).budgetMs).toBeCloseTo(3_600);
  });

  it('sends now while the frame fits, else once enough earlier frames have left the window', () => {
    const budget = new DutyCycleBudget({ dutyCycle: 0.001, headroom: 0 }); // 3.6 s an hour
    const uses: AirtimeUse[] = [
      { atMs: 0, airtimeMs: 1_500 },
      { atMs: 10_000, airtimeMs: 1_500 },
    ];
    expect(budget.nextSendAt(uses, 500, 20_000)).toBe(20_000);
    expect(budget.nextSendAt(uses, 1_000, 20_000)).toBe(HOUR);
    expect(budget.nextSendAt(uses, 2_200, 20_000)).toBe(HOUR + 10_000);
    expect(budget.nextSendAt(uses, 4_000, 20_000)).toBe(Infinity);
    expect(budget.usedMs(uses, HOUR)).toBe(1_500);
  });

  it('property: frames sent when it says never exceed the budget in any window', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 120_000 }), airtimeMs: fc.integer({ min: 40, max: 1_400 }) }), { minLength: 1, maxLength: 300 }), (frames) => {
        const budget = new DutyCycleBudget({ dutyCycle: 0.01, windowMs: 600_000, headroom: 0.1 });
        const uses: AirtimeUse[] = [];
        let now = 0;
        for (const frame of frames) {
          now += frame.gapMs;
          const at = budget.nextSendAt(uses, frame.airtimeMs, now);
          now = at;
          uses.push({ atMs: at, airtimeMs: frame.airtimeMs });
        }
        // Every window ending at a send holds no more than the budget.
        for (const use of uses) expect(budget.usedMs(uses, use.atMs)).toBeLessThanOrEqual(budget.budgetMs + 1e-9);
      }),
      { numRuns: 200 },
    );
  });
});

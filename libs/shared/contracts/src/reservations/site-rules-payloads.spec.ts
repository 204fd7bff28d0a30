import { checkPayload } from '../payload-check';
import { resolveReservationSettings, SiteReservationSettingsBody } from './site-rules-payloads';

function check(plain: object): { value: SiteReservationSettingsBody; problems: string[] } {
  const { value, errors } = checkPayload(SiteReservationSettingsBody, plain);
  return { value, problems: errors.map((e) => `${e.field}: ${e.message}`) };
}

const SETTINGS = { taxMode: 'included', taxRatePercent: 19, cancellation: { freeUntilMinutesBefore: 1440, fee: { fixed: 300 } } };
const problems = (changes: object) => check({ ...SETTINGS, ...changes }).problems;

describe('SiteReservationSettingsBody', () => {
  it('fills in the defaults: 15 minutes either side, no-show grace as long as the window after the start', () => {
    const { value, problems } = check(SETTINGS);
    expect(problems).toEqual([]);
    expect(resolveReservationSettings(value)).toEqual({
      taxMode: 'included',
      taxRatePercent: 19,
      checkInWindow: { beforeMinutes: 15, afterMinutes: 15 },
      noShowGraceMinutes: 15,
      cancellation: { freeUntilMinutesBefore: 1440, fee: { fixed: 300 } },
      rules: { minDurationMinutes: null, maxDurationMinutes: null, maxAdvanceDays: null },
    });
    const custom = check({ ...SETTINGS, checkInWindow: { afterMinutes: 30 }, rules: { maxAdvanceDays: 0 }, cancellation: { freeUntilMinutesBefore: 0, fee: { percentOfPrice: 7.5 } } });
    expect(custom.problems).toEqual([]);
    expect(resolveReservationSettings(custom.value)).toMatchObject({
      checkInWindow: { beforeMinutes: 15, afterMinutes: 30 },
      noShowGraceMinutes: 30,
      cancellation: { fee: { percentOfPrice: 7.5 } },
      rules: { maxAdvanceDays: 0 },
    });
  });

  it('takes percentages with at most two decimals', () => {
    expect(problems({ taxRatePercent: 7.7 })).toEqual([]);
    expect(problems({ taxRatePercent: 8.875 })).toEqual(['taxRatePercent: taxRatePercent must be a percentage of 0 to 100 with at most two decimals, e.g. 19 or 7.7']);
    expect(problems({ taxRatePercent: '19' })).toEqual(['taxRatePercent: taxRatePercent must be a percentage of 0 to 100 with at most two decimals, e.g. 19 or 7.7']);
    expect(problems({ taxMode: 'exempt' })).toEqual(['taxMode: taxMode must be one of the following values: included, added']);
  });

  it('wants exactly one kind of cancellation fee', () => {
    const fee = (value: object) => problems({ cancellation: { freeUntilMinutesBefore: 60, fee: value } });
    expect(fee({ fixed: 300, percentOfPrice: 50 })).toEqual(['cancellation.fee.fixed: fee takes fixed or percentOfPrice, not both']);
    expect(fee({})).toEqual(['cancellation.fee.fixed: fee needs fixed (minor units, e.g. 300) or percentOfPrice (e.g. 50)']);
    expect(fee({ fixed: 2.5 })).toEqual(["cancellation.fee.fixed: fixed must be a whole number of the currency's minor unit (cents), 0 to 100000000"]);
    expect(fee({ percentOfPrice: 150 })).toEqual(['cancellation.fee.percentOfPrice: percentOfPrice must be a percentage of 0 to 100 with at most two decimals, e.g. 19 or 7.7']);
    expect(problems({ cancellation: { freeUntilMinutesBefore: -5, fee: { fixed: 0 } } })).toEqual([
      'cancellation.freeUntilMinutesBefore: freeUntilMinutesBefore must be a whole number of minutes, 0 to 43200',
    ]);
    expect(problems({ cancellation: undefined })).toContain('cancellation: cancellation must be an object such as {"freeUntilMinutesBefore": 1440, "fee": {"fixed": 300}}');
  });

  it('holds the windows and rules to their limits, the longest booking no shorter than the shortest', () => {
    expect(problems({ checkInWindow: { beforeMinutes: 721 }, noShowGraceMinutes: 1441 })).toEqual([
      'checkInWindow.beforeMinutes: beforeMinutes must be a whole number of minutes, 0 to 720',
      'noShowGraceMinutes: noShowGraceMinutes must be a whole number of minutes, 0 to 1440',
    ]);
    expect(problems({ rules: { minDurationMinutes: 60, maxDurationMinutes: 30 } })).toEqual(['rules.maxDurationMinutes: maxDurationMinutes must be at least minDurationMinutes (60)']);
    expect(problems({ rules: { maxAdvanceDays: 731, extra: true } })).toEqual([
      'rules.extra: property extra should not exist',
      'rules.maxAdvanceDays: maxAdvanceDays must be a whole number of days, 0 to 730',
    ]);
    expect(problems({ rules: null, checkInWindow: null, noShowGraceMinutes: null })).toEqual([]);
    expect(problems({ rules: 'none' })).toContain('rules: rules must be an object such as {"minDurationMinutes":30,"maxAdvanceDays":30}');
  });
});

import { checkPayload } from '../payload-check';
import { tariffBandOverlap, TariffBody } from './tariff-payloads';

/** The instance and `field: message` problems, as both sides of a hop check them. */
function check(plain: object): { value: TariffBody; problems: string[] } {
  const { value, errors } = checkPayload(TariffBody, plain);
  return { value, problems: errors.map((e) => `${e.field}: ${e.message}`) };
}

const DAY = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '08:00-18:00', incrementMinutes: 15, tiers: [{ upToMinutes: 60, ratePerHour: 300 }, { ratePerHour: 200 }] };
const NIGHT = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '18:00-08:00', incrementMinutes: 60, tiers: [{ ratePerHour: 100 }] };
const TARIFF = { name: ' City ', currency: 'EUR', effectiveFrom: '2026-01-01', bands: [DAY, NIGHT] };

const problems = (changes: object) => check({ ...TARIFF, ...changes }).problems;

describe('TariffBody', () => {
  it('takes a full rate table, trimmed', () => {
    const { value, problems } = check({ ...TARIFF, priceZone: ' A ', dailyMaximum: { amount: 1800, resetAt: '06:00' }, minimumCharge: 100, reservationFee: 50 });
    expect(problems).toEqual([]);
    expect(value).toMatchObject({ name: 'City', priceZone: 'A', dailyMaximum: { amount: 1800, resetAt: '06:00' } });
    expect(check({ ...TARIFF, priceZone: null, dailyMaximum: null, minimumCharge: null, reservationFee: null }).problems).toEqual([]);
  });

  it('wants an ISO 4217 currency, a real date, and whole non-negative amounts', () => {
    expect(problems({ currency: 'eur' })).toEqual(['currency: currency must be an ISO 4217 code in capitals, e.g. EUR']);
    expect(problems({ currency: 'XYZ' })).toEqual(['currency: currency must be an ISO 4217 code in capitals, e.g. EUR']);
    expect(problems({ effectiveFrom: '2026-02-30' })).toEqual(['effectiveFrom: effectiveFrom must be a calendar date YYYY-MM-DD, e.g. 2026-01-01']);
    expect(problems({ minimumCharge: 1.5, reservationFee: -1 })).toEqual([
      "minimumCharge: minimumCharge must be a whole number of the currency's minor unit (cents), 0 to 100000000",
      "reservationFee: reservationFee must be a whole number of the currency's minor unit (cents), 0 to 100000000",
    ]);
    expect(problems({ dailyMaximum: { amount: 1800, resetAt: '24:00' } })).toEqual(["dailyMaximum.resetAt: resetAt must be HH:MM (00:00 to 23:59) in the site's local time"]);
    expect(problems({ dailyMaximum: 1800 })).toContain('dailyMaximum: dailyMaximum must be an object {"amount": 1800, "resetAt": "00:00"} or null');
  });

  it('names each bad field of a band by its path', () => {
    expect(problems({ bands: [{ ...DAY, days: ['mon', 'mon', 'funday'], time: '8-18', incrementMinutes: 0, colour: 'red' }] })).toEqual([
      'bands[0].colour: property colour should not exist',
      'bands[0].days: each of days must be one of mon, tue, wed, thu, fri, sat, sun',
      'bands[0].days: days must name each weekday at most once',
      "bands[0].time: time must be HH:MM-HH:MM in the site's local time, e.g. 08:00-18:00, 22:00-06:00 (past midnight) or 00:00-24:00 (all day)",
      'bands[0].incrementMinutes: incrementMinutes must be a whole number of minutes, 1 to 1440',
    ]);
    expect(problems({ bands: [{ ...DAY, time: '08:00-08:00' }] })).toEqual(['bands[0].time: time must not start and end at the same minute; a whole day is 00:00-24:00']);
    expect(problems({ bands: [] })).toEqual([
      'bands: bands must hold at least one band, e.g. {"days": ["mon"], "time": "00:00-24:00", "incrementMinutes": 15, "tiers": [{"ratePerHour": 200}]}',
    ]);
  });

  it('wants tiers in order, only the last one open-ended', () => {
    const tiers = (list: object[]) => problems({ bands: [{ ...DAY, tiers: list }] });
    expect(tiers([{ upToMinutes: 60, ratePerHour: 300 }])).toEqual([
      'bands[0].tiers: tiers[0] is the last tier and applies to all further time: leave out its upToMinutes (add a tier after it for the time beyond 60 minutes)',
    ]);
    expect(tiers([{ ratePerHour: 300 }, { ratePerHour: 200 }])).toEqual(['bands[0].tiers: tiers[0] needs upToMinutes (where tier 1 starts); only the last tier has none']);
    expect(tiers([{ upToMinutes: 60, ratePerHour: 300 }, { upToMinutes: 60, ratePerHour: 250 }, { ratePerHour: 200 }])).toEqual([
      "bands[0].tiers: tiers[1].upToMinutes must be more than 60 (tiers count the minutes of the day's stay in order)",
    ]);
    expect(tiers([{ upToMinutes: 30, ratePerHour: 0 }, { upToMinutes: 120, ratePerHour: 240 }, { upToMinutes: null, ratePerHour: 150 }])).toEqual([]);
    expect(tiers([{ ratePerHour: 2.5 }])).toEqual(["bands[0].tiers[0].ratePerHour: ratePerHour must be a whole number of the currency's minor unit per hour, 0 to 10000000"]);
    expect(tiers([])).toEqual(['bands[0].tiers: tiers must hold at least one tier, e.g. [{"ratePerHour": 200}]']);
  });

  it('refuses bands that cover the same time, and says where', () => {
    expect(problems({ bands: [DAY, { ...NIGHT, time: '17:00-08:00' }] })).toEqual([
      'bands: bands[1] and bands[0] both cover mon 17:00-18:00; bands may not overlap: change a time or drop a day from one of them',
    ]);
    // Friday night runs into Saturday morning.
    expect(problems({ bands: [DAY, NIGHT, { ...NIGHT, days: ['sat'], time: '00:00-24:00' }] })).toEqual([
      'bands: bands[2] and bands[1] both cover sat 00:00-08:00; bands may not overlap: change a time or drop a day from one of them',
    ]);
    // Sunday night runs into Monday morning, across the end of the week.
    expect(problems({ bands: [DAY, { ...NIGHT, days: ['sun'], time: '22:00-09:00' }] })).toEqual([
      'bands: bands[1] and bands[0] both cover mon 08:00-09:00; bands may not overlap: change a time or drop a day from one of them',
    ]);
    expect(problems({ bands: [DAY, NIGHT, { ...NIGHT, days: ['sat', 'sun'], time: '08:00-24:00' }, { ...NIGHT, days: ['sun'], time: '00:00-08:00' }] })).toEqual([]);
  });

  it('describes an overlap past midnight by the day it starts on', () => {
    expect(tariffBandOverlap([{ days: ['sun'], time: '22:00-06:00' }, { days: ['sun'], time: '23:00-24:00' }, { days: ['mon'], time: '00:00-01:00' }])).toBe(
      'bands[1] and bands[0] both cover sun 23:00-24:00; bands may not overlap: change a time or drop a day from one of them',
    );
    expect(tariffBandOverlap([{ days: ['sun'], time: '22:00-06:00' }, { days: ['mon'], time: '05:00-07:00' }])).toBe(
      'bands[1] and bands[0] both cover mon 05:00-06:00; bands may not overlap: change a time or drop a day from one of them',
    );
    expect(tariffBandOverlap([{ days: ['sat'], time: '20:00-04:00' }, { days: ['sat'], time: '21:00-03:00' }])).toBe(
      'bands[1] and bands[0] both cover sat 21:00-03:00; bands may not overlap: change a time or drop a day from one of them',
    );
  });
});

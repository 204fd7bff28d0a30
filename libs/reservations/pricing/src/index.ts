export { priceWindow, PRICED_WINDOW_MAX_DAYS, type PricingSite, type Quote, type QuoteDay, type QuoteLine, type TierCharge, type TimeWindow } from './price-window';
export { selectTariff, type TariffChoice } from './select-tariff';
export { cancellationCharge, type CancellationCharge, type CancellationPolicy } from './cancellation';
export { overstayCharge, type OverstayCharge, type OverstayDay } from './overstay';
export { checkBookingRules, type BookingRule, type BookingRules, type BookingRuleViolation } from './booking-rules';
export { openStretches, type OpeningHours } from './opening-hours';
export { applyTax, mulDivHalfUp, type TaxedAmount, type TaxMode } from './money';
export type { RateTier, Tariff, TariffBand } from './tariff';
export { instantOfWall, localTimestamp, WEEKDAYS, type Weekday } from './wall-clock';

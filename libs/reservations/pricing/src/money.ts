/**
 * Money is an integer of the currency's minor unit from end to end. Every division is said
 * here once: a × b / c rounded half up (0.5 goes up), in BigInt so no product loses a digit.
 */

export function mulDivHalfUp(a: number, b: number, c: number): number {
  for (const n of [a, b, c]) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${n} is no non-negative integer`);
  }
  if (c === 0) throw new RangeError('division by zero');
  const numerator = BigInt(a) * BigInt(b);
  const divisor = BigInt(c);
  const result = (numerator * 2n + divisor) / (divisor * 2n);
  if (result > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('amount too large');
  return Number(result);
}

/** 19 → 1900, 7.7 → 770: a percentage with at most two decimals as an exact integer. */
export function basisPoints(percent: number): number {
  const points = Math.round(percent * 100);
  if (!Number.isFinite(percent) || percent < 0 || Math.abs(percent * 100 - points) > 1e-6) {
    throw new RangeError(`${percent} is no percentage with at most two decimals`);
  }
  return points;
}

export type TaxMode = 'included' | 'added';

export interface TaxedAmount {
  net: number;
  tax: number;
  total: number;
}

/**
 * `included`: `amount` is gross; its tax part is amount × rate / (100 + rate), rounded half up.
 * `added`: `amount` is net; tax is amount × rate / 100, rounded half up, and comes on top.
 */
export function applyTax(amount: number, taxMode: TaxMode, taxRatePercent: number): TaxedAmount {
  const points = basisPoints(taxRatePercent);
  if (taxMode === 'included') {
    const tax = mulDivHalfUp(amount, points, 10_000 + points);
    return { net: amount - tax, tax, total: amount };
  }
  const tax = mulDivHalfUp(amount, points, 10_000);
  return { net: amount, tax, total: amount + tax };
}

import { basisPoints, mulDivHalfUp } from './money';
import { MINUTE_MS } from './wall-clock';

export interface CancellationPolicy {
  /** Cancelling at least this long before the start is free. */
  freeUntilMinutesBefore: number;
  /** Exactly one of the two. */
  fee: { fixed?: number | null; percentOfPrice?: number | null };
}

export interface CancellationCharge {
  amount: number;
  free: boolean;
  /** The last instant at which cancelling is free. */
  freeUntil: Date;
}

/**
 * What cancelling a booking costs. Free up to and including `freeUntil` (the start minus
 * `freeUntilMinutesBefore`); later, also after the start, the fee: a fixed amount or a
 * percentage of the booking's total price rounded half up, never more than that price. The
 * price and the fee are both gross amounts, as the driver pays them.
 */
export function cancellationCharge(policy: CancellationPolicy, booking: { price: number; startsAt: Date; cancelledAt: Date }): CancellationCharge {
  const freeUntil = new Date(booking.startsAt.getTime() - policy.freeUntilMinutesBefore * MINUTE_MS);
  if (booking.cancelledAt.getTime() <= freeUntil.getTime()) return { amount: 0, free: true, freeUntil };
  const { fixed, percentOfPrice } = policy.fee;
  const hasFixed = fixed !== undefined && fixed !== null;
  const hasPercent = percentOfPrice !== undefined && percentOfPrice !== null;
  if (hasFixed === hasPercent) throw new RangeError('a cancellation fee takes exactly one of fixed and percentOfPrice');
  const fee = hasFixed ? fixed : mulDivHalfUp(booking.price, basisPoints(percentOfPrice as number), 10_000);
  return { amount: Math.min(fee, booking.price), free: false, freeUntil };
}

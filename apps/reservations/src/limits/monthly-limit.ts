import { DomainError } from '@parking/problem-details';

/**
 * The refusal of a booking over the plan's reservationsPerMonth (calendar months, UTC). The
 * limit is checked and counted by `reservations.book`, in one conditional upsert of the
 * tenant's month, so concurrent bookings cannot both take the last one; `max` is the newest
 * limit identity announced, else the default plan's.
 */
export function monthlyLimitExceeded(max: number | null, now: Date): DomainError {
  const month = now.toISOString().slice(0, 7);
  return new DomainError(
    'LIMIT_EXCEEDED',
    `The tenant's plan allows ${max} reservations a month, and they are used up for ${month}; wait for next month or ask for a larger plan.`,
    { limit: 'reservationsPerMonth', max },
    { errors: [{ field: 'limits.reservationsPerMonth', message: `at most ${max}` }] },
  );
}

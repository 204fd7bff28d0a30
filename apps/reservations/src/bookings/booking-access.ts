import type { Permission, Principal, ReceivedRpcContext } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import { principalOf } from '@parking/service-runtime';

/** Who may do what to bookings, and whether only to their own. */
export interface BookingAccess {
  principal: Principal;
  /** Set for a caller that holds only `reservations:own`: the bookings it created. */
  ownedBy?: string;
}

/**
 * `reservations:write` (or `:read` for reading) reaches every booking of the tenant;
 * `reservations:own` (partners' API keys) only the caller's own, the rest answering 404.
 */
export function bookingAccess(context: ReceivedRpcContext, need: 'read' | 'write'): BookingAccess {
  const principal = principalOf(context);
  const holds = (permission: Permission) => principal.permissions.includes(permission);
  if (holds('reservations:write') || (need === 'read' && holds('reservations:read'))) return { principal };
  if (holds('reservations:own')) return { principal, ownedBy: principal.actor };
  throw new DomainError('FORBIDDEN', `This needs the permission reservations:${need} (or reservations:own for your own bookings).`, { permission: `reservations:${need}` });
}

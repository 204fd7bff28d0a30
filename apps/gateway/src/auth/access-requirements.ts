import { SetMetadata } from '@nestjs/common';
import type { Permission } from '@parking/contracts';

/** What a route asks of its caller beyond being authenticated. */
export interface AccessRequirement {
  /** Any one of these will do; the first is the one that reaches the most. */
  permissions?: readonly Permission[];
  platformAdmin?: boolean;
}

export const PUBLIC_ROUTE = 'parking:public-route';
export const ACCESS_REQUIREMENT = 'parking:access-requirement';

/** No credentials needed: sign-in routes, health, docs, JWKS, webhooks (they check their own token). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * `@RequirePermission('spaces:write')`: a user's role must grant it, or an API key must carry it
 * as a scope. Several mean any one of them: `@RequirePermission('reservations:write',
 * 'reservations:own')` lets in a key that may only touch its own bookings, which the service
 * then restricts.
 */
export const RequirePermission = (...permissions: [Permission, ...Permission[]]): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_REQUIREMENT, { permissions } satisfies AccessRequirement);

/** Only platform administrators (users whose token says so; never an API key). */
export const RequirePlatformAdmin = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_REQUIREMENT, { platformAdmin: true } satisfies AccessRequirement);

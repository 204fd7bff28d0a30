import { SetMetadata } from '@nestjs/common';
import type { Permission } from '@parking/contracts';

/** What a route asks of its caller beyond being authenticated. */
export interface AccessRequirement {
  permission?: Permission;
  platformAdmin?: boolean;
}

export const PUBLIC_ROUTE = 'parking:public-route';
export const ACCESS_REQUIREMENT = 'parking:access-requirement';

/** No credentials needed: sign-in routes, health, docs, JWKS, webhooks (they check their own token). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** `@RequirePermission('spaces:write')`: a user's role must grant it, or an API key must carry it as a scope. */
export const RequirePermission = (permission: Permission): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_REQUIREMENT, { permission } satisfies AccessRequirement);

/** Only platform administrators (users whose token says so; never an API key). */
export const RequirePlatformAdmin = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_REQUIREMENT, { platformAdmin: true } satisfies AccessRequirement);

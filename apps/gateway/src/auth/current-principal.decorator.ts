import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';

/** Where the guard leaves the authenticated caller (passport's property, for either credential). */
export interface AuthenticatedRequest {
  user?: Principal;
}

export function principalOf(request: AuthenticatedRequest): Principal {
  if (!request.user) throw new DomainError('UNAUTHENTICATED', 'This route needs credentials.');
  return request.user;
}

/** `@CurrentPrincipal() principal: Principal` in a handler of an authenticated route. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal =>
  principalOf(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);

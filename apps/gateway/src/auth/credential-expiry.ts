import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * Where the guard leaves when the request's credential stops being valid, beside the principal
 * (which stays the same for every credential): an access token's `exp`, an API key's expiry.
 * Only what outlives its request (a live stream) needs it.
 */
export interface CredentialLifetime {
  /** Milliseconds since the epoch; absent: the credential does not expire (an API key without expiry). */
  credentialExpiresAt?: number;
}

/** `@CredentialExpiry() expiresAt: number | undefined` in a handler of an authenticated route. */
export const CredentialExpiry = createParamDecorator(
  (_data: unknown, context: ExecutionContext): number | undefined => context.switchToHttp().getRequest<CredentialLifetime>().credentialExpiresAt,
);

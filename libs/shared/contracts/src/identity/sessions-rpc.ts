import { ApiProperty } from '@nestjs/swagger';
import { NoInput } from '../fields/no-input';
import type { OkView } from './acknowledgements';
import { DisplayNameField, EmailField, NewPasswordField, PASSWORD_MAX, PresentedSecretField, TenantSlugField } from './identity-fields';
import { PERMISSIONS, TENANT_ROLES, type Permission, type TenantRole } from './permissions';
import { UsageLimitsView } from './usage-limits';

// ---------------------------------------------------------------------------------------
// Sessions: register, login, refresh, logout, me, jwks. The caller's address and agent
// travel as RPC context (`caller`), for login throttling and audit.
// ---------------------------------------------------------------------------------------

/** Refresh tokens are `rt_` and 43 characters; anything longer than this was never issued. */
export const REFRESH_TOKEN_MAX = 500;

/**
 * `rpc.identity.v1.auth.register`: a new tenant and its owner. With email verification on (the
 * default) nothing is created yet: the answer is `RegistrationAcceptedView` for every address,
 * and the address gets either a verification link (`rpc.identity.v1.auth.verify-email` creates
 * the tenant and signs in) or, when it already has an account, a notice. With verification off
 * the tenant is created at once and the answer is a session; a taken email is then 409
 * CONFLICT. A slug a tenant already has is 409 CONFLICT naming `tenantSlug` either way.
 */
export class RegisterRequest {
  @EmailField('ada@example.com') email!: string;
  @NewPasswordField() password!: string;
  @DisplayNameField('Ada Lovelace') name!: string;
  @DisplayNameField('Harbour Car Parks') tenantName!: string;
  @TenantSlugField() tenantSlug!: string;
}

/**
 * `rpc.identity.v1.auth.login`. Wrong password, unknown email and a locked (throttled)
 * account all answer 401 INVALID_CREDENTIALS with the same detail. A suspended tenant: 403
 * TENANT_SUSPENDED. Only the password's shape is checked: a too short one is just a wrong one.
 */
export class LoginRequest {
  @EmailField('ada@example.com') email!: string;
  @PresentedSecretField(PASSWORD_MAX, { example: 'correct horse battery staple' }) password!: string;
}

/** `rpc.identity.v1.auth.refresh`: rotates the refresh token. Unknown, expired, used or revoked: 401 INVALID_TOKEN (a used one also revokes its family). */
export class RefreshRequest {
  @PresentedSecretField(REFRESH_TOKEN_MAX, { example: 'rt_3q2+7w…' }) refreshToken!: string;
}

/** `rpc.identity.v1.auth.logout`: revokes the token's whole family. Idempotent: an unknown token also answers ok. */
export class LogoutRequest extends RefreshRequest {}
export type LogoutResponse = OkView;

/** `rpc.identity.v1.auth.me`: only for a user principal (the context's). */
export class MeRequest extends NoInput {}

/** `rpc.identity.v1.jwks.get`: the public keys (current and recently retired) that verify access tokens. */
export class JwksRequest extends NoInput {}

export type TenantStatus = 'active' | 'suspended';
export const TENANT_STATUSES = ['active', 'suspended'] as const satisfies readonly TenantStatus[];

/** A signed-in session: a short-lived access token and a single-use refresh token. */
export class SessionResponse {
  @ApiProperty({ example: 'eyJhbGciOiJFUzI1NiIsImtpZCI6IjIwMjYtMTEifQ.eyJzdWIiOi…' })
  accessToken!: string;
  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  tokenType!: 'Bearer';
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expiresIn!: number;
  @ApiProperty({ example: 'rt_3q2+7w…', description: 'Single use: every refresh returns a new one' })
  refreshToken!: string;
  /** Seconds until the refresh token (and its family) expires. */
  @ApiProperty({ example: 2592000 })
  refreshExpiresIn!: number;
  @ApiProperty({ format: 'uuid', example: '6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33' })
  userId!: string;
  @ApiProperty({ format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' })
  tenantId!: string;
}
/** What registration answers while email verification is on, whatever the address: nothing tells a taken email from a new one. */
export class RegistrationAcceptedView {
  @ApiProperty({ enum: [true], example: true })
  accepted!: true;
  /** What happens next: follow the link mailed to the address (`POST /api/v1/auth/verify-email`). */
  @ApiProperty({ enum: ['email-sent'], example: 'email-sent', description: 'A link was mailed to the address; following it creates the tenant and signs in' })
  verification!: 'email-sent';
}

/** What registration answers: a session when email verification is off, else the same acknowledgement for every address. */
export type RegistrationOutcome = SessionResponse | RegistrationAcceptedView;
/** The session registration answers with email verification off (EMAIL_VERIFICATION_REQUIRED=false). */
export type RegisterResponse = SessionResponse;

/** Registration tokens are `reg_` and 43 characters; anything longer than this was never issued. */
export const REGISTRATION_TOKEN_MAX = 500;

/**
 * `rpc.identity.v1.auth.verify-email`: the token of a registration's mailed link. Creates the
 * tenant and its owner and signs in, once. Unknown, used or expired: 401 INVALID_TOKEN; the
 * email or slug taken meanwhile: 409 CONFLICT naming the field.
 */
export class VerifyEmailRequest {
  @PresentedSecretField(REGISTRATION_TOKEN_MAX, { example: 'reg_V2t9…' }) token!: string;
}
export type VerifyEmailResponse = SessionResponse;
export type LoginResponse = SessionResponse;
export type RefreshResponse = SessionResponse;

class MeUser {
  @ApiProperty({ format: 'uuid', example: '6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33' }) id!: string;
  @ApiProperty({ example: 'ada@example.com' }) email!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name!: string;
  @ApiProperty({ example: false }) isPlatformAdmin!: boolean;
}

class MeTenant {
  @ApiProperty({ format: 'uuid', example: '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10' }) id!: string;
  @ApiProperty({ example: 'Harbour Car Parks' }) name!: string;
  @ApiProperty({ example: 'harbour-car-parks' }) slug!: string;
  @ApiProperty({ enum: TENANT_STATUSES, example: 'active' }) status!: TenantStatus;
}

class MePlan {
  @ApiProperty({ example: 'free' }) id!: string;
  @ApiProperty({ type: UsageLimitsView }) limits!: UsageLimitsView;
}

/** The signed-in user with its tenant, role, permissions, plan and features. */
export class MeResponse {
  @ApiProperty({ type: MeUser }) user!: MeUser;
  @ApiProperty({ type: MeTenant }) tenant!: MeTenant;
  @ApiProperty({ enum: TENANT_ROLES, example: 'owner' }) role!: TenantRole;
  @ApiProperty({ enum: PERMISSIONS, isArray: true, example: ['spaces:read', 'spaces:write'] }) permissions!: Permission[];
  @ApiProperty({ type: MePlan }) plan!: MePlan;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'boolean' }, example: { reservations: true } }) features!: Record<string, boolean>;
}

export class JwksResponse {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [{ kty: 'EC', crv: 'P-256', kid: '2026-11', use: 'sig', alg: 'ES256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }],
  })
  keys!: Array<Record<string, unknown>>;
}

import type { CallerContext, OkResponse } from './identity-rpc';

// ---------------------------------------------------------------------------------------
// Password reset
// ---------------------------------------------------------------------------------------

/** `rpc.identity.v1.password-reset.request`: always `{accepted: true}`, whether or not the email exists. */
export interface RequestPasswordResetRequest {
  email: string;
  caller: CallerContext;
}
export interface AcceptedResponse {
  accepted: true;
}
export type RequestPasswordResetResponse = AcceptedResponse;

/** `rpc.identity.v1.password-reset.confirm`: single use; revokes every session of the user. Bad or used token: 401 INVALID_TOKEN. */
export interface ConfirmPasswordResetRequest {
  token: string;
  newPassword: string;
  caller: CallerContext;
}
export type ConfirmPasswordResetResponse = OkResponse;

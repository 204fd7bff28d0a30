import type { AcceptedView, OkView } from './acknowledgements';
import { EmailField, NewPasswordField, PresentedSecretField } from './identity-fields';

// ---------------------------------------------------------------------------------------
// Password reset
// ---------------------------------------------------------------------------------------

/** Mailed tokens (`pwr_`, `inv_` and 43 characters); anything longer than this was never issued. */
export const MAILED_TOKEN_MAX = 500;

/** `rpc.identity.v1.password-reset.request`: always `{accepted: true}`, whether or not the email exists. */
export class RequestPasswordResetRequest {
  @EmailField('ada@example.com') email!: string;
}
export type RequestPasswordResetResponse = AcceptedView;

/** `rpc.identity.v1.password-reset.confirm`: single use; revokes every session of the user. Bad or used token: 401 INVALID_TOKEN. */
export class ConfirmPasswordResetRequest {
  @PresentedSecretField(MAILED_TOKEN_MAX, { example: 'prt_k1Jd…' }) token!: string;
  @NewPasswordField('another horse battery staple') newPassword!: string;
}
export type ConfirmPasswordResetResponse = OkView;

import { Provider } from '@nestjs/common';
import { SecretBox } from '@parking/secret-box';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity-config';

/** Under INTEGRATION_SECRETS_KEY, which the gateway holds too: webhook HMAC secrets only. */
export class IntegrationSecretBox extends SecretBox {}

/** SecretBox is identity's own (SECRETS_KEY): the signing keys; IntegrationSecretBox is shared with the gateway. */
export const secretBoxProviders: Provider[] = [
  {
    provide: SecretBox,
    useFactory: (config: IdentityConfig) => new SecretBox(config.secrets.key, config.secrets.previousKeys),
    inject: [IDENTITY_CONFIG],
  },
  {
    provide: IntegrationSecretBox,
    useFactory: (config: IdentityConfig) => new IntegrationSecretBox(config.integrationSecrets.key, config.integrationSecrets.previousKeys),
    inject: [IDENTITY_CONFIG],
  },
];

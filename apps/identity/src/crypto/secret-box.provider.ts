import { Provider } from '@nestjs/common';
import { SecretBox } from '@parking/secret-box';
import { IDENTITY_CONFIG, IdentityConfig } from '../config/identity-config';

export const secretBoxProvider: Provider = {
  provide: SecretBox,
  useFactory: (config: IdentityConfig) => new SecretBox(config.secrets.key, config.secrets.previousKeys),
  inject: [IDENTITY_CONFIG],
};

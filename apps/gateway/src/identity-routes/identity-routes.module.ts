import { Module } from '@nestjs/common';
import { ApiKeysController } from './api-keys.controller';
import { JwksController } from './jwks.controller';
import { PasswordResetController } from './password-reset.controller';
import { PlatformAdminController } from './platform-admin.controller';
import { SessionsController } from './sessions.controller';
import { UsersController } from './users.controller';
import { WebhookIntegrationsController } from './webhook-integrations.controller';

/** The REST face of identity: thin controllers that validate with the contracts' classes and forward over NATS. */
@Module({
  controllers: [
    SessionsController,
    PasswordResetController,
    JwksController,
    UsersController,
    ApiKeysController,
    WebhookIntegrationsController,
    PlatformAdminController,
  ],
})
export class IdentityRoutesModule {}

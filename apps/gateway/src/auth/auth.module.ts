import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AccessEndings } from './access-endings';
import { AccessGuard } from './access.guard';
import { AccessTokenStrategy } from './access-token.strategy';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { JwksKeyStore } from './jwks-key-store';

/** Authentication and authorisation of every REST route: one global guard, public routes opt out. */
@Module({
  imports: [PassportModule],
  providers: [JwksKeyStore, ApiKeyAuthenticator, AccessEndings, AccessTokenStrategy, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [JwksKeyStore, ApiKeyAuthenticator, AccessEndings],
})
export class AuthModule {}

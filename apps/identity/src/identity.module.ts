import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { createIdentityDatabase } from '@parking/identity/data-access';
import { dataServiceImports, retentionDays } from '@parking/service-runtime';
import { AdminRpc } from './admin/admin.rpc';
import { AdminUseCases } from './admin/admin.use-cases';
import { ApiKeysRpc } from './api-keys/api-keys.rpc';
import { ApiKeysUseCases } from './api-keys/api-keys.use-cases';
import { AuthenticateApiKeyUseCase } from './api-keys/authenticate-api-key.use-case';
import { StartupSeeds } from './bootstrap/startup-seeds';
import { IDENTITY_CONFIG, IdentityConfig } from './config/identity-config';
import { IntegrationSnapshotUseCase } from './integrations/integration-snapshot.use-case';
import { IntegrationsRpc } from './integrations/integrations.rpc';
import { IntegrationsUseCases } from './integrations/integrations.use-cases';
import { ResealIntegrationSecrets } from './integrations/reseal-integration-secrets';
import { RecordDeliveriesUseCase } from './integrations/record-deliveries.use-case';
import { InvitationsUseCases } from './invitations/invitations.use-cases';
import { PasswordResetUseCases } from './password-reset/password-reset.use-cases';
import { UsersRpc } from './users/users.rpc';
import { UsersUseCases } from './users/users.use-cases';
import { PasswordHasher } from './crypto/password-hasher';
import { secretBoxProviders } from './crypto/secret-box.provider';
import { Mailer } from './mail/mailer';
import { LoginThrottle } from './sessions/login-throttle';
import { LoginUseCase } from './sessions/login.use-case';
import { LogoutUseCase } from './sessions/logout.use-case';
import { MeUseCase } from './sessions/me.use-case';
import { RefreshUseCase } from './sessions/refresh.use-case';
import { RegisterUseCase } from './sessions/register.use-case';
import { SessionIssuer } from './sessions/session-issuer';
import { SessionsRpc } from './sessions/sessions.rpc';
import { AccessTokenIssuer } from './tokens/access-token-issuer';
import { JwksRpc } from './tokens/jwks.rpc';
import { SigningKeys } from './tokens/signing-keys';

const INFRASTRUCTURE: Provider[] = [...secretBoxProviders, PasswordHasher, SigningKeys, AccessTokenIssuer, SessionIssuer, LoginThrottle, Mailer];

const USE_CASES: Provider[] = [
  RegisterUseCase,
  LoginUseCase,
  RefreshUseCase,
  LogoutUseCase,
  MeUseCase,
  ApiKeysUseCases,
  AuthenticateApiKeyUseCase,
  IntegrationsUseCases,
  IntegrationSnapshotUseCase,
  RecordDeliveriesUseCase,
  ResealIntegrationSecrets,
  UsersUseCases,
  InvitationsUseCases,
  PasswordResetUseCases,
  AdminUseCases,
  StartupSeeds,
];

const RPC_HANDLERS: Type[] = [SessionsRpc, JwksRpc, ApiKeysRpc, IntegrationsRpc, UsersRpc, AdminRpc];

/** The identity service: tenants, users, roles, tokens, API keys, webhook integrations, plans and limits. */
@Module({})
export class IdentityModule {
  static forRoot(config: IdentityConfig): DynamicModule {
    return {
      module: IdentityModule,
      imports: dataServiceImports(config, {
        database: () => createIdentityDatabase({ url: config.database.url, poolMax: config.database.poolMax }),
        // A refresh token a day past its expiry: refused as expired until then, unknown after.
        retention: [{ target: 'refresh_tokens', keepMs: retentionDays(1) }],
      }),
      controllers: RPC_HANDLERS,
      providers: [{ provide: IDENTITY_CONFIG, useValue: config }, ...INFRASTRUCTURE, ...USE_CASES],
    };
  }
}

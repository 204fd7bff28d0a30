import { DynamicModule, Module } from '@nestjs/common';
import { STREAMS } from '@parking/contracts';
import { createIdentityDatabase } from '@parking/identity/data-access';
import { DataServiceConfig, dataServiceImports } from '@parking/service-runtime';

/** The identity service: tenants, users, roles, tokens, API keys, webhook integrations, plans and limits. */
@Module({})
export class IdentityModule {
  static forRoot(config: DataServiceConfig): DynamicModule {
    return {
      module: IdentityModule,
      imports: dataServiceImports(config, {
        database: () => createIdentityDatabase({ url: config.database.url, poolMax: config.database.poolMax }),
        streams: [STREAMS.IDENTITY],
      }),
    };
  }
}

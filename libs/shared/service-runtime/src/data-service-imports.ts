import { DynamicModule, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { natsAccessOf, STREAMS } from '@parking/contracts';
import { PgSqlClient, RawSqlClient, serviceSchema, SqlTemplate, TenantDatabase } from '@parking/database';
import { ConsumerDefinition, MessagingModule, NatsReadiness, OutboxOptions } from '@parking/messaging-nest';
import { ReadinessRegistry } from './readiness-registry';
import type { RetentionTarget } from './retention/retention-purger';
import { RetentionModule } from './retention/retention.module';
import { DataServiceConfig } from './service-config';
import { ServiceRuntimeModule } from './service-runtime.module';
import { TENANT_DATABASE, TenantDatabaseModule } from './tenant-database.module';

@Injectable()
class NatsReadinessRegistration implements OnModuleInit {
  constructor(
    private readonly nats: NatsReadiness,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('nats', () => this.nats.check());
  }
}

@Module({ providers: [NatsReadinessRegistration] })
class NatsReadinessModule {}

export interface DataServiceParts {
  /** Creates the service's TenantDatabase (its data-access library's factory). */
  database: () => TenantDatabase;
  consumers?: ConsumerDefinition[];
  outbox?: OutboxOptions;
  /** How the raw database builds tagged-template SQL (the service's Prisma.sql), if its hot path uses it. */
  sqlTemplate?: SqlTemplate;
  /** The service's own tables that retention purges (`<schema>.retention_rules`), beside the outbox and inbox. */
  retention?: RetentionTarget[];
}

/**
 * The modules every data-owning service imports: runtime (config, logs, health, metrics,
 * problem+json), its TenantDatabase, messaging (publisher, outbox relay, consumers) and
 * retention (what its tables forget, and when). The
 * streams it owns and the ones it consumes come from its entry in `NATS_ACCESS`.
 */
export function dataServiceImports(config: DataServiceConfig, parts: DataServiceParts): DynamicModule[] {
  const access = natsAccessOf(config.service);
  return [
    ServiceRuntimeModule.forRoot(config),
    TenantDatabaseModule.forRoot(parts.database, () => rawDatabase(config, RAW_POOL_MAX, 'raw', parts.sqlTemplate)),
    MessagingModule.forRoot({
      service: config.service,
      natsUrl: config.nats.url,
      natsAuth: config.nats.auth,
      namespace: config.nats.namespace,
      // What the service provisions is what its NATS user may provision: one declaration for both.
      streams: access.owns.map((name) => STREAMS[name]),
      ensuredStreams: access.ensures.map((name) => STREAMS[name]),
      streamReplicas: config.nats.streamReplicas,
      streamLimits: config.nats.streamLimits,
      database: TENANT_DATABASE,
      consumers: parts.consumers,
      // Over node-postgres like the raw database, in a pool of its own so busy consumers never keep the relay waiting.
      outbox: { database: () => rawDatabase(config, 2, 'outbox-relay'), ...parts.outbox },
    }),
    { module: NatsReadinessModule },
    RetentionModule.forRoot(config, parts.retention),
  ];
}

/** Connections of the raw pool (the hot consumers run a few transactions at a time). */
const RAW_POOL_MAX = 4;

function rawDatabase(config: DataServiceConfig, max: number, purpose: string, template?: SqlTemplate): TenantDatabase<RawSqlClient> {
  const client = new PgSqlClient({ url: config.database.url, max, applicationName: `${config.service}-${purpose}`, template });
  return new TenantDatabase({ client, schema: serviceSchema(config.service).schema });
}

/**
 * A probe service for the trace-propagation test: an HTTP route that writes an event to the
 * outbox, and a JetStream consumer of that event that logs a line. Between the two the
 * event crosses the outbox table, the relay and NATS, as every real event does.
 */
import './tracing';
import { Controller, Inject, Logger, Module, Post } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IdentityEvents } from '@parking/contracts';
import type { TenantDatabase } from '@parking/database';
// The probe needs some real service schema with an outbox; identity's serves.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createIdentityDatabase } from '@parking/identity/data-access';
import { OutboxWriter } from '@parking/messaging';
import { TENANT_DATABASE, bootDataServiceConfig, dataServiceImports, runService } from '../../src';

@Controller('probe')
class ProbeController {
  constructor(
    @Inject(TENANT_DATABASE) private readonly database: TenantDatabase,
    private readonly outbox: OutboxWriter,
  ) {}

  @Post()
  async emit(): Promise<{ eventId: string }> {
    const tenantId = randomUUID();
    const envelope = await this.database.withTenant(tenantId, (tx) =>
      this.outbox.append(tx, IdentityEvents.TenantCreatedV1, {
        tenantId,
        aggregateId: tenantId,
        data: { tenantId, name: 'Trace probe', slug: 'trace-probe', plan: 'standard', createdAt: new Date().toISOString() },
      }),
    );
    return { eventId: envelope.id };
  }
}

const config = bootDataServiceConfig('identity', 3999);
const logger = new Logger('TraceProbeConsumer');

@Module({
  imports: dataServiceImports(config, {
    database: () => createIdentityDatabase({ url: config.database.url }),
    consumers: [
      {
        purpose: 'trace-probe',
        stream: 'IDENTITY',
        filterSubject: 'identity.tenant.created.v1.>',
        handler: async (envelope) => logger.log({ eventId: envelope.id }, 'consumer handled the event'),
      },
    ],
  }),
  controllers: [ProbeController],
})
class TraceProbeModule {}

void runService({ config, module: TraceProbeModule });

import { Inject, Injectable } from '@nestjs/common';
import type { EnqueueDownlinkAnswer, EnqueueDownlinkRequest, FlushDownlinkQueueAnswer, FlushDownlinkQueueRequest } from '@parking/contracts';
import type { TemplateSqlClient, TenantDatabase } from '@parking/database';
import { DomainError } from '@parking/problem-details';
import { RAW_TENANT_DATABASE } from '@parking/service-runtime';
import { createHash } from 'node:crypto';
import { ChirpStackClients } from '../chirpstack/chirpstack-clients';
import type { ChirpStackClient } from '../chirpstack/chirpstack-client';
import { callErrorOf, domainErrorOf, type ChirpStackCallError } from '../chirpstack/chirpstack-errors';
import { callTargetOf } from '../connections/connection-rows';
import { ConnectionsUseCase } from '../connections/connections.use-case';

interface CommandRow {
  request_hash: string;
  outcome: 'queued' | 'unknown';
  queue_item_id: string | null;
}

/** What a command came to inside its unit of work: an answer, or a failure to throw once the record of it has committed. */
type Outcome = { answer: EnqueueDownlinkAnswer } | { failure: DomainError };

/** What makes two commands the same frame. */
function frameHash(request: EnqueueDownlinkRequest): string {
  const { devEui, fPort, data, confirmed, flushQueue, expiresAt } = request;
  return createHash('sha256')
    .update(JSON.stringify([devEui, fPort, data, confirmed, flushQueue ?? false, expiresAt ? new Date(expiresAt).toISOString() : null]))
    .digest('base64url');
}

/**
 * The one door to ChirpStack's downlink queues. A command runs under a transaction lock on its
 * id, held across the call to ChirpStack, so a repeat that arrives while the first still runs
 * waits for it and answers its queue item. When the call's outcome is unknown (its deadline
 * passed), that is recorded; a repeat then looks for the frame in the device's queue and adopts
 * it, and queues it again only when it is not there (it never arrived, or has gone out).
 * A device's frames go through the connection the device is in (else its application's, else the default).
 */
@Injectable()
export class DownlinksUseCase {
  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    private readonly connections: ConnectionsUseCase,
    private readonly clients: ChirpStackClients,
  ) {}

  async enqueue(request: EnqueueDownlinkRequest): Promise<EnqueueDownlinkAnswer> {
    const hash = frameHash(request);
    const outcome = await this.db.withTenant(request.tenantId, async (tx): Promise<Outcome> => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`chirpstack.downlink:${request.tenantId}:${request.commandId}`}, 0))`;
      const [prior] = await tx.$queryRaw<CommandRow[]>`
        SELECT request_hash, outcome, queue_item_id FROM chirpstack.downlink_commands WHERE command_id = ${request.commandId}`;
      if (prior && prior.request_hash !== hash) {
        throw new DomainError('VALIDATION_FAILED', `Command ${request.commandId} was a different frame; give each frame a command id of its own.`, undefined, {
          errors: [{ field: 'commandId', message: 'was used for a different frame' }],
        });
      }
      if (prior?.outcome === 'queued' && prior.queue_item_id) return { answer: { queueItemId: prior.queue_item_id, replayed: true } };

      const connection = await this.connections.openForDevEui(tx, request.devEui);
      const client = this.clients.for(callTargetOf(connection));
      try {
        const found = prior ? await this.alreadyQueued(client, request) : undefined;
        const queueItemId = found ?? (await client.enqueue({ devEui: request.devEui, fPort: request.fPort, data: Buffer.from(request.data, 'base64'), confirmed: request.confirmed, ...(request.expiresAt ? { expiresAt: new Date(request.expiresAt) } : {}) }, request.flushQueue ?? false));
        await this.record(tx, request, hash, connection.id, queueItemId);
        return { answer: { queueItemId, replayed: found !== undefined } };
      } catch (caught) {
        const error = callErrorOf('DeviceService.Enqueue', caught);
        // A deadline leaves the frame perhaps queued: remember it, so a repeat looks first.
        if (error.failure === 'timeout') await this.record(tx, request, hash, connection.id, null);
        return { failure: this.failureOf(error, connection.id, request) };
      }
    });
    if ('failure' in outcome) throw outcome.failure;
    return outcome.answer;
  }

  async flush(request: FlushDownlinkQueueRequest): Promise<FlushDownlinkQueueAnswer> {
    const connection = await this.db.withTenant(request.tenantId, (tx) => this.connections.openForDevEui(tx, request.devEui));
    try {
      await this.clients.for(callTargetOf(connection)).flushQueue(request.devEui);
    } catch (caught) {
      throw this.failureOf(callErrorOf('DeviceService.FlushQueue', caught), connection.id, request);
    }
    return { flushed: true };
  }

  /** The id of a queued frame of the device that matches this command (its port, bytes and confirmation). */
  private async alreadyQueued(client: ChirpStackClient, request: EnqueueDownlinkRequest): Promise<string | undefined> {
    const data = Buffer.from(request.data, 'base64');
    const queue = await client.getQueue(request.devEui);
    return queue.find((item) => item.fPort === request.fPort && item.confirmed === request.confirmed && item.data.equals(data))?.id;
  }

  private async record(tx: TemplateSqlClient, request: EnqueueDownlinkRequest, hash: string, connectionId: string, queueItemId: string | null): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO chirpstack.downlink_commands (tenant_id, command_id, dev_eui, request_hash, connection_id, outcome, queue_item_id)
      VALUES (${request.tenantId}::uuid, ${request.commandId}, ${request.devEui}, ${hash}, ${connectionId}::uuid,
              ${queueItemId ? 'queued' : 'unknown'}, ${queueItemId}::uuid)
      ON CONFLICT (tenant_id, command_id) DO UPDATE
        SET outcome = EXCLUDED.outcome, queue_item_id = EXCLUDED.queue_item_id, connection_id = EXCLUDED.connection_id, updated_at = now()`;
  }

  private failureOf(error: ChirpStackCallError, connectionId: string, request: { devEui: string }): DomainError {
    if (error.failure === 'not_found') return new DomainError('NOT_FOUND', `ChirpStack (connection ${connectionId}) has no device ${request.devEui}.`);
    return domainErrorOf(error, connectionId);
  }
}

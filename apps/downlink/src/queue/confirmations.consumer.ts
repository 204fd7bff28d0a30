import { Injectable } from '@nestjs/common';
import { DownlinkEvents, EventEnvelope, IngestEvents, STREAMS } from '@parking/contracts';
import type { DownlinkTransaction } from '@parking/downlink/data-access';
import { OutboxWriter } from '@parking/messaging';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';
import { record, stepOf, type CommandRef } from './command-history';

/** A refusing gateway sends nothing for this long, doubling with each refusal in a row, up to the maximum. */
const BACKOFF_FIRST_S = 15;
const BACKOFF_MAX_S = 600;

/**
 * ChirpStack's word on the frames the queue sent, as ingest announces it. A txack (a gateway
 * transmitted it) or an ack stops the retries: the display is known to show the frame, from the
 * gateway the txack names; an ack with acknowledged=false leaves the retries running. A failed
 * downlink is recorded, and a gateway's refusal (DOWNLINK_GATEWAY, e.g. DUTY_CYCLE_OVERFLOW)
 * makes that gateway wait before the next frame. A confirmation is matched by ChirpStack's queue
 * item; one that names none goes to the display's frame on its way.
 */
@Injectable()
export class ConfirmationsConsumer implements EventConsumer<DownlinkTransaction> {
  constructor(private readonly outbox: OutboxWriter) {}

  async handle(envelope: EventEnvelope, tx: DownlinkTransaction): Promise<void> {
    if (envelope.type === IngestEvents.DOWNLINK_CONFIRMED_V1) return this.confirmed(envelope.data as IngestEvents.DownlinkConfirmedV1Data, tx);
    if (envelope.type === IngestEvents.DOWNLINK_FAILED_V1) return this.failed(envelope.data as IngestEvents.DownlinkFailedV1Data, tx);
  }

  private async confirmed(data: IngestEvents.DownlinkConfirmedV1Data, tx: DownlinkTransaction): Promise<void> {
    const command = await this.sentCommand(tx, data.devEui, data.queueItemId);
    if (!command) return;
    const at = new Date(data.confirmedAt);
    if (data.confirmation === 'ack' && !data.acknowledged) {
      await record(tx, data.tenantId, command.id, 'nack', { queueItemId: data.queueItemId }, at);
      return;
    }
    const gatewayId = data.gatewayId ?? command.gateway_id;
    await tx.$executeRaw`UPDATE downlink.commands SET state = 'confirmed', confirmed_at = ${at}::timestamptz, updated_at = now() WHERE id = ${command.id}::uuid`;
    await tx.$executeRaw`
      UPDATE downlink.displays d SET shows_port = c.f_port, shows_frame = c.frame, shows_at = ${at}::timestamptz, faulty_at = NULL, faulty_reason = NULL,
             gateway_id = COALESCE(${data.gatewayId}, d.gateway_id), updated_at = now()
        FROM downlink.commands c WHERE c.id = ${command.id}::uuid AND d.id = c.display_id`;
    if (gatewayId) await tx.$executeRaw`UPDATE downlink.gateway_backoff SET rejections = 0 WHERE gateway_id = ${gatewayId}`;
    await record(tx, data.tenantId, command.id, data.confirmation, { queueItemId: data.queueItemId, gatewayId }, at);
    await this.outbox.append(tx, DownlinkEvents.CommandConfirmedV1, {
      tenantId: data.tenantId,
      aggregateId: command.display_id,
      data: stepOf(data.tenantId, command, at, { queueItemId: data.queueItemId, gatewayId }),
    });
  }

  private async failed(data: IngestEvents.DownlinkFailedV1Data, tx: DownlinkTransaction): Promise<void> {
    const command = await this.sentCommand(tx, data.devEui, data.queueItemId);
    if (!command) return;
    const at = new Date(data.failedAt);
    const gatewayId = data.gatewayId ?? command.gateway_id;
    const reason = data.txStatus ?? data.code;
    if (data.code === 'DOWNLINK_GATEWAY' && gatewayId) {
      await tx.$executeRaw`
        INSERT INTO downlink.gateway_backoff AS b (gateway_id, rejections, slow_until, last_status)
        VALUES (${gatewayId}, 1, ${at}::timestamptz + make_interval(secs => ${BACKOFF_FIRST_S}), ${reason})
        ON CONFLICT (gateway_id) DO UPDATE SET rejections = b.rejections + 1, last_status = EXCLUDED.last_status, updated_at = now(),
          slow_until = GREATEST(b.slow_until, ${at}::timestamptz + make_interval(secs => LEAST(${BACKOFF_MAX_S}, ${BACKOFF_FIRST_S} * power(2, b.rejections))))`;
    }
    await record(tx, data.tenantId, command.id, 'failed', { code: data.code, txStatus: data.txStatus, queueItemId: data.queueItemId, gatewayId }, at);
    await this.outbox.append(tx, DownlinkEvents.CommandFailedV1, {
      tenantId: data.tenantId,
      aggregateId: command.display_id,
      data: stepOf(data.tenantId, command, at, { queueItemId: data.queueItemId, gatewayId, reason }),
    });
  }

  /** The command a confirmation speaks of: by ChirpStack's queue item, else the display's frame on its way. */
  private async sentCommand(tx: DownlinkTransaction, devEui: string, queueItemId: string | null): Promise<CommandRef | undefined> {
    const [command] = queueItemId
      ? await tx.$queryRaw<CommandRef[]>`
          SELECT c.id, c.display_id, d.dev_eui, c.sends, c.gateway_id, c.queue_item_id FROM downlink.commands c JOIN downlink.displays d ON d.id = c.display_id
           WHERE c.queue_item_id = ${queueItemId} AND c.state = 'sent' FOR UPDATE OF c`
      : await tx.$queryRaw<CommandRef[]>`
          SELECT c.id, c.display_id, d.dev_eui, c.sends, c.gateway_id, c.queue_item_id FROM downlink.commands c JOIN downlink.displays d ON d.id = c.display_id
           WHERE d.dev_eui = ${devEui} AND c.state = 'sent' FOR UPDATE OF c`;
    return command;
  }
}

/** Confirmations and failures of every device's downlinks (a few per frame): one consumer, in order. */
export const CONFIRMATIONS_CONSUMER: ConsumerDefinition = {
  purpose: 'confirmations',
  stream: STREAMS.INGEST.name,
  filterSubject: 'ingest.downlink.>',
  handler: ConfirmationsConsumer,
  concurrency: 1,
};

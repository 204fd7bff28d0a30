import { Injectable } from '@nestjs/common';
import { DownlinkEvents, EventEnvelope, IngestEvents, STREAMS } from '@parking/contracts';
import type { DownlinkTransaction } from '@parking/downlink/data-access';
import { displayCodecById } from '@parking/downlink/signage';
import { OutboxWriter } from '@parking/messaging';
import type { ConsumerDefinition, EventConsumer } from '@parking/messaging-nest';
import { record, stepOf, type CommandRef } from './command-history';
import { SignPlanner } from './sign-planner';

interface ReportedDisplay {
  id: string;
  codec: string;
  gateway_seen_at: Date | null;
}

type SentCommand = CommandRef & { f_port: number; frame: Uint8Array };

/**
 * What a display reports (ingest.display.reported.v1): the gateway that heard it best carries
 * its next downlinks, and its echo is what it really shows. An echo of the frame on its way
 * confirms it; an echo of something else (a sign reset, a frame lost) queues the right frame
 * again, which the planner skips when the echo already is the right one.
 */
@Injectable()
export class DisplayReportsConsumer implements EventConsumer<DownlinkTransaction> {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly planner: SignPlanner,
  ) {}

  async handle(envelope: EventEnvelope, tx: DownlinkTransaction): Promise<void> {
    if (envelope.type !== IngestEvents.DISPLAY_REPORTED_V1) return;
    const report = envelope.data as IngestEvents.DisplayReportedV1Data;
    const at = new Date(report.receivedAt);
    const displays = await tx.$queryRaw<ReportedDisplay[]>`
      SELECT id, codec, gateway_seen_at FROM downlink.displays WHERE tenant_id = ${report.tenantId}::uuid AND device_id = ${report.deviceId}::uuid FOR UPDATE`;
    for (const display of displays) {
      const best = [...report.gateways].sort((a, b) => (b.rssi ?? -Infinity) - (a.rssi ?? -Infinity))[0];
      if (best && (!display.gateway_seen_at || display.gateway_seen_at < at)) {
        await tx.$executeRaw`
          UPDATE downlink.displays SET gateway_id = ${best.gatewayId}, gateway_rssi = ${best.rssi}::real, gateway_seen_at = ${at}::timestamptz WHERE id = ${display.id}::uuid`;
      }
      const echo = displayCodecById(display.codec)?.echoOf(report.fields);
      if (!echo) continue;
      const bytes = Buffer.from(echo.bytes);
      await tx.$executeRaw`
        UPDATE downlink.displays SET shows_port = ${echo.fPort}::int, shows_frame = ${bytes}, shows_at = ${at}::timestamptz, updated_at = now() WHERE id = ${display.id}::uuid`;
      const [sent] = await tx.$queryRaw<SentCommand[]>`
        SELECT id, display_id, ${report.devEui} AS dev_eui, f_port, frame, sends, queue_item_id, gateway_id FROM downlink.commands WHERE display_id = ${display.id}::uuid AND state = 'sent' FOR UPDATE`;
      if (sent && sent.f_port === echo.fPort && Buffer.from(sent.frame).equals(bytes)) {
        await tx.$executeRaw`UPDATE downlink.commands SET state = 'confirmed', confirmed_at = ${at}::timestamptz, updated_at = now() WHERE id = ${sent.id}::uuid`;
        await tx.$executeRaw`UPDATE downlink.displays SET faulty_at = NULL, faulty_reason = NULL WHERE id = ${display.id}::uuid`;
        await record(tx, report.tenantId, sent.id, 'echo', { frame: bytes.toString('hex') }, at);
        await this.outbox.append(tx, DownlinkEvents.CommandConfirmedV1, {
          tenantId: report.tenantId,
          aggregateId: display.id,
          data: stepOf(report.tenantId, sent, at),
        });
      } else if (!sent) {
        // Not what it should show (nothing is on its way to change it): the right frame again.
        await this.planner.planDisplay(tx, display.id);
      }
    }
  }
}

/** Displays' reports: a few per display an hour. */
export const DISPLAY_REPORTS_CONSUMER: ConsumerDefinition = {
  purpose: 'display-reports',
  stream: STREAMS.INGEST.name,
  filterSubject: `${IngestEvents.DISPLAY_REPORTED_V1}.>`,
  handler: DisplayReportsConsumer,
  concurrency: 1,
};

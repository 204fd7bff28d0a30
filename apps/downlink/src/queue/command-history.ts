import type { DownlinkEvents } from '@parking/contracts';
import type { DownlinkTransaction } from '@parking/downlink/data-access';

/** One step of a command's history (queued, coalesced, superseded, sent, failed, confirmed, nack, dead). */
export async function record(tx: DownlinkTransaction, tenantId: string, commandId: string, outcome: string, detail: Record<string, unknown>, at: Date): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO downlink.command_events (tenant_id, command_id, outcome, detail, at)
    VALUES (${tenantId}::uuid, ${commandId}::uuid, ${outcome}, ${JSON.stringify(detail)}::jsonb, ${at}::timestamptz)`;
}

/** A command as the queue's announcements name it. */
export interface CommandRef {
  id: string;
  display_id: string;
  dev_eui: string;
  sends: number;
  queue_item_id: string | null;
  gateway_id: string | null;
}

/** The data of a command's announcement (sent, confirmed, failed, faulty): the command's own fields unless the step names others. */
export function stepOf(
  tenantId: string,
  command: CommandRef,
  at: Date,
  step: { sends?: number; queueItemId?: string | null; gatewayId?: string | null; reason?: string | null } = {},
): DownlinkEvents.CommandStepV1Data {
  return {
    tenantId,
    commandId: command.id,
    displayId: command.display_id,
    devEui: command.dev_eui,
    sends: step.sends ?? command.sends,
    queueItemId: step.queueItemId !== undefined ? step.queueItemId : command.queue_item_id,
    gatewayId: step.gatewayId !== undefined ? step.gatewayId : command.gateway_id,
    reason: step.reason?.slice(0, 500) ?? null,
    at: at.toISOString(),
  };
}

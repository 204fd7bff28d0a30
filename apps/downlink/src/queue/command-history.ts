import type { DownlinkTransaction } from '@parking/downlink/data-access';

/** One step of a command's history (queued, coalesced, superseded, sent, failed, confirmed, nack, dead). */
export async function record(tx: DownlinkTransaction, tenantId: string, commandId: string, outcome: string, detail: Record<string, unknown>, at: Date): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO downlink.command_events (tenant_id, command_id, outcome, detail, at)
    VALUES (${tenantId}::uuid, ${commandId}::uuid, ${outcome}, ${JSON.stringify(detail)}::jsonb, ${at}::timestamptz)`;
}

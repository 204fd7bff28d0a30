import type { BatchMessage, BatchOutcome } from './batch-consumer-runner';
import { decodeEvent } from './decode-event';

/** One decoded message of a batch, with its place in the batch. */
export interface TenantBatchItem<T> {
  index: number;
  eventId: string;
  subject: string;
  streamSequence: number;
  data: T;
}

/**
 * Decodes a batch of one event type and hands each tenant's share to `work`, one tenant after
 * another. A message that does not decode is poison; a tenant whose work throws has its
 * messages retried (`onFailure` hears of it); the rest are acknowledged.
 */
export async function handleByTenant<T>(
  batch: readonly BatchMessage[],
  eventType: string,
  work: (tenantId: string, items: TenantBatchItem<T>[]) => Promise<void>,
  onFailure: (tenantId: string, items: number, error: unknown) => void,
): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = batch.map(() => ({ kind: 'ack' }));
  const byTenant = new Map<string, TenantBatchItem<T>[]>();
  batch.forEach((message, index) => {
    const decoded = decodeEvent(message, eventType);
    if (!decoded.ok) {
      outcomes[index] = { kind: 'poison', reason: decoded.reason };
      return;
    }
    const { envelope } = decoded;
    const items = byTenant.get(envelope.tenantid) ?? [];
    items.push({ index, eventId: envelope.id, subject: message.subject, streamSequence: message.streamSequence, data: envelope.data as T });
    byTenant.set(envelope.tenantid, items);
  });
  for (const [tenantId, items] of byTenant) {
    try {
      await work(tenantId, items);
    } catch (error) {
      onFailure(tenantId, items.length, error);
      for (const item of items) outcomes[item.index] = { kind: 'retry', error };
    }
  }
  return outcomes;
}

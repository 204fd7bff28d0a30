import type { BatchMessage, BatchOutcome } from './batch-consumer-runner';
import { decodeEvent } from './decode-event';

/** One decoded message of a batch, with its place in the batch. */
export interface TenantBatchItem<T> {
  index: number;
  eventId: string;
  /** The event type, one of those the batch takes. */
  type: string;
  subject: string;
  streamSequence: number;
  data: T;
}

/**
 * Decodes a batch of one event type (or of several) and hands each tenant's share to `work`, in
 * stream order, one tenant after another. A message that does not decode, or is of another type,
 * is poison; a tenant whose work throws has its
 * messages retried (`onFailure` hears of it); the rest are acknowledged.
 */
export async function handleByTenant<T>(
  batch: readonly BatchMessage[],
  eventTypes: string | readonly string[],
  work: (tenantId: string, items: TenantBatchItem<T>[]) => Promise<void>,
  onFailure: (tenantId: string, items: number, error: unknown) => void,
): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = batch.map(() => ({ kind: 'ack' }));
  const byTenant = new Map<string, TenantBatchItem<T>[]>();
  const accepted = typeof eventTypes === 'string' ? [eventTypes] : eventTypes;
  batch.forEach((message, index) => {
    const decoded = decodeEvent(message);
    if (!decoded.ok) {
      outcomes[index] = { kind: 'poison', reason: decoded.reason };
      return;
    }
    const { envelope } = decoded;
    if (!accepted.includes(envelope.type)) {
      outcomes[index] = { kind: 'poison', reason: `unexpected event type ${envelope.type} (expected ${accepted.join(' or ')})` };
      return;
    }
    const items = byTenant.get(envelope.tenantid) ?? [];
    items.push({ index, eventId: envelope.id, type: envelope.type, subject: message.subject, streamSequence: message.streamSequence, data: envelope.data as T });
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

import type { SqlClient } from '@parking/database';
import type { EventEnvelope } from '@parking/contracts';
import { quotedSchema } from './sql-identifier';

/**
 * Records that `consumer` handles this event, in the handler's own transaction. False
 * means another delivery already committed it: JetStream's duplicate window is finite
 * and redeliveries after a crash are not duplicates to it, so the inbox is the last word.
 */
export async function claimInboxEntry(tx: SqlClient, schema: string, consumer: string, envelope: EventEnvelope, subject: string): Promise<boolean> {
  const inserted = await tx.$executeRawUnsafe(
    `INSERT INTO ${quotedSchema(schema)}.inbox (consumer, event_id, tenant_id, subject)
     VALUES ($1, $2::uuid, $3::uuid, $4) ON CONFLICT DO NOTHING`,
    consumer,
    envelope.id,
    envelope.tenantid,
    subject,
  );
  return inserted > 0;
}

/**
 * The batch form of claimInboxEntry: claims the events of one tenant's share of a batch in one
 * statement and answers the items to handle, each once (a redelivery already committed, or a
 * repeat inside the batch, is left out), in batch order.
 */
export async function claimInboxEntries<T extends { eventId: string; subject: string }>(
  tx: SqlClient,
  schema: string,
  consumer: string,
  tenantId: string,
  items: readonly T[],
): Promise<T[]> {
  const claimed = await tx.$queryRawUnsafe<Array<{ event_id: string }>>(
    `INSERT INTO ${quotedSchema(schema)}.inbox (consumer, event_id, tenant_id, subject)
     SELECT $1, e.id, $2::uuid, e.subject FROM unnest($3::uuid[], $4::text[]) AS e(id, subject)
     ON CONFLICT DO NOTHING
     RETURNING event_id::text`,
    consumer,
    tenantId,
    items.map((item) => item.eventId),
    items.map((item) => item.subject),
  );
  const fresh = new Set(claimed.map((row) => row.event_id));
  return items.filter((item) => fresh.delete(item.eventId));
}

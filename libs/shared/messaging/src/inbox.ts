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

import { withClient } from '../ingest/resources';

/**
 * One frame the downlink service's sender sent (or tried to: a call that failed at the sender,
 * e.g. on its deadline, may still have reached ChirpStack): the sender pass's time, and its
 * command's queueing.
 */
export interface DownlinkSend {
  devEui: string;
  /** The frame, hex. */
  frame: string;
  /** The sender pass that sent it (epoch ms): the step's time, which is the pass's start. */
  at: number;
  /** When its command was queued (epoch ms). */
  queuedAt: number;
  /** When chirpstack-sync began handling the call that enqueued it (its command record: the transaction's start), if on record. */
  receivedAt?: number;
}

/** What the downlink service's own tables say happened, for telling where a frame's time went. */
export interface DownlinkTimeline {
  /** When the downlink service began handling each availability event (its inbox row: the handling transaction's start), by event id. */
  handledAt: ReadonlyMap<string, number>;
  /** Every send since the start, oldest first. */
  sends: DownlinkSend[];
}

const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

/** Reads the timeline from the bench database as its superuser (row-level security does not apply). */
export async function readDownlinkTimeline(adminUrl: string, since: Date): Promise<DownlinkTimeline> {
  return withClient(adminUrl, async (client) => {
    const handled = await client.query<{ id: string; at: number }>(
      `SELECT event_id::text AS id, ${epochMs('processed_at')} AS at FROM downlink.inbox WHERE subject LIKE '%.availability_changed.%' AND processed_at >= $1`,
      [since],
    );
    // The sender names each send to chirpstack-sync `<command id>:<sends>`.
    const sends = await client.query<{ dev_eui: string; frame: string; at: number; queued_at: number; received_at: number | null }>(
      `SELECT d.dev_eui, encode(c.frame, 'hex') AS frame, ${epochMs('e.at')} AS at, ${epochMs('c.created_at')} AS queued_at, ${epochMs('r.created_at')} AS received_at
         FROM downlink.command_events e JOIN downlink.commands c ON c.id = e.command_id JOIN downlink.displays d ON d.id = c.display_id
         LEFT JOIN chirpstack.downlink_commands r ON r.command_id = c.id::text || ':' || (e.detail->>'sends')
        WHERE e.outcome IN ('sent', 'failed') AND e.at >= $1
        ORDER BY e.at`,
      [since],
    );
    return {
      handledAt: new Map(handled.rows.map((row) => [row.id, Number(row.at)])),
      sends: sends.rows.map((row) => ({
        devEui: row.dev_eui.toLowerCase(),
        frame: row.frame,
        at: Number(row.at),
        queuedAt: Number(row.queued_at),
        ...(row.received_at === null ? {} : { receivedAt: Number(row.received_at) }),
      })),
    };
  });
}

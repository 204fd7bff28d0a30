import type { JetStreamManager, StoredMsg } from '@nats-io/jetstream';
import {
  AdminReplayDeadLetterResponse,
  DeadLetterView,
  deadLetterSubject,
  Namespace,
  Page,
  Principal,
  STREAMS,
} from '@parking/contracts';
import type { IngestDatabase } from '@parking/ingest/data-access';
import type { DeadLetterRecord } from '@parking/messaging';
import { DomainError, NotFoundError, ValidationFailedError } from '@parking/problem-details';
import { requirePlatformAdmin } from '@parking/service-runtime';
import type { RawWebhookRepublisher } from '../orphans/raw-webhook-republisher';

/** Most stream positions one page may look at, so a stream full of other services' letters cannot stall a request. */
const MAX_SCAN = 5_000;

interface Letter {
  seq: number;
  record: DeadLetterRecord;
}

/**
 * The ingest dead letters (`deadletter.ingest.>` in the DEADLETTER stream), newest first, and
 * their replay: the original message goes back on its subject with its data and headers and
 * a fresh Nats-Msg-Id, at most once per dead letter (ingest.dead_letter_replays).
 */
export class DeadLetterAdmin {
  private readonly stream: string;
  private readonly prefix: string;

  constructor(
    private readonly db: IngestDatabase,
    private readonly jsm: () => Promise<JetStreamManager>,
    private readonly namespace: Namespace,
    private readonly republisher: RawWebhookRepublisher,
  ) {
    this.stream = namespace.stream(STREAMS.DEADLETTER.name);
    this.prefix = namespace.subject(deadLetterSubject('ingest', ''));
  }

  async list(principal: Principal, reason: string, page: { cursor?: string; limit: number }): Promise<Page<DeadLetterView>> {
    requirePlatformAdmin(principal);
    const before = page.cursor === undefined ? undefined : parseCursor(page.cursor);
    // The stream is read before the transaction opens: a long scan must not hold a connection.
    const jsm = await this.jsm();
    const info = await jsm.streams.info(this.stream);
    const letters: Letter[] = [];
    const first = Math.max(1, info.state.first_seq);
    let seq = info.state.messages === 0 ? 0 : Math.min(info.state.last_seq, before === undefined ? Number.MAX_SAFE_INTEGER : before - 1);
    let scanned = 0;
    for (; seq >= first && letters.length <= page.limit && scanned < MAX_SCAN; seq--, scanned++) {
      const letter = await this.letterAt(jsm, seq);
      if (letter) letters.push(letter);
    }
    const shown = letters.slice(0, page.limit);
    const more = letters.length > page.limit || (seq >= first && scanned >= MAX_SCAN);
    const nextCursor = !more ? null : String(letters.length > page.limit ? shown[shown.length - 1].seq : seq + 1);
    return this.db.asPlatformAdmin(principal.actor, reason, async (tx) => {
      const replays = await tx.$queryRawUnsafe<Array<{ seq: number; replayed_at: Date }>>(
        `SELECT seq::float8 AS seq, replayed_at FROM ingest.dead_letter_replays WHERE stream = $1 AND seq = ANY ($2::bigint[])`,
        this.stream,
        shown.map((l) => String(l.seq)),
      );
      const replayed = new Map(replays.map((r) => [r.seq, new Date(r.replayed_at).toISOString()]));
      return { items: shown.map((l) => this.view(l, replayed.get(l.seq) ?? null)), nextCursor };
    });
  }

  async replay(principal: Principal, reason: string, seq: number): Promise<AdminReplayDeadLetterResponse> {
    requirePlatformAdmin(principal);
    return this.db.asPlatformAdmin(principal.actor, reason, async (tx) => {
      const letter = await this.letterAt(await this.jsm(), seq);
      if (!letter) throw new NotFoundError('Ingest dead letter', String(seq));
      const original = letter.record.headers['Nats-Msg-Id'] ?? letter.record.headers['nats-msg-id'] ?? `${letter.record.stream}:${letter.record.streamSequence}`;
      const msgId = `replay:${seq}:${original}`;
      const claimed = await tx.$queryRawUnsafe<Array<{ replayed_at: Date }>>(
        `INSERT INTO ingest.dead_letter_replays (stream, seq, original_subject, msg_id, replayed_by)
         VALUES ($1, $2::bigint, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING replayed_at`,
        this.stream,
        seq,
        letter.record.originalSubject,
        msgId,
        principal.actor,
      );
      if (claimed.length === 0) {
        throw new DomainError('ALREADY_REPLAYED', `Dead letter ${seq} was replayed before; the pipeline has it already. List the dead letters to see when.`);
      }
      const body = Buffer.from(letter.record.payload, letter.record.payloadEncoding === 'base64' ? 'base64' : 'utf8');
      // Published before the commit: a failed publish rolls the replay record back, and a lost
      // commit after a publish leaves a retry that the same Nats-Msg-Id and the receipts absorb.
      await this.republisher.publish(letter.record.originalSubject, body, letter.record.headers, msgId, true);
      return { seq, originalSubject: this.namespace.unqualify(letter.record.originalSubject), msgId, replayedAt: new Date(claimed[0].replayed_at).toISOString() };
    });
  }

  private async letterAt(jsm: JetStreamManager, seq: number): Promise<Letter | undefined> {
    if (seq < 1) return undefined;
    const msg: StoredMsg | null = await jsm.streams.getMessage(this.stream, { seq });
    if (!msg || !msg.subject.startsWith(this.prefix)) return undefined;
    try {
      return { seq, record: msg.json<DeadLetterRecord>() };
    } catch {
      return undefined;
    }
  }

  private view(letter: Letter, replayedAt: string | null): DeadLetterView {
    const { record } = letter;
    const payloadBytes = record.payloadEncoding === 'base64' ? Buffer.from(record.payload, 'base64').length : Buffer.byteLength(record.payload, 'utf8');
    return {
      seq: letter.seq,
      originalSubject: this.namespace.unqualify(record.originalSubject),
      consumer: record.consumer,
      reason: record.reason,
      failedAt: record.failedAt,
      deliveries: record.deliveries,
      headers: record.headers,
      payloadBytes,
      replayed: replayedAt !== null,
      replayedAt,
    };
  }
}

function parseCursor(cursor: string): number {
  if (/^[1-9][0-9]{0,15}$/.test(cursor)) return Number(cursor);
  throw new ValidationFailedError([{ field: 'cursor', message: 'is not a cursor of this list; pass nextCursor back unchanged' }]);
}

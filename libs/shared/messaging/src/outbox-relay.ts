import type { RawSqlClient, SqlClient, TenantDatabase } from '@parking/database';
import { outboxBacklog, outboxPublished } from '@parking/observability';
import { errorMessage } from './errors';
import type { EventPublisher } from './event-publisher';
import { MessagingLogger, silentMessagingLogger } from './logger';
import { OutboxListener } from './outbox-listener';
import { publishInOrder } from './publish-in-order';
import { DEFAULT_OUTBOX_WAKE, OutboxSignal, outboxSignalFor, OutboxWake } from './outbox-signal';
import { quotedSchema } from './sql-identifier';
import { WakeableSleep } from './wakeable-sleep';

export interface OutboxRow {
  seq: bigint | number | string;
  id: string;
  subject: string;
  /** The envelope as JSON text, published as it is (no parse and stringify per event). */
  envelope: string;
  headers: Record<string, string> | null;
}

/** Fault injection for tests: a throwing hook behaves like the process dying right there. */
export interface OutboxRelayHooks {
  beforePublish?(row: OutboxRow): void | Promise<void>;
  afterPublish?(row: OutboxRow): void | Promise<void>;
}

export interface OutboxRelayOptions<Tx extends SqlClient> {
  db: TenantDatabase<Tx>;
  schema: string;
  publisher: Pick<EventPublisher, 'publishRaw'>;
  batchSize?: number;
  /** Publishes awaiting their ack at once (default 32; 1 = wait for each ack). See publishInOrder. */
  maxInFlight?: number;
  /**
   * Longest sleep between polls when idle (default 5 s for 'poll', 1 s for 'notify'): the
   * safety net for a wake that never came. Right after work the relay polls every 100 ms
   * and slows down to this the longer nothing happens.
   */
  pollIntervalMs?: number;
  wake?: OutboxWake;
  /** Connection string for the dedicated LISTEN connection ('notify' only). */
  listenUrl?: string;
  signal?: OutboxSignal;
  logger?: MessagingLogger;
  hooks?: OutboxRelayHooks;
  /**
   * Keep the highest acked sequence per stream in `<schema>.stream_positions` (a table the
   * service's migration creates). A reader that takes that position before reading state
   * knows every event at or below it is reflected in what it reads: rows are committed
   * before they are published, and the position commits after the publish.
   */
  recordStreamPositions?: boolean;
}

type BatchResult = { leader: false } | { leader: true; published: number; loaded: number; failed: boolean };

/** Raised when a hook throws: the relay stops as if its process had died. */
export class SimulatedRelayCrash extends Error {
  override readonly name = 'SimulatedRelayCrash';
}

const FIRST_IDLE_MS = 1;
/** The safety-net poll right after work; it doubles up to maxIdleMs while nothing happens. */
const FIRST_SAFETY_POLL_MS = 100;
/** Another replica's relay held the lock when a wake came: its batch may have missed our row. Doubles up to the max while it keeps the lock. */
const NOT_LEADER_RETRY_MS = 20;
const NOT_LEADER_RETRY_MAX_MS = 250;
const EAGER_WINDOW_MS = 1_000;
const BACKLOG_REFRESH_MS = 1_000;
const MAX_FAILURE_BACKOFF_MS = 5_000;

/**
 * Publishes committed outbox rows in seq order, one relay per service at a time (an
 * advisory lock taken in each batch's transaction). A row is marked only after its
 * JetStream ack; a crash in between republishes it, which `Nats-Msg-Id` and the
 * consumers' inboxes absorb.
 */
export class OutboxRelay<Tx extends SqlClient = SqlClient> {
  private readonly batchSize: number;
  private readonly maxInFlight: number;
  private readonly maxIdleMs: number;
  private readonly logger: MessagingLogger;
  private readonly signal: OutboxSignal;
  private readonly listener?: OutboxListener;
  private readonly schema: string;
  private readonly sleeper = new WakeableSleep();
  private stopping = false;
  private loop?: Promise<void>;
  private failures = 0;
  private lastBacklogAt = 0;
  /** A wake came that no leading batch has answered yet. */
  private wakePending = false;
  /** Until then a wake may come before its commit, so the relay re-polls in a quick burst. */
  private eagerUntil = 0;
  private readonly onWake = (beforeCommit?: boolean): void => {
    this.wakePending = true;
    if (beforeCommit) this.eagerUntil = Date.now() + EAGER_WINDOW_MS;
    this.sleeper.wake();
  };
  crashed?: Error;

  constructor(private readonly options: OutboxRelayOptions<Tx>) {
    this.schema = quotedSchema(options.schema);
    const wake = options.wake ?? DEFAULT_OUTBOX_WAKE;
    this.batchSize = options.batchSize ?? 500;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 256);
    this.maxIdleMs = options.pollIntervalMs ?? (wake === 'notify' ? 1_000 : 5_000);
    this.logger = options.logger ?? silentMessagingLogger;
    this.signal = options.signal ?? outboxSignalFor(options.schema);
    if (wake === 'notify') {
      if (!options.listenUrl) throw new Error("OutboxRelay with wake 'notify' needs listenUrl for its LISTEN connection");
      this.listener = new OutboxListener(options.listenUrl, options.schema, this.onWake, this.logger);
    }
  }

  async start(): Promise<void> {
    if (this.loop) return;
    this.signal.on('wake', this.onWake);
    await this.listener?.start();
    this.loop = this.run();
  }

  /** Finishes the batch in progress, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.signal.off('wake', this.onWake);
    this.sleeper.cancel();
    await this.loop;
    await this.listener?.stop();
  }

  /** Resolves when the loop has ended (after stop() or a simulated crash). */
  get stopped(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    let idleMs = FIRST_IDLE_MS;
    let safetyPollMs = FIRST_SAFETY_POLL_MS;
    let notLeaderMs = NOT_LEADER_RETRY_MS;
    while (!this.stopping) {
      let result: BatchResult;
      try {
        result = await this.options.db.asSystem('outbox-relay', (tx) => this.batch(tx));
      } catch (error) {
        if (error instanceof SimulatedRelayCrash) {
          this.crashed = error;
          this.signal.off('wake', this.onWake);
          return;
        }
        this.logger.error({ schema: this.options.schema, err: errorMessage(error) }, 'outbox batch failed');
        result = { leader: true, published: 0, loaded: 0, failed: true };
      }
      if (!result.leader) {
        // Another replica is publishing; a wake of ours may be a row its batch did not see.
        if (this.wakePending) {
          await this.sleeper.sleep(notLeaderMs, false);
          notLeaderMs = Math.min(NOT_LEADER_RETRY_MAX_MS, notLeaderMs * 2);
        } else await this.sleeper.sleep(this.maxIdleMs);
        continue;
      }
      notLeaderMs = NOT_LEADER_RETRY_MS;
      if (result.failed) {
        this.failures++;
        // A broken NATS or database is not fixed by more wakes: back off regardless.
        await this.sleeper.sleep(Math.min(MAX_FAILURE_BACKOFF_MS, 100 * 2 ** (this.failures - 1)), false);
        continue;
      }
      this.failures = 0;
      if (result.loaded === this.batchSize) continue;
      if (result.published > 0) safetyPollMs = FIRST_SAFETY_POLL_MS;
      if (Date.now() >= this.eagerUntil) {
        // Wakes come after their commits: one poll per wake (wakes during a batch count as
        // one), and a safety-net poll that slows down while nothing happens, so an idle
        // service costs next to nothing.
        if (await this.sleeper.sleep(safetyPollMs)) safetyPollMs = FIRST_SAFETY_POLL_MS;
        else safetyPollMs = Math.min(this.maxIdleMs, safetyPollMs * 2);
        continue;
      }
      // Right after work or a wake, look again soon: a commit signalled ahead of time is
      // usually a millisecond away. The longer nothing happens, the slower we poll.
      idleMs = result.published > 0 ? FIRST_IDLE_MS : Math.min(this.maxIdleMs, idleMs * 2);
      if (await this.sleeper.sleep(idleMs)) idleMs = FIRST_IDLE_MS;
    }
  }

  private async batch(tx: Tx): Promise<BatchResult> {
    // The lock and the rows in one round trip: the pending rows are read only once the lock
    // is held (none when it is not), and every answer row says whether it was.
    const answer = await tx.$queryRawUnsafe<Array<{ locked: boolean } & (OutboxRow | { [K in keyof OutboxRow]: null })>>(
      `SELECT l.locked, p.seq, p.id, p.subject, p.envelope::text AS envelope, p.headers
         FROM (SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked) l
         LEFT JOIN LATERAL ${this.schema}.outbox_pending(CASE WHEN l.locked THEN $2::int ELSE 0 END) p ON true`,
      `outbox-relay:${this.options.schema}`,
      this.batchSize,
    );
    if (!answer[0]?.locked) return { leader: false };
    // This batch reads every row committed before its wake.
    this.wakePending = false;
    const rows = answer.filter((row): row is { locked: boolean } & OutboxRow => row.seq !== null);
    const positions = new Map<string, number>();
    const { published, failure } = await publishInOrder(rows, this.maxInFlight, {
      publish: async (row) => {
        const ack = await this.options.publisher.publishRaw(row.subject, Buffer.from(row.envelope), {
          msgId: row.id,
          headers: row.headers ?? {},
        });
        // Any acked row is a committed change, even one after a failure in this batch.
        positions.set(ack.stream, Math.max(ack.seq, positions.get(ack.stream) ?? 0));
        return ack;
      },
      // Hooks only where a test set them: see publishInOrder on why an await here costs.
      before: this.options.hooks?.beforePublish ? (row) => this.hook('beforePublish', row) : undefined,
      after: this.options.hooks?.afterPublish ? (row) => this.hook('afterPublish', row) : undefined,
    });
    if (failure) {
      const message = errorMessage(failure.error);
      this.logger.warn({ schema: this.options.schema, seq: String(failure.row.seq), err: message }, 'outbox publish failed');
      await tx.$executeRawUnsafe(`SELECT ${this.schema}.outbox_record_failure($1::bigint, $2)`, String(failure.row.seq), message);
    }
    if (this.options.recordStreamPositions && positions.size > 0) await this.recordPositions(tx, positions);
    await this.refreshBacklog(tx, published.length);
    if (published.length > 0) {
      await this.markPublishedAndCommit(tx, published.map((row) => String(row.seq)));
      outboxPublished.inc({ schema: this.options.schema }, published.length);
    }
    return { leader: true, published: published.length, loaded: rows.length, failed: failure !== undefined };
  }

  /** The batch's last statement: on the raw client it travels with the COMMIT (a round trip saved per batch). */
  private async markPublishedAndCommit(tx: Tx, seqs: string[]): Promise<void> {
    const mark = { text: `SELECT ${this.schema}.outbox_mark_published($1::bigint[])`, values: [seqs] };
    if (isRawSqlClient(tx)) await tx.$queryRawAndCommit(mark);
    else await tx.$executeRawUnsafe(mark.text, ...mark.values);
  }

  private async recordPositions(tx: Tx, positions: Map<string, number>): Promise<void> {
    await tx.$executeRawUnsafe(
      `INSERT INTO ${this.schema}.stream_positions (stream, seq)
       SELECT * FROM unnest($1::text[], $2::bigint[])
       ON CONFLICT (stream) DO UPDATE SET seq = GREATEST(stream_positions.seq, EXCLUDED.seq), updated_at = now()`,
      [...positions.keys()],
      [...positions.values()].map(String),
    );
  }

  private async hook(name: keyof OutboxRelayHooks, row: OutboxRow): Promise<void> {
    const hook = this.options.hooks?.[name];
    if (!hook) return;
    try {
      await hook(row);
    } catch (error) {
      throw new SimulatedRelayCrash(`${name} hook: ${errorMessage(error)}`);
    }
  }

  /** Read before the batch's rows are marked: `publishing` of them are about to leave the backlog. */
  private async refreshBacklog(tx: Tx, publishing: number): Promise<void> {
    const now = Date.now();
    if (now - this.lastBacklogAt < BACKLOG_REFRESH_MS) return;
    this.lastBacklogAt = now;
    const [{ backlog }] = await tx.$queryRawUnsafe<Array<{ backlog: bigint | number }>>(
      `SELECT ${this.schema}.outbox_backlog() AS backlog`,
    );
    outboxBacklog.set({ schema: this.options.schema }, Math.max(0, Number(backlog) - publishing));
  }
}

function isRawSqlClient(tx: SqlClient): tx is RawSqlClient {
  return typeof (tx as Partial<RawSqlClient>).$queryRawAndCommit === 'function';
}

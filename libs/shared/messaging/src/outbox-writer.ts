import { createEnvelope, EventDefinition, EventEnvelope, EventType, subjectOf } from '@parking/contracts';
import { afterCommit, type SqlClient } from '@parking/database';
import { injectTraceContext } from '@parking/observability';
import { assertPublishable } from './event-publisher';
import { DEFAULT_OUTBOX_WAKE, outboxChannel, OutboxSignal, outboxSignalFor, OutboxWake } from './outbox-signal';
import { quotedSchema } from './sql-identifier';

export interface OutboxWriterOptions {
  schema: string;
  /** `/parking/<service>` */
  source: string;
  wake?: OutboxWake;
  signal?: OutboxSignal;
}

/** A new outbox row as the outbox table's columns name it. */
export interface PreparedOutboxRow {
  id: string;
  tenant_id: string;
  subject: string;
  aggregate_id: string;
  envelope: EventEnvelope;
  headers: Record<string, string>;
}

export interface OutboxAppend<TData> {
  tenantId: string;
  aggregateId: string;
  data: TData;
  id?: string;
  time?: Date | string;
}

/** Appends events in the caller's transaction, so they exist if and only if the change does. */
export class OutboxWriter {
  private readonly table: string;
  private readonly wake: OutboxWake;
  private readonly signal: OutboxSignal;

  constructor(private readonly options: OutboxWriterOptions) {
    this.table = `${quotedSchema(options.schema)}.outbox`;
    this.wake = options.wake ?? DEFAULT_OUTBOX_WAKE;
    this.signal = options.signal ?? outboxSignalFor(options.schema);
  }

  /** Validates and stores the event; nothing is published until the relay sees it committed. */
  async append<TData, TType extends EventType>(
    tx: SqlClient,
    def: EventDefinition<TData, TType>,
    input: OutboxAppend<TData>,
  ): Promise<EventEnvelope<TData, TType>> {
    const { row, envelope } = this.prepareEnvelope(def, input);
    await tx.$executeRawUnsafe(
      `INSERT INTO ${this.table} (id, tenant_id, subject, aggregate_id, envelope, headers)
       VALUES ($1::uuid, $2::uuid, $3, $4, $5::jsonb, $6::jsonb)`,
      row.id,
      row.tenant_id,
      row.subject,
      row.aggregate_id,
      JSON.stringify(row.envelope),
      JSON.stringify(row.headers),
    );
    await this.wakeRelay(tx);
    return envelope;
  }

  /**
   * The validated outbox row of an event, for a statement or database function that inserts it
   * along with the change it belongs to (one round trip for the whole unit of work). Call
   * `appended(tx)` once the statement has run, so the relay hears of it.
   */
  prepare<TData, TType extends EventType>(def: EventDefinition<TData, TType>, input: OutboxAppend<TData>): PreparedOutboxRow {
    return this.prepareEnvelope(def, input).row;
  }

  /** Wakes the relay for rows a statement of the caller inserted (see `prepare`). */
  appended(tx: SqlClient): Promise<void> {
    return this.wakeRelay(tx);
  }

  private prepareEnvelope<TData, TType extends EventType>(def: EventDefinition<TData, TType>, input: OutboxAppend<TData>): { row: PreparedOutboxRow; envelope: EventEnvelope<TData, TType> } {
    const envelope = createEnvelope(def, { ...input, source: this.options.source });
    assertPublishable(envelope);
    const headers: Record<string, string> = {};
    injectTraceContext(headers);
    return { row: { id: envelope.id, tenant_id: envelope.tenantid, subject: subjectOf(envelope), aggregate_id: envelope.subject, envelope, headers }, envelope };
  }

  /**
   * Like `append` for many events of one type, in one statement: a bulk change (an import, a
   * batch of uplinks) pays one round trip instead of one per event. Order is kept.
   */
  async appendMany<TData, TType extends EventType>(
    tx: SqlClient,
    def: EventDefinition<TData, TType>,
    inputs: readonly OutboxAppend<TData>[],
  ): Promise<EventEnvelope<TData, TType>[]> {
    if (inputs.length === 0) return [];
    const envelopes = inputs.map((input) => createEnvelope(def, { ...input, source: this.options.source }));
    envelopes.forEach(assertPublishable);
    const headers: Record<string, string> = {};
    injectTraceContext(headers);
    const headerJson = JSON.stringify(headers);
    await tx.$executeRawUnsafe(
      `INSERT INTO ${this.table} (id, tenant_id, subject, aggregate_id, envelope, headers)
       SELECT e.id, e.tenant_id, e.subject, e.aggregate_id, e.envelope, $6::jsonb
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::jsonb[])
         WITH ORDINALITY AS e(id, tenant_id, subject, aggregate_id, envelope, n)
       ORDER BY e.n`,
      envelopes.map((e) => e.id),
      envelopes.map((e) => e.tenantid),
      envelopes.map((e) => subjectOf(e)),
      envelopes.map((e) => e.subject),
      envelopes.map((e) => JSON.stringify(e)),
      headerJson,
    );
    await this.wakeRelay(tx);
    return envelopes;
  }

  private async wakeRelay(tx: SqlClient): Promise<void> {
    if (this.wake === 'notify') {
      // Delivered by PostgreSQL only if and when this transaction commits.
      await tx.$executeRawUnsafe(`SELECT pg_notify($1, '')`, outboxChannel(this.options.schema));
    } else if (!afterCommit(tx, () => this.signal.notify())) {
      // Not a TenantDatabase unit of work, so the commit cannot be awaited: signal now, and the
      // relay answers with a short burst of polls until the row shows.
      this.signal.notify({ beforeCommit: true });
    }
  }
}

// Drives the uplink pipeline the way production does: raw webhooks published to a namespaced
// WEBHOOKS stream exactly as the gateway publishes them, real PostgreSQL (RLS, runtime role)
// and real JetStream. Only tests import this file.
import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { EventEnvelope, Namespace, rawWebhookHeaders, rawWebhookSubject, RawWebhookMeta, STREAMS } from '@parking/contracts';
import { PgSqlClient, SqlClient, TenantDatabase } from '@parking/database';
import { createIngestDatabase, IngestDatabase } from '@parking/ingest/data-access';
import { connectNats, DeadLetterRecord, EventPublisher, OutboxRelay, OutboxSignal, OutboxWriter, provisionStreams, toNatsHeaders } from '@parking/messaging';
import { createTestDatabase, removeNamespaceStreams, TestDatabase, uniqueNamespace } from '@parking/testing';
import { Client } from 'pg';
import { PipelineConsumer, PipelineConsumerOptions, PIPELINE_DEAD_LETTERS } from '../pipeline-consumer';

export const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';

export interface PublishOptions {
  /** Omit for a platform-signed webhook (`_platform`). */
  tenantId?: string;
  contentType?: string;
  /** Nats-Msg-Id; defaults to a unique one (a redelivery past JetStream's duplicate window). */
  msgId?: string;
  receivedAt?: Date;
  headers?: Record<string, string>;
}

export interface StoredUplink {
  session: number;
  f_cnt: number;
  tenant_id: string;
  dedup_key: string;
  uplink: Record<string, unknown> & { session: number; fCnt: number };
}

export class PipelineHarness {
  readonly namespace: Namespace;
  readonly outbox: OutboxWriter;
  private readonly signal = new OutboxSignal();
  private readonly consumers: Array<{ consumer: PipelineConsumer; db: TenantDatabase<SqlClient> }> = [];
  private relay?: OutboxRelay;

  private constructor(
    readonly testDb: TestDatabase,
    readonly db: IngestDatabase,
    readonly admin: Client,
    readonly ns: string,
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
  ) {
    this.namespace = new Namespace(ns);
    this.outbox = new OutboxWriter({ schema: 'ingest', source: '/parking/ingest', signal: this.signal });
  }

  static async start(): Promise<PipelineHarness> {
    const testDb = await createTestDatabase();
    const db = createIngestDatabase({ url: testDb.urlFor('ingest'), poolMax: 4 });
    const admin = new Client({ connectionString: testDb.adminUrl });
    await admin.connect();
    const ns = uniqueNamespace();
    const nc = await connectNats({ url: NATS_URL, name: 'pipeline-spec' });
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    await provisionStreams(jsm, [STREAMS.INGEST, STREAMS.WEBHOOKS, STREAMS.DEADLETTER], ns);
    return new PipelineHarness(testDb, db, admin, ns, nc, js, jsm);
  }

  /** Another replica: its own pool (node-postgres, as the service runs it) and NATS connection, the same durable consumer. */
  async startConsumer(options: Partial<PipelineConsumerOptions> = {}): Promise<PipelineConsumer> {
    const db = new TenantDatabase({ client: new PgSqlClient({ url: this.testDb.urlFor('ingest'), max: 4 }), schema: 'ingest' });
    const nc = await connectNats({ url: NATS_URL, name: 'pipeline-spec-replica' });
    const consumer = new PipelineConsumer({ nc, js: jetstream(nc), namespace: this.namespace, db, outbox: this.outbox, ...options });
    await consumer.start();
    this.consumers.push({ consumer, db });
    const stop = consumer.stop.bind(consumer);
    consumer.stop = async () => {
      await stop();
      await nc.drain().catch(() => undefined);
    };
    return consumer;
  }

  async startRelay(): Promise<void> {
    this.relay = new OutboxRelay({ db: this.db, schema: 'ingest', publisher: new EventPublisher(this.js, this.namespace), signal: this.signal });
    await this.relay.start();
  }

  /** Publishes a raw webhook as the gateway does. */
  async publish(event: string, body: Uint8Array | string | object, options: PublishOptions = {}): Promise<void> {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body instanceof Uint8Array ? body : Buffer.from(JSON.stringify(body));
    const meta: RawWebhookMeta = {
      msgId: options.msgId ?? `${event}:test:${randomUUID()}`,
      contentType: options.contentType ?? 'application/json',
      event,
      auth: options.tenantId ? 'bearer' : 'platform-signature',
      receivedAt: (options.receivedAt ?? new Date()).toISOString(),
      ...(options.tenantId ? { tenantId: options.tenantId } : {}),
    };
    const headers = { ...rawWebhookHeaders(meta), ...options.headers };
    await this.js.publish(this.namespace.subject(rawWebhookSubject(event, options.tenantId)), bytes, { msgID: meta.msgId, headers: toNatsHeaders(headers) });
  }

  /** `applicationId`: the ChirpStack application the device names (none by default). */
  async registerDevice(tenantId: string, devEui: string, codec = 'nwave-nps405', applicationId: string | null = null, kind: 'sensor' | 'display' = 'sensor'): Promise<string> {
    const id = randomUUID();
    await this.admin.query(
      `INSERT INTO ingest.devices (id, tenant_id, dev_eui, kind, codec, name, chirpstack_application_id) VALUES ($1, $2, $3, $7, $4, $5, $6)`,
      [id, tenantId, devEui, codec, `device ${devEui}`, applicationId, kind],
    );
    return id;
  }

  async device(devEui: string): Promise<Record<string, unknown>> {
    const { rows } = await this.admin.query(
      `SELECT tenant_id::text, codec, session, last_f_cnt::float8 AS last_f_cnt, dev_addr, uplink_count::int AS uplink_count, battery_percent, battery_voltage,
              temperature_c, margin_db, rssi, snr, latitude, longitude, altitude, location_source, located_at, last_status_at, last_seen_at
         FROM ingest.devices WHERE dev_eui = $1`,
      [devEui],
    );
    return rows[0];
  }

  async uplinks(devEui: string): Promise<StoredUplink[]> {
    const { rows } = await this.admin.query(
      `SELECT session, f_cnt::float8 AS f_cnt, tenant_id::text, dedup_key, uplink FROM ingest.uplinks WHERE dev_eui = $1 ORDER BY session, f_cnt`,
      [devEui],
    );
    return rows;
  }

  /** Events the pipeline wrote to its outbox, oldest first. */
  async events<T = Record<string, unknown>>(type: string, aggregateOrDevEui?: string): Promise<Array<EventEnvelope<T>>> {
    const { rows } = await this.admin.query<{ envelope: EventEnvelope<T> }>(
      `SELECT envelope FROM ingest.outbox WHERE envelope->>'type' = $1 AND ($2::text IS NULL OR aggregate_id = $2 OR envelope->'data'->>'devEui' = $2) ORDER BY seq`,
      [type, aggregateOrDevEui ?? null],
    );
    return rows.map((r) => r.envelope);
  }

  /** The pipeline's dead letters in the namespaced DEADLETTER stream. */
  async deadLetters(): Promise<Array<DeadLetterRecord & { seq: number }>> {
    const stream = this.namespace.stream(STREAMS.DEADLETTER.name);
    const subject = this.namespace.subject(PIPELINE_DEAD_LETTERS);
    const info = await this.jsm.streams.info(stream);
    const out: Array<DeadLetterRecord & { seq: number }> = [];
    for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
      const msg = await this.jsm.streams.getMessage(stream, { seq });
      if (msg && msg.subject === subject) out.push({ ...msg.json<DeadLetterRecord>(), seq });
    }
    return out;
  }

  async close(): Promise<void> {
    for (const { consumer, db } of this.consumers.splice(0)) {
      await consumer.stop();
      await db.close();
    }
    await this.relay?.stop();
    await this.db.close();
    await this.admin.end();
    await this.nc.drain().catch(() => undefined);
    await removeNamespaceStreams(this.ns, NATS_URL);
    await this.testDb.drop();
  }
}

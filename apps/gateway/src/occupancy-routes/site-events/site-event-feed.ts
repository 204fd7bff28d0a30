import { BeforeApplicationShutdown, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DeliverPolicy, jetstream, type ConsumerMessages } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { InjectConfig } from '@parking/config';
import { Namespace, OccupancyEvents, STREAMS } from '@parking/contracts';
import { connectNats } from '@parking/messaging';
import type { GatewayConfig } from '../../config';

/** One space's change as it sits in the OCCUPANCY stream. */
export interface SiteEvent {
  seq: number;
  /** The event envelope, byte for byte as published. */
  body: string;
}

/**
 * Follows `occupancy.space.state_changed.v1` of one tenant for one site. NATS 2.9 allows one
 * filter subject per consumer, and the tenant is a token of the subject, so each stream gets
 * an ordered consumer filtered to its tenant and keeps its site's events. The consumer is
 * ephemeral: it lives as long as the HTTP stream, and resumes exactly from a sequence.
 */
@Injectable()
export class SiteEventFeed implements BeforeApplicationShutdown, OnApplicationShutdown {
  private connection?: Promise<NatsConnection>;
  private readonly namespace: Namespace;
  private readonly open = new Set<ConsumerMessages>();

  constructor(@InjectConfig() private readonly config: GatewayConfig) {
    this.namespace = new Namespace(config.nats.namespace);
  }

  /** Events of the site after `after` (a stream sequence), or from now on without it. */
  async follow(tenantId: string, siteId: string, after?: number): Promise<SiteEventStream> {
    const nats = await this.nats();
    const consumer = await jetstream(nats).consumers.get(this.namespace.stream(STREAMS.OCCUPANCY.name), {
      filter_subjects: this.namespace.subject(`${OccupancyEvents.SPACE_STATE_CHANGED_V1}.${tenantId}.*`),
      ...(after === undefined ? { deliver_policy: DeliverPolicy.New } : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: after + 1 }),
    });
    const messages = await consumer.consume({ max_messages: 256 });
    this.open.add(messages);
    return new SiteEventStream(messages, siteId, () => this.open.delete(messages));
  }

  /** Ends every stream before the HTTP server closes, which would otherwise wait for them. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.open].map((messages) => messages.close().catch(() => undefined)));
  }

  async onApplicationShutdown(): Promise<void> {
    const connection = await this.connection?.catch(() => undefined);
    await connection?.close().catch(() => undefined);
  }

  private nats(): Promise<NatsConnection> {
    // connectNats reconnects forever once connected; a failed first connect is tried again next time.
    this.connection ??= connectNats({ url: this.config.nats.url, name: 'gateway-live-streams', auth: this.config.nats.auth }).catch((error: unknown) => {
      this.connection = undefined;
      throw error;
    });
    return this.connection;
  }
}

const decoder = new TextDecoder();

/** The site's events, in stream order, until close(). */
export class SiteEventStream implements AsyncIterable<SiteEvent> {
  constructor(
    private readonly messages: ConsumerMessages,
    private readonly siteId: string,
    private readonly onClose: () => void,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<SiteEvent> {
    try {
      for await (const message of this.messages) {
        const body = decoder.decode(message.data);
        if (siteOf(body) === this.siteId) yield { seq: message.seq, body };
      }
    } finally {
      this.onClose();
    }
  }

  async close(): Promise<void> {
    this.onClose();
    await this.messages.close().catch(() => undefined);
  }
}

function siteOf(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { data?: { siteId?: string } }).data?.siteId;
  } catch {
    return undefined; // not an event this stream can show
  }
}

import { Client } from 'pg';
import { errorMessage } from './errors';
import type { MessagingLogger } from './logger';
import { outboxChannel } from './outbox-signal';

const RECONNECT_MS = 1_000;

/**
 * The dedicated LISTEN connection of the 'notify' wake. It reconnects on its own; while
 * it is down the relay still polls, only more slowly, so nothing is lost.
 */
export class OutboxListener {
  private client?: Client;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly schema: string,
    private readonly onNotify: () => void,
    private readonly logger: MessagingLogger,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: `outbox-relay-${this.schema}` });
    client.on('notification', () => this.onNotify());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    await client.connect();
    await client.query(`LISTEN "${outboxChannel(this.schema)}"`);
    this.client = client;
    // Rows appended while we were not listening are picked up by this first poll.
    this.onNotify();
  }

  private lost(client: Client, error: Error): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    this.logger.warn({ schema: this.schema, err: errorMessage(error) }, 'outbox LISTEN connection lost; reconnecting');
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.retry = setTimeout(() => {
      this.connect().catch((error) => {
        this.logger.warn({ schema: this.schema, err: errorMessage(error) }, 'outbox LISTEN reconnect failed');
        if (!this.stopped) this.scheduleReconnect();
      });
    }, RECONNECT_MS);
    this.retry.unref();
  }
}

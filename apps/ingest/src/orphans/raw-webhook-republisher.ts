import type { JetStreamClient } from '@nats-io/jetstream';
import { Namespace } from '@parking/contracts';
import { toNatsHeaders } from '@parking/messaging';

const MSG_ID_HEADER = 'nats-msg-id';

/**
 * Puts a raw webhook back on the WEBHOOKS stream for the pipeline, with the same body and
 * headers but its own Nats-Msg-Id, so JetStream's duplicate window does not drop it (the
 * pipeline's receipts still make a second effect impossible).
 */
export class RawWebhookRepublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly namespace: Namespace,
  ) {}

  /** `subject` is logical (`webhook.chirpstack.<event>.<tenant>`) unless `qualified`. */
  async publish(subject: string, body: Uint8Array, headers: Record<string, string>, msgId: string, qualified = false): Promise<void> {
    const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== MSG_ID_HEADER));
    await this.js.publish(qualified ? subject : this.namespace.subject(subject), body, { msgID: msgId, headers: toNatsHeaders(kept) });
  }
}

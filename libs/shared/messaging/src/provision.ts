import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  JetStreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { StreamSpec } from '@parking/contracts';
import { asNamespace, Namespace } from '@parking/contracts';

export interface StreamProvisionOptions {
  /** JetStream drops a re-published `Nats-Msg-Id` within this window. Default 2 minutes. */
  duplicateWindowMs?: number;
  replicas?: number;
}

const TWO_MINUTES = 120_000;

function isNotFound(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

/** Creates the streams or brings their subjects and duplicate window up to date. */
export async function provisionStreams(
  jsm: JetStreamManager,
  specs: readonly StreamSpec[],
  ns: Namespace | string = '',
  options: StreamProvisionOptions = {},
): Promise<void> {
  const namespace = asNamespace(ns);
  for (const logical of specs) {
    const spec = namespace.streamSpec(logical);
    const mutable = {
      subjects: spec.subjects,
      description: spec.description,
      duplicate_window: nanos(options.duplicateWindowMs ?? TWO_MINUTES),
    };
    try {
      const info = await jsm.streams.info(spec.name);
      await jsm.streams.update(spec.name, { ...info.config, ...mutable });
    } catch (error) {
      if (!isNotFound(error, JetStreamApiCodes.StreamNotFound)) throw error;
      await jsm.streams.add({
        name: spec.name,
        ...mutable,
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old,
        num_replicas: options.replicas ?? 1,
      });
    }
  }
}

export interface ConsumerSpec {
  /** Namespaced stream name. */
  stream: string;
  /** `<service>-<purpose>` */
  durable: string;
  /** Namespaced; NATS 2.9 allows one filter subject per consumer. */
  filterSubject: string;
  ackWaitMs?: number;
  maxAckPending?: number;
  description?: string;
}

/**
 * Durable pull consumer, explicit ack, from the start of the stream. No `max_deliver`:
 * the runner counts deliveries itself so that a failed dead-letter publish can still
 * be retried instead of the server silently dropping the message.
 */
export async function provisionConsumer(jsm: JetStreamManager, spec: ConsumerSpec): Promise<void> {
  const mutable = {
    ack_wait: nanos(spec.ackWaitMs ?? 30_000),
    max_ack_pending: spec.maxAckPending ?? 1_000,
    description: spec.description,
  };
  try {
    const info = await jsm.consumers.info(spec.stream, spec.durable);
    if (info.config.filter_subject !== spec.filterSubject) {
      throw new Error(
        `Consumer ${spec.stream}/${spec.durable} filters ${info.config.filter_subject ?? '(nothing)'}, not ${spec.filterSubject}: ` +
          'NATS 2.9 cannot change it in place; give the consumer a new name',
      );
    }
    await jsm.consumers.update(spec.stream, spec.durable, mutable);
  } catch (error) {
    if (!isNotFound(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
    await jsm.consumers.add(spec.stream, {
      ...mutable,
      durable_name: spec.durable,
      filter_subject: spec.filterSubject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
    });
  }
}

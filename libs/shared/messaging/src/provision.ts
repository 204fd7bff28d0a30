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
import type { StreamLimitOverrides, StreamSpec } from '@parking/contracts';
import { asNamespace, Namespace, streamLimitsOf } from '@parking/contracts';

export interface StreamProvisionOptions {
  /** JetStream drops a re-published `Nats-Msg-Id` within this window. Default 2 minutes. */
  duplicateWindowMs?: number;
  replicas?: number;
  /** Over each stream's declared max_bytes and max_age (NATS_STREAM_LIMITS). */
  limits?: StreamLimitOverrides;
}

const TWO_MINUTES = 120_000;
/** JSStreamNameExistErr: a stream of that name exists with another configuration. */
const STREAM_NAME_IN_USE = 10058;

function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

/**
 * Creates the streams or brings their subjects, duplicate window, max_bytes and max_age up to
 * date: what the owner of a stream runs at boot, so a stream made before it had limits gets them.
 */
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
      ...limitsConfig(logical, options),
    };
    try {
      const info = await jsm.streams.info(spec.name);
      await jsm.streams.update(spec.name, { ...info.config, ...mutable });
    } catch (error) {
      if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
      await jsm.streams.add(newStreamConfig(logical, spec, options));
    }
  }
}

/**
 * Creates the streams that do not exist yet and leaves existing ones as they are: for streams
 * a service consumes but does not own (it may boot before their owner, and its NATS user may
 * not change their configuration). Losing a race with another creator is fine.
 */
export async function ensureStreams(
  jsm: JetStreamManager,
  specs: readonly StreamSpec[],
  ns: Namespace | string = '',
  options: StreamProvisionOptions = {},
): Promise<void> {
  const namespace = asNamespace(ns);
  for (const logical of specs) {
    const spec = namespace.streamSpec(logical);
    try {
      await jsm.streams.info(spec.name);
      continue;
    } catch (error) {
      if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
    }
    try {
      await jsm.streams.add(newStreamConfig(logical, spec, options));
    } catch (error) {
      // Created meanwhile by its owner or another consumer (possibly with other replicas).
      if (!isApiError(error, STREAM_NAME_IN_USE)) throw error;
    }
  }
}

/** max_bytes, max_age and the duplicate window of a stream (by its logical spec); the server wants the window within max_age. */
function limitsConfig(logical: StreamSpec, options: StreamProvisionOptions) {
  const { maxBytes, maxAgeMs } = streamLimitsOf(logical, options.limits);
  return { max_bytes: maxBytes, max_age: nanos(maxAgeMs), duplicate_window: nanos(Math.min(options.duplicateWindowMs ?? TWO_MINUTES, maxAgeMs)) };
}

function newStreamConfig(logical: StreamSpec, spec: StreamSpec, options: StreamProvisionOptions) {
  return {
    name: spec.name,
    subjects: spec.subjects,
    description: spec.description,
    ...limitsConfig(logical, options),
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    num_replicas: options.replicas ?? 1,
  };
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
    if (!isApiError(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
    await jsm.consumers.add(spec.stream, {
      ...mutable,
      durable_name: spec.durable,
      filter_subject: spec.filterSubject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
    });
  }
}

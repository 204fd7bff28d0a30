import { EVENT_DOMAINS, EventDomain } from '../streams';

/** A JSON Schema (draft-07 keywords, which AsyncAPI's schema format also accepts). */
export type JsonSchema = Record<string, unknown>;

/** `<domain>.<entity>.<event>.v<N>`, each name a lower snake segment. */
export type EventType = `${string}.${string}.${string}.v${number}`;

export const EVENT_TYPE_PATTERN = /^([a-z][a-z0-9]*(?:_[a-z0-9]+)*)\.[a-z][a-z0-9]*(?:_[a-z0-9]+)*\.[a-z][a-z0-9]*(?:_[a-z0-9]+)*\.v[1-9][0-9]*$/;

export interface EventDefinition<TData = unknown, TType extends EventType = EventType> {
  readonly type: TType;
  readonly domain: EventDomain;
  /** What the event's `subject` (aggregate id) identifies, e.g. 'tenant'. */
  readonly aggregate: string;
  readonly description: string;
  /** JSON Schema of `data`. */
  readonly schema: JsonSchema;
  readonly example: TData;
  /** Aggregate id used in documented examples (a uuid is derived from the type otherwise). */
  readonly exampleAggregateId?: string;
  /** Only for the TypeScript type of `data`; never set at run time. */
  readonly __data?: TData;
}

export type EventData<D> = D extends EventDefinition<infer T> ? T : never;

export interface EventDefinitionInput<TData, TType extends EventType> {
  type: TType;
  aggregate: string;
  description: string;
  schema: JsonSchema;
  example: TData;
  exampleAggregateId?: string;
}

/**
 * Declares one event type. The type string is checked here, at module load, so a badly
 * named event fails every test that imports the registry rather than reaching a stream.
 */
export function defineEvent<TData, TType extends EventType = EventType>(
  input: EventDefinitionInput<TData, TType>,
): EventDefinition<TData, TType> {
  const match = EVENT_TYPE_PATTERN.exec(input.type);
  if (!match) {
    throw new Error(`Event type "${input.type}" must look like <domain>.<entity>.<event>.v<N> in lower snake case`);
  }
  const domain = match[1] as EventDomain;
  if (!EVENT_DOMAINS.includes(domain)) {
    throw new Error(`Event type "${input.type}" names domain "${domain}", which has no stream (${EVENT_DOMAINS.join(', ')})`);
  }
  return Object.freeze({ ...input, domain });
}

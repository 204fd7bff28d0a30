import type { CallerContext } from './identity/identity-rpc';
import type { Principal } from './identity/principal';

/**
 * What travels beside the input of a request: who asks (`principal`, set by the gateway from
 * the verified credential) and from where (`caller`). Never part of a payload class.
 */
export interface RpcContext {
  principal?: Principal;
  caller?: CallerContext;
}
export const RPC_CONTEXT_FIELDS = ['principal', 'caller'] as const satisfies ReadonlyArray<keyof RpcContext>;

/** A payload class: what the request holds, with its validation and OpenAPI metadata. */
export type PayloadClass<T> = new () => T;

/**
 * One request/reply command or query: its subject, the class its input must satisfy (checked
 * by the gateway on HTTP input and by the service on receipt), and the class of its answer.
 */
export interface RpcContract<TRequest extends object, TResponse> {
  readonly subject: string;
  readonly request: PayloadClass<TRequest>;
  /** For documentation and typing; answers are not validated. */
  readonly response: PayloadClass<TResponse> | undefined;
  /** How long a caller waits at least: commands that take seconds (imports) say so here. */
  readonly timeoutMs?: number;
}

export type RequestOf<C> = C extends RpcContract<infer TRequest, unknown> ? TRequest : never;
export type ResponseOf<C> = C extends RpcContract<object, infer TResponse> ? TResponse : never;

export function defineRpc<TRequest extends object, TResponse>(
  subject: string,
  request: PayloadClass<TRequest>,
  response?: PayloadClass<TResponse>,
  options: { timeoutMs?: number } = {},
): RpcContract<TRequest, TResponse> {
  return { subject, request, response, ...options };
}

/** The wire form: the context fields beside the input's own (the service splits them again). */
export function rpcPayload<TRequest extends object>(input: TRequest, context: RpcContext = {}): Record<string, unknown> {
  return { ...input, ...(context.principal ? { principal: context.principal } : {}), ...(context.caller ? { caller: context.caller } : {}) };
}

/** The context as it arrives: nothing in it is trusted until it is checked (`principalOf`). */
export type ReceivedRpcContext = { readonly [K in keyof RpcContext]?: unknown };

/** The wire form split into the input (still unchecked; null when the payload is no object) and its context. */
export function splitRpcPayload(payload: unknown): { input: Record<string, unknown> | null; context: ReceivedRpcContext } {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return { input: null, context: {} };
  const input = { ...(payload as Record<string, unknown>) };
  const context: Record<string, unknown> = {};
  for (const field of RPC_CONTEXT_FIELDS) {
    if (field in input) {
      context[field] = input[field];
      delete input[field];
    }
  }
  return { input, context };
}

import type { CallerContext } from './identity/identity-rpc';
import type { Principal } from './identity/principal';

/**
 * Who a request speaks for. The caller's proof (a short-lived token signed by the calling
 * service, see `@parking/rpc-proof`) travels beside the input, never inside it.
 */
export interface RpcContext {
  principal?: Principal;
  caller?: CallerContext;
}

/** What the service learnt from a verified proof: who signed it and for whom it speaks. */
export interface ReceivedRpcContext {
  /** The service that signed the proof: `gateway` for every request from outside. */
  readonly issuer: string;
  readonly principal?: Principal;
  readonly caller?: CallerContext;
}

/**
 * What a command needs from its caller's proof:
 * - `tenant`: a principal (user or API key) the gateway authenticated;
 * - `public`: none (sign-up, sign-in, password reset), though the caller must still prove itself;
 * - `service`: the calling service only (the gateway's own queries, such as the JWKS).
 */
export type RpcAccess = 'tenant' | 'public' | 'service';

/** A payload class: what the request holds, with its validation and OpenAPI metadata. */
export type PayloadClass<T> = new () => T;

/**
 * One request/reply command or query: its subject, the class its input must satisfy (checked
 * by the gateway on HTTP input and by the service on receipt), the class of its answer, and
 * who may call it.
 */
export interface RpcContract<TRequest extends object, TResponse> {
  readonly subject: string;
  readonly request: PayloadClass<TRequest>;
  /** For documentation and typing; answers are not validated. */
  readonly response: PayloadClass<TResponse> | undefined;
  /** How long a caller waits at least: commands that take seconds (imports) say so here. */
  readonly timeoutMs?: number;
  readonly access: RpcAccess;
  /** The services whose proofs it accepts (NATS permissions say who may even send it). */
  readonly callers: readonly string[];
}

export type RequestOf<C> = C extends RpcContract<infer TRequest, unknown> ? TRequest : never;
export type ResponseOf<C> = C extends RpcContract<object, infer TResponse> ? TResponse : never;

export interface RpcContractOptions {
  timeoutMs?: number;
  /** Default `tenant`. */
  access?: RpcAccess;
  /** Default: the gateway only. */
  callers?: readonly string[];
}

export function defineRpc<TRequest extends object, TResponse>(
  subject: string,
  request: PayloadClass<TRequest>,
  response?: PayloadClass<TResponse>,
  options: RpcContractOptions = {},
): RpcContract<TRequest, TResponse> {
  return {
    subject,
    request,
    response,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    access: options.access ?? 'tenant',
    callers: options.callers ?? ['gateway'],
  };
}

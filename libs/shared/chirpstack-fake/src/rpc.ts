import * as grpc from '@grpc/grpc-js';
import type { Faults, Rejection } from './faults';

export class RpcError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new RpcError(grpc.status.NOT_FOUND, `${what} not found`);
export const alreadyExists = (what: string) => new RpcError(grpc.status.ALREADY_EXISTS, `${what} already exists`);
export const invalidArgument = (message: string) => new RpcError(grpc.status.INVALID_ARGUMENT, message);

export interface FakeCall {
  /** `<Service>.<Method>`, e.g. 'DeviceService.Create'. */
  method: string;
  /** The request message's `toObject()`. */
  request: unknown;
  at: Date;
  /** The status code when the call did not answer OK. */
  failed?: grpc.status;
}

type HandlerFor<M> =
  M extends grpc.MethodDefinition<infer Req, infer Res> ? (request: Req) => Res | Promise<Res> : never;

/** Handlers for some methods of a generated service definition, keyed like the definition. */
export type Handlers<S> = { [K in keyof S]?: HandlerFor<S[K]> };

type AnyHandler = (request: unknown) => unknown;

interface RequestMessage {
  toObject(): unknown;
}

/** '/api.DeviceService/Create' -> 'DeviceService.Create'. */
export function methodName(definition: grpc.MethodDefinition<unknown, unknown>): string {
  const [service, method] = definition.path.replace(/^\//, '').split('/');
  return `${service.replace(/^.*\./, '')}.${method}`;
}

/** Runs every call through recording, auth, injected faults and delays before its handler. */
export class CallRunner {
  readonly calls: FakeCall[] = [];
  private inFlight = 0;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly sleepers = new Set<() => void>();

  constructor(
    private readonly tokens: Set<string>,
    private readonly faults: Faults,
  ) {}

  implement<S extends grpc.ServiceDefinition>(service: S, handlers: Handlers<S>): grpc.UntypedServiceImplementation {
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [key, definition] of Object.entries(service)) {
      const method = methodName(definition);
      const handler = handlers[key] as AnyHandler | undefined;
      implementation[key] = (
        call: grpc.ServerUnaryCall<RequestMessage, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        void this.run(method, call, callback, handler);
      };
    }
    return implementation;
  }

  /** Resolves once no call is being handled. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Ends every pending delay at once, so a stopping server leaves no timers behind. */
  wake(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  private async run(
    method: string,
    call: grpc.ServerUnaryCall<RequestMessage, unknown>,
    callback: grpc.sendUnaryData<unknown>,
    handler: AnyHandler | undefined,
  ): Promise<void> {
    const entry: FakeCall = { method, request: call.request.toObject(), at: new Date() };
    this.calls.push(entry);
    this.inFlight += 1;
    let outcome: { response: unknown } | { error: RpcError };
    try {
      const rejection = this.admit(method, call.metadata);
      // The effect happens after the delay, even if the client has given up by then.
      await this.sleep(this.faults.delayFor(method));
      if (rejection) throw new RpcError(rejection.code, rejection.message);
      if (!handler) throw new RpcError(grpc.status.UNIMPLEMENTED, `${method} is not implemented by the fake`);
      outcome = { response: await handler(call.request) };
    } catch (error) {
      const rpcError =
        error instanceof RpcError
          ? error
          : new RpcError(grpc.status.INTERNAL, error instanceof Error ? error.message : String(error));
      entry.failed = rpcError.code;
      outcome = { error: rpcError };
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
    if ('error' in outcome) callback({ code: outcome.error.code, details: outcome.error.message });
    else callback(null, outcome.response);
  }

  private admit(method: string, metadata: grpc.Metadata): Rejection | undefined {
    if (this.faults.isDown) return { code: grpc.status.UNAVAILABLE, message: 'ChirpStack is unavailable' };
    const header = metadata.get('authorization')[0];
    const token = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] : undefined;
    if (!token || !this.tokens.has(token)) {
      return { code: grpc.status.UNAUTHENTICATED, message: 'invalid or missing bearer token' };
    }
    return this.faults.takeFailure(method);
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}

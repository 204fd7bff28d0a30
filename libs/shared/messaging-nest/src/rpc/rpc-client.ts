import { ClientProxy, ClientProxyFactory, NatsRecordBuilder, Transport } from '@nestjs/microservices';
import { Namespace, rpcPayload, type RpcContext, type RpcContract } from '@parking/contracts';
import { injectTraceContext } from '@parking/observability';
import { headers as natsHeaders } from 'nats';
import { firstValueFrom, timeout } from 'rxjs';
import { rpcFailure } from './rpc-failure';

export interface RpcSendOptions {
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Request/reply over the Nest NATS transport with our error contract: every failure
 * reaches the caller as a DomainError (the service's code, UPSTREAM_TIMEOUT or UNAVAILABLE).
 */
export class RpcClient {
  constructor(
    private readonly proxy: ClientProxy,
    private readonly defaultTimeoutMs = DEFAULT_TIMEOUT_MS,
    private readonly namespace = new Namespace(''),
  ) {}

  /** The contract's command or query with its input and context (who asks, from where). */
  call<TRequest extends object, TResponse>(
    contract: RpcContract<TRequest, TResponse>,
    input: TRequest,
    context: RpcContext = {},
    options: RpcSendOptions = {},
  ): Promise<TResponse> {
    const timeoutMs = options.timeoutMs ?? Math.max(this.defaultTimeoutMs, contract.timeoutMs ?? 0);
    return this.send<Record<string, unknown>, TResponse>(contract.subject, rpcPayload(input, context), { timeoutMs });
  }

  /** A raw payload to a subject: for callers that test the service's own checks. Prefer `call`. */
  async send<TReq, TRes>(subject: string, payload: TReq, options: RpcSendOptions = {}): Promise<TRes> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    try {
      return await firstValueFrom(this.proxy.send<TRes>(this.namespace.subject(subject), withTraceHeaders(payload)).pipe(timeout({ first: timeoutMs })));
    } catch (error) {
      throw rpcFailure(subject, timeoutMs, error);
    }
  }

  close(): Promise<void> {
    return Promise.resolve(this.proxy.close());
  }
}

function withTraceHeaders<T>(payload: T): unknown {
  const carrier = injectTraceContext<Record<string, string>>({});
  const keys = Object.keys(carrier);
  if (keys.length === 0) return payload;
  const h = natsHeaders();
  for (const key of keys) h.set(key, carrier[key]);
  return new NatsRecordBuilder(payload).setHeaders(h).build();
}

/** An RpcClient with its own NATS connection (the Nest transport uses the `nats` v2 client). */
export function createRpcClient(options: { natsUrl: string; name: string; timeoutMs?: number; namespace?: string }): RpcClient {
  const proxy = ClientProxyFactory.create({
    transport: Transport.NATS,
    options: { servers: options.natsUrl.split(','), name: `${options.name}-rpc` },
  });
  return new RpcClient(proxy, options.timeoutMs, new Namespace(options.namespace ?? ''));
}

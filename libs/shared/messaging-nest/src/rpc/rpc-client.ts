import { ClientProxy, ClientProxyFactory, NatsRecordBuilder, Transport } from '@nestjs/microservices';
import { Namespace, type RpcContext, type RpcContract } from '@parking/contracts';
import { injectTraceContext } from '@parking/observability';
import { natsClientOptions, type NatsAuth } from '@parking/messaging';
import { PROOF_HEADER, RpcProofSigner } from '@parking/rpc-proof';
import { headers as natsHeaders } from 'nats';
import { firstValueFrom, timeout } from 'rxjs';
import { rpcFailure } from './rpc-failure';

export interface RpcSendOptions {
  timeoutMs?: number;
  /** Who the request speaks for; the client's signer vouches for it in the proof. */
  context?: RpcContext;
  /** A proof made elsewhere, sent instead of signing one (specs of the services' checks). */
  proof?: string;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Request/reply over the Nest NATS transport with our error contract: every failure
 * reaches the caller as a DomainError (the service's code, UPSTREAM_TIMEOUT or UNAVAILABLE).
 * Each request carries a proof signed by this process's service (`signer`): the input alone
 * travels as the payload, the principal and caller context only inside the proof.
 */
export class RpcClient {
  /** When the NATS connection last went down (0: never); a request waiting since then gets no answer. */
  private lostAt = 0;

  constructor(
    private readonly proxy: ClientProxy,
    private readonly defaultTimeoutMs = DEFAULT_TIMEOUT_MS,
    private readonly namespace = new Namespace(''),
    private readonly signer?: RpcProofSigner,
  ) {
    (proxy as Partial<Pick<ClientProxy, 'status'>>).status?.subscribe((status) => {
      if (status !== 'connected') this.lostAt = Date.now();
    });
  }

  /** The contract's command or query with its input and context (who asks, from where). */
  call<TRequest extends object, TResponse>(
    contract: RpcContract<TRequest, TResponse>,
    input: TRequest,
    context: RpcContext = {},
    options: RpcSendOptions = {},
  ): Promise<TResponse> {
    const timeoutMs = options.timeoutMs ?? Math.max(this.defaultTimeoutMs, contract.timeoutMs ?? 0);
    return this.send<TRequest, TResponse>(contract.subject, input, { timeoutMs, context });
  }

  /** Any payload to a subject, signed like `call`: for callers that test the service's own checks. Prefer `call`. */
  async send<TReq, TRes>(subject: string, payload: TReq, options: RpcSendOptions = {}): Promise<TRes> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const sentAt = Date.now();
    try {
      const proof = options.proof ?? (await this.signer?.sign(subject, payload, options.context));
      return await firstValueFrom(this.proxy.send<TRes>(this.namespace.subject(subject), withHeaders(payload, proof)).pipe(timeout({ first: timeoutMs })));
    } catch (error) {
      throw rpcFailure(subject, timeoutMs, error, { connectionLost: this.lostAt >= sentAt });
    }
  }

  close(): Promise<void> {
    return Promise.resolve(this.proxy.close());
  }
}

/** The payload with the trace context and the proof in NATS headers. */
function withHeaders<T>(payload: T, proof: string | undefined): unknown {
  const carrier = injectTraceContext<Record<string, string>>({});
  if (proof) carrier[PROOF_HEADER] = proof;
  const keys = Object.keys(carrier);
  if (keys.length === 0) return payload;
  const h = natsHeaders();
  for (const key of keys) h.set(key, carrier[key]);
  return new NatsRecordBuilder(payload).setHeaders(h).build();
}

export interface RpcClientOptions {
  natsUrl: string;
  name: string;
  timeoutMs?: number;
  namespace?: string;
  /** The service's NATS user and inbox prefix (anonymous without). */
  natsAuth?: NatsAuth;
  /** Who this process is and its private key (RPC_SIGNING_KEY): it signs every request's proof; without it services refuse them. */
  proof?: { issuer: string; signingKey: string };
}

/** An RpcClient with its own NATS connection (the Nest transport uses the `nats` v2 client). */
export function createRpcClient(options: RpcClientOptions): RpcClient {
  const proxy = ClientProxyFactory.create({
    transport: Transport.NATS,
    options: natsClientOptions({ url: options.natsUrl, name: `${options.name}-rpc`, auth: options.natsAuth }),
  });
  const signer = options.proof ? new RpcProofSigner(options.proof.issuer, options.proof.signingKey) : undefined;
  return new RpcClient(proxy, options.timeoutMs, new Namespace(options.namespace ?? ''), signer);
}

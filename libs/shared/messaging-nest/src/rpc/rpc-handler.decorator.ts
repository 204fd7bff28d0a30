import { Ctx, MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import { Namespace, type ReceivedRpcContext, type RpcContract } from '@parking/contracts';
import { validatePayload } from '@parking/problem-details';
import { PROOF_HEADER } from '@parking/rpc-proof';
import { verifiedCaller } from './rpc-trust';

/**
 * `@RpcHandler(DEVICES_RPC.register)`: answers the contract's subject (under the process's
 * NATS namespace, NATS_NAMESPACE, read when the class is loaded, so that parallel stacks on
 * one NATS server never answer each other's requests) and is the one RPC step before any
 * handler runs:
 * 1. the caller's proof (header `Parking-Proof`) is verified against the trusted keys and the
 *    contract (who may call, whether a principal is needed): UNAUTHENTICATED or FORBIDDEN;
 * 2. the input must satisfy the contract's request class (unknown fields refused, so a
 *    `principal` inside a payload is refused too): VALIDATION_FAILED naming each field.
 * The method receives the checked instance and the verified context (issuer, principal, caller).
 */
export function RpcHandler<TRequest extends object>(contract: RpcContract<TRequest, unknown>) {
  const pattern = MessagePattern(new Namespace(process.env.NATS_NAMESPACE ?? '').subject(contract.subject));
  // Generic in the method, so that TypeScript checks it takes the contract's request class.
  return <M extends (input: TRequest, context: ReceivedRpcContext) => unknown>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    const handler = descriptor.value;
    if (!handler) throw new Error(`@RpcHandler(${contract.subject}) must decorate a method`);
    descriptor.value = async function receive(this: unknown, payload: unknown, nats?: NatsContext) {
      const context = await verifiedCaller(contract, nats?.getHeaders?.()?.get(PROOF_HEADER) || undefined, payload);
      return handler.call(this, validatePayload(contract.request, payload), context);
    } as unknown as M;
    pattern(target, key, descriptor);
    // Nest passes the raw payload and the NATS context (for the proof header) to `receive`;
    // no pipe may turn the raw payload into the class first: the step above is the check.
    Payload()(target, key, 0);
    Ctx()(target, key, 1);
    Reflect.defineMetadata('design:paramtypes', [Object, Object], target, key);
  };
}

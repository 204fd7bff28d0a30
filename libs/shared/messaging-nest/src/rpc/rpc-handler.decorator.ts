import { MessagePattern } from '@nestjs/microservices';
import { Namespace, splitRpcPayload, type ReceivedRpcContext, type RpcContract } from '@parking/contracts';
import { validatePayload } from '@parking/problem-details';

/**
 * `@RpcHandler(DEVICES_RPC.register)`: answers the contract's subject (under the process's
 * NATS namespace, NATS_NAMESPACE, read when the class is loaded, so that parallel stacks on
 * one NATS server never answer each other's requests) and is the one RPC validation step:
 * before the method runs, the payload's input must satisfy the contract's request class
 * (unknown fields refused), or the caller gets VALIDATION_FAILED naming each field. The
 * method receives the checked instance and the context (principal, caller) beside it.
 */
export function RpcHandler<TRequest extends object>(contract: RpcContract<TRequest, unknown>) {
  const pattern = MessagePattern(new Namespace(process.env.NATS_NAMESPACE ?? '').subject(contract.subject));
  // Generic in the method, so that TypeScript checks it takes the contract's request class.
  return <M extends (input: TRequest, context: ReceivedRpcContext) => unknown>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    const handler = descriptor.value;
    if (!handler) throw new Error(`@RpcHandler(${contract.subject}) must decorate a method`);
    descriptor.value = function receive(this: unknown, payload: unknown) {
      const { input, context } = splitRpcPayload(payload);
      return handler.call(this, validatePayload(contract.request, input), context);
    } as unknown as M;
    pattern(target, key, descriptor);
  };
}

import { MessagePattern } from '@nestjs/microservices';
import { Namespace } from '@parking/contracts';

/**
 * `@RpcHandler(IDENTITY_RPC.login)` instead of `@MessagePattern(...)`: the subject gets the
 * process's NATS namespace (NATS_NAMESPACE), read when the class is loaded, so that parallel
 * stacks on one NATS server (tests) never answer each other's requests.
 */
export function RpcHandler(subject: string): MethodDecorator {
  return MessagePattern(new Namespace(process.env.NATS_NAMESPACE ?? '').subject(subject));
}

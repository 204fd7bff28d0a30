import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { CallerContext } from '@parking/contracts';

/** The client's address and agent, for identity's login throttling and audit. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): CallerContext => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const agent = request.headers['user-agent'];
  return { ip: request.ip, ...(agent ? { userAgent: agent.slice(0, 500) } : {}) };
});

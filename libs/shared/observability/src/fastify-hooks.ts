/**
 * The part of a Fastify instance our hooks use. Structural on purpose: @nestjs/platform-fastify
 * ships its own copy of fastify, whose `FastifyInstance` type is not the top-level one.
 */
export interface FastifyHooks {
  addHook(
    name: 'onRequest' | 'onResponse',
    hook: (request: HookRequest, reply: HookReply) => Promise<void>,
  ): unknown;
}

export interface HookRequest {
  id: string;
  method: string;
  routeOptions: { url?: string };
}

export interface HookReply {
  statusCode: number;
  elapsedTime: number;
  header(name: string, value: string): unknown;
}

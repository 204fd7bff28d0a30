import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, MicroserviceOptions, Payload, Transport } from '@nestjs/microservices';
import { rpcSubject } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import { uniqueNamespace } from '@parking/testing';
import { createRpcClient, RpcClient } from './rpc-client';
import { RPC_UNEXPECTED_DETAIL, RpcErrorFilter } from './rpc-error.filter';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
// Subjects are fixed when the decorators run, so the namespace is chosen at load time.
const service = uniqueNamespace();
const GET = rpcSubject(service, 1, 'space', 'get');
const RESERVE = rpcSubject(service, 1, 'space', 'reserve');
const CRASH = rpcSubject(service, 1, 'space', 'crash');
const SLOW = rpcSubject(service, 1, 'space', 'slow');

@Controller()
class SpaceRpcController {
  @MessagePattern(GET)
  get(@Payload() { id }: { id: string }) {
    return { id, state: 'free' };
  }

  @MessagePattern(RESERVE)
  reserve(@Payload() { id }: { id: string }) {
    throw new DomainError('CONFLICT', `Space ${id} is already reserved for that time.`, undefined, {
      errors: [{ field: 'from', message: 'overlaps reservation r-1' }],
    });
  }

  @MessagePattern(CRASH)
  crash() {
    throw new Error('connection to 10.0.0.7:5432 refused (password=hunter2)');
  }

  @MessagePattern(SLOW)
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return 'too late';
  }
}

@Module({ controllers: [SpaceRpcController] })
class SpaceRpcModule {}

describe('RPC over NATS request/reply (real NATS)', () => {
  let server: INestMicroservice;
  let client: RpcClient;

  beforeAll(async () => {
    server = await NestFactory.createMicroservice<MicroserviceOptions>(SpaceRpcModule, {
      transport: Transport.NATS,
      options: { servers: [NATS_URL], queue: service },
      logger: false,
    });
    server.useGlobalFilters(new RpcErrorFilter());
    await server.listen();
    client = createRpcClient({ natsUrl: NATS_URL, name: 'rpc-spec', timeoutMs: 2_000 });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('returns the reply of a @MessagePattern handler', async () => {
    await expect(client.send(GET, { id: 'bay-7' })).resolves.toEqual({ id: 'bay-7', state: 'free' });
  });

  it('turns a DomainError thrown by the handler into the same DomainError for the caller', async () => {
    const failure = await client.send(RESERVE, { id: 'bay-7' }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(DomainError);
    expect(failure).toMatchObject({
      code: 'CONFLICT',
      detail: 'Space bay-7 is already reserved for that time.',
      errors: [{ field: 'from', message: 'overlaps reservation r-1' }],
    });
  });

  it('reports an unexpected handler error as INTERNAL without its internals', async () => {
    const failure = (await client.send(CRASH, {}).catch((error: unknown) => error)) as DomainError;

    expect(failure).toMatchObject({ code: 'INTERNAL', detail: RPC_UNEXPECTED_DETAIL });
    expect(JSON.stringify({ ...failure, message: failure.message })).not.toMatch(/hunter2|10\.0\.0\.7/);
  });

  it('reports a handler that does not answer in time as UPSTREAM_TIMEOUT', async () => {
    const failure = await client.send(SLOW, {}, { timeoutMs: 200 }).catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: 'UPSTREAM_TIMEOUT', detail: `${SLOW} did not answer within 200 ms.` });
  });

  it('reports a subject nobody serves as UNAVAILABLE, at once', async () => {
    const started = Date.now();
    const failure = await client.send(rpcSubject(service, 1, 'nobody', 'home'), {}).catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: 'UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { defineRpc, rpcSubject, TextField, UuidField, type ReceivedRpcContext } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import { uniqueNamespace } from '@parking/testing';
import { createRpcClient, RpcClient } from './rpc-client';
import { RpcErrorFilter } from './rpc-error.filter';
import { RpcHandler } from './rpc-handler.decorator';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const service = uniqueNamespace();

class RenameSpaceRequest {
  @UuidField() spaceId!: string;
  @TextField({ max: 20 }) name!: string;
}
const RENAME = defineRpc<RenameSpaceRequest, { spaceId: string; name: string; actor: unknown; isInstance: boolean }>(
  rpcSubject(service, 1, 'space', 'rename'),
  RenameSpaceRequest,
);

const handled: unknown[] = [];

@Controller()
class RenameController {
  @RpcHandler(RENAME)
  rename(request: RenameSpaceRequest, context: ReceivedRpcContext) {
    handled.push(request);
    return { spaceId: request.spaceId, name: request.name, actor: (context.principal as { actor?: string } | undefined)?.actor, isInstance: request instanceof RenameSpaceRequest };
  }
}

@Module({ controllers: [RenameController] })
class RenameModule {}

describe('@RpcHandler: the one RPC validation step (real NATS)', () => {
  let server: INestMicroservice;
  let client: RpcClient;

  beforeAll(async () => {
    server = await NestFactory.createMicroservice<MicroserviceOptions>(RenameModule, {
      transport: Transport.NATS,
      options: { servers: [NATS_URL], queue: service },
      logger: false,
    });
    server.useGlobalFilters(new RpcErrorFilter());
    await server.listen();
    client = createRpcClient({ natsUrl: NATS_URL, name: 'rpc-handler-spec', timeoutMs: 2_000 });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });
  beforeEach(() => {
    handled.length = 0;
  });

  it('hands the handler a checked, normalised instance of the class and the context beside it', async () => {
    const reply = await client.call(RENAME, { spaceId: '5B1E7C2A-3D4F-4A6B-8C9D-0E1F2A3B4C5D', name: '  Bay 7 ' }, { principal: { actor: 'user:ada' } as never });
    expect(reply).toEqual({ spaceId: '5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d', name: 'Bay 7', actor: 'user:ada', isInstance: true });
    expect(handled).toHaveLength(1);
  });

  it('answers VALIDATION_FAILED naming every bad and unknown field, and never runs the handler', async () => {
    const failure = await client.send(RENAME.subject, { spaceId: 'bay-7', name: 'x'.repeat(21), colour: 'red', principal: { actor: 'user:ada' } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DomainError);
    expect(failure).toMatchObject({
      code: 'VALIDATION_FAILED',
      detail: 'The request has 3 invalid fields: colour, spaceId, name.',
      errors: [
        { field: 'colour', message: 'property colour should not exist' },
        { field: 'spaceId', message: 'spaceId must be a UUID' },
        { field: 'name', message: 'name must be shorter than or equal to 20 characters' },
      ],
    });
    expect(handled).toEqual([]);
  });

  it('refuses a payload that is no object', async () => {
    const failure = await client.send(RENAME.subject, 'rename bay 7').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'payload', message: 'must be a JSON object' }] });
    expect(handled).toEqual([]);
  });
});

import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { defineRpc, rpcSubject, TextField, UuidField, type Principal, type ReceivedRpcContext } from '@parking/contracts';
import { DomainError } from '@parking/problem-details';
import { generateProofKeyPair, readTrustedKeys, RpcProofVerifier, trustedKeyEntry } from '@parking/rpc-proof';
import { uniqueNamespace } from '@parking/testing';
import { createRpcClient, RpcClient } from './rpc-client';
import { RpcErrorFilter } from './rpc-error.filter';
import { RpcHandler } from './rpc-handler.decorator';
import { trustRpcCallers } from './rpc-trust';

const NATS_URL = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const service = uniqueNamespace();

class RenameSpaceRequest {
  @UuidField() spaceId!: string;
  @TextField({ max: 20 }) name!: string;
}
type Renamed = { spaceId: string; name: string; issuer: string; actor?: string; isInstance: boolean };
const RENAME = defineRpc<RenameSpaceRequest, Renamed>(rpcSubject(service, 1, 'space', 'rename'), RenameSpaceRequest);
/** A command another service (here downlink) may send, for itself, not for a tenant's user. */
const FLUSH = defineRpc<RenameSpaceRequest, Renamed>(rpcSubject(service, 1, 'space', 'flush'), RenameSpaceRequest, undefined, { access: 'service', callers: ['downlink'] });

const handled: unknown[] = [];
const reply = (request: RenameSpaceRequest, context: ReceivedRpcContext): Renamed => {
  handled.push(request);
  return { spaceId: request.spaceId, name: request.name, issuer: context.issuer, actor: context.principal?.actor, isInstance: request instanceof RenameSpaceRequest };
};

@Controller()
class RenameController {
  @RpcHandler(RENAME)
  rename(request: RenameSpaceRequest, context: ReceivedRpcContext) {
    return reply(request, context);
  }

  @RpcHandler(FLUSH)
  flush(request: RenameSpaceRequest, context: ReceivedRpcContext) {
    return reply(request, context);
  }
}

@Module({ controllers: [RenameController] })
class RenameModule {}

const ada: Principal = {
  kind: 'user',
  tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
  actor: 'user:6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33',
  userId: '6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33',
  role: 'owner',
  permissions: ['spaces:write'],
  isPlatformAdmin: false,
};
const input = { spaceId: '5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d', name: 'Bay 7' };

describe('@RpcHandler: the one RPC step, proof then payload (real NATS)', () => {
  const gatewayKeys = generateProofKeyPair();
  const downlinkKeys = generateProofKeyPair();
  let server: INestMicroservice;
  let gateway: RpcClient;
  let downlink: RpcClient;
  const others: RpcClient[] = [];
  const client = (proof?: { issuer: string; signingKey: string }) => {
    const made = createRpcClient({ natsUrl: NATS_URL, name: 'rpc-handler-spec', timeoutMs: 2_000, ...(proof ? { proof } : {}) });
    others.push(made);
    return made;
  };
  const failureOf = (promise: Promise<unknown>) => promise.then(() => new Error('expected a refusal'), (error: unknown) => error);

  beforeAll(async () => {
    trustRpcCallers(new RpcProofVerifier(readTrustedKeys([trustedKeyEntry('gateway', gatewayKeys.publicKey), trustedKeyEntry('downlink', downlinkKeys.publicKey)].join(','))));
    server = await NestFactory.createMicroservice<MicroserviceOptions>(RenameModule, { transport: Transport.NATS, options: { servers: [NATS_URL], queue: service }, logger: false });
    server.useGlobalFilters(new RpcErrorFilter());
    await server.listen();
    gateway = client({ issuer: 'gateway', signingKey: gatewayKeys.privateKey });
    downlink = client({ issuer: 'downlink', signingKey: downlinkKeys.privateKey });
  });
  afterAll(async () => {
    await Promise.all(others.map((c) => c.close()));
    await server.close();
    trustRpcCallers(undefined);
  });
  beforeEach(() => {
    handled.length = 0;
  });

  it('hands the handler a checked, normalised instance of the class and the verified context', async () => {
    const answer = await gateway.call(RENAME, { spaceId: '5B1E7C2A-3D4F-4A6B-8C9D-0E1F2A3B4C5D', name: '  Bay 7 ' }, { principal: ada });
    expect(answer).toEqual({ spaceId: '5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d', name: 'Bay 7', issuer: 'gateway', actor: ada.actor, isInstance: true });
    expect(handled).toHaveLength(1);
  });

  it('answers VALIDATION_FAILED naming every bad and unknown field, and never runs the handler', async () => {
    const failure = await failureOf(gateway.send(RENAME.subject, { spaceId: 'bay-7', name: 'x'.repeat(21), colour: 'red' }, { context: { principal: ada } }));
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
    expect(await failureOf(gateway.send(RENAME.subject, 'rename bay 7', { context: { principal: ada } }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'payload', message: 'must be a JSON object' }],
    });
    expect(handled).toEqual([]);
  });

  it('never trusts a principal written inside the payload: with no proof the request is refused', async () => {
    const unsigned = client();
    expect(await failureOf(unsigned.send(RENAME.subject, { ...input, principal: { ...ada, isPlatformAdmin: true } }))).toMatchObject({
      code: 'UNAUTHENTICATED',
      detail: 'Refused: the request carries no proof of its caller.',
    });
    // With a proof, a payload field named principal is an unknown field like any other.
    expect(await failureOf(gateway.send(RENAME.subject, { ...input, principal: ada }, { context: {} }))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await failureOf(gateway.send(RENAME.subject, { ...input, principal: ada }, { context: { principal: ada } }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'principal', message: 'property principal should not exist' }],
    });
    expect(handled).toEqual([]);
  });

  it('refuses a proof signed with a key it does not trust, even one that names the gateway', async () => {
    const forger = client({ issuer: 'gateway', signingKey: generateProofKeyPair().privateKey });
    expect(await failureOf(forger.call(RENAME, input, { principal: ada }))).toMatchObject({
      code: 'UNAUTHENTICATED',
      detail: 'Refused: the proof is signed with a key this service does not trust.',
    });
    expect(handled).toEqual([]);
  });

  it("refuses another service's valid proof that speaks for a tenant's user, or comes where it may not", async () => {
    expect(await failureOf(downlink.call(RENAME, input, { principal: ada }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await failureOf(downlink.call(RENAME, input))).toMatchObject({ code: 'FORBIDDEN', detail: `${RENAME.subject} does not take requests from downlink.` });
    expect(await failureOf(downlink.call(FLUSH, input, { principal: ada }))).toMatchObject({
      code: 'FORBIDDEN',
      detail: "A service (downlink) proves itself, never a tenant's user; its proof may carry no principal.",
    });
    expect(await failureOf(gateway.call(FLUSH, input))).toMatchObject({ code: 'FORBIDDEN' });
    expect(handled).toEqual([]);
  });

  it('lets a service call what names it as a caller, as itself', async () => {
    const answer = await downlink.call(FLUSH, input);
    expect(answer).toMatchObject({ issuer: 'downlink', spaceId: input.spaceId });
    expect(answer.actor).toBeUndefined();
  });

  it('needs a principal where the command acts for a tenant', async () => {
    expect(await failureOf(gateway.call(RENAME, input))).toMatchObject({ code: 'UNAUTHENTICATED', detail: 'This request needs an authenticated principal.' });
  });
});

import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, MessagePattern, Payload, RpcException, Transport, type MicroserviceOptions, type NatsContext } from '@nestjs/microservices';
import { SignJWT, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { IDENTITY_RPC, Namespace, type Principal } from '@parking/contracts';
import { RpcErrorFilter } from '@parking/messaging-nest';
import { PROOF_HEADER, readTrustedKeys, RpcProofVerifier } from '@parking/rpc-proof';
import { TEST_RPC_KEYS } from '@parking/testing';

export const FAKE_TENANT = '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10';
export const FAKE_USER = '6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33';
/** An API key id that identity (under RLS) does not find for the fake tenant. */
export const OTHER_TENANTS_KEY_ID = '99999999-9999-4999-8999-999999999999';

export interface FakeIdentity {
  /** The payloads identity received, by subject (without namespace). */
  received: Map<string, unknown[]>;
  /** A valid access token of a user with `role` in FAKE_TENANT. */
  accessToken(role?: string, extra?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/**
 * Identity's side of the RPC contract, answered from memory, so gateway tests run against a
 * real NATS without the identity service and its database.
 */
export async function startFakeIdentity(options: { namespace: string; apiKeys: Record<string, Principal['permissions']>; natsUrl?: string }): Promise<FakeIdentity> {
  const ns = new Namespace(options.namespace);
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'fake-1', alg: 'ES256', use: 'sig' };
  const received = new Map<string, unknown[]>();
  // What identity learns of a request: its input, and the principal the gateway's proof vouches for.
  const verifier = new RpcProofVerifier(readTrustedKeys(TEST_RPC_KEYS.trustedKeys));
  const record = async (subject: string, payload: unknown, nats: NatsContext) => {
    const { principal } = await verifier.verify(nats.getHeaders()?.get(PROOF_HEADER), subject, payload);
    received.set(subject, [...(received.get(subject) ?? []), { ...(payload as object), principal }]);
  };

  @Controller()
  class FakeIdentityRpc {
    @MessagePattern(ns.subject(IDENTITY_RPC.jwks.subject))
    jwks() {
      return { keys: [jwk] };
    }

    @MessagePattern(ns.subject(IDENTITY_RPC.authenticateApiKey.subject))
    authenticateApiKey(@Payload() { key }: { key: string }): { principal: Principal } {
      const scopes = options.apiKeys[key];
      if (!scopes) throw new RpcException({ code: 'UNAUTHENTICATED', detail: 'The API key is not valid.' });
      const id = `a0a0a0a0-0000-4000-8000-${String(Object.keys(options.apiKeys).indexOf(key)).padStart(12, '0')}`;
      return { principal: { kind: 'api-key', tenantId: FAKE_TENANT, actor: `api-key:${id}`, apiKeyId: id, permissions: scopes, isPlatformAdmin: false } };
    }

    @MessagePattern(ns.subject(IDENTITY_RPC.listUsers.subject))
    async listUsers(@Payload() payload: unknown, @Ctx() nats: NatsContext) {
      await record(IDENTITY_RPC.listUsers.subject, payload, nats);
      return { items: [], nextCursor: null };
    }

    @MessagePattern(ns.subject(IDENTITY_RPC.revokeApiKey.subject))
    async revokeApiKey(@Payload() payload: { apiKeyId: string }, @Ctx() nats: NatsContext) {
      await record(IDENTITY_RPC.revokeApiKey.subject, payload, nats);
      throw new RpcException({ code: 'NOT_FOUND', detail: `API key "${payload.apiKeyId}" does not exist.` });
    }
  }

  @Module({ controllers: [FakeIdentityRpc] })
  class FakeIdentityModule {}

  const server: INestMicroservice = await NestFactory.createMicroservice<MicroserviceOptions>(FakeIdentityModule, {
    transport: Transport.NATS,
    options: { servers: [options.natsUrl ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222'], queue: `${options.namespace}-identity` },
    logger: false,
  });
  server.useGlobalFilters(new RpcErrorFilter());
  await server.listen();

  return {
    received,
    accessToken: (role = 'owner', extra = {}) => signAccessToken(privateKey, role, extra),
    close: () => server.close(),
  };
}

function signAccessToken(key: KeyLike, role: string, extra: Record<string, unknown>): Promise<string> {
  return new SignJWT({ tid: FAKE_TENANT, role, ...extra })
    .setProtectedHeader({ alg: 'ES256', kid: 'fake-1' })
    .setIssuer('parking-identity')
    .setAudience('parking-api')
    .setSubject(FAKE_USER)
    .setIssuedAt()
    .setJti(`jti-${Math.random().toString(36).slice(2)}`)
    .setExpirationTime('15m')
    .sign(key);
}

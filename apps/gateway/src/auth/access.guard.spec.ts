import { Controller, Get, Global, Module, Post, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { SignJWT, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { ConfigModule } from '@parking/config';
import { IDENTITY_RPC, type Principal, type RpcContract } from '@parking/contracts';
import { RpcClient } from '@parking/messaging-nest';
import { DomainError, ProblemDetailsFilter, createValidationPipe } from '@parking/problem-details';
import { Public, RequirePermission, RequirePlatformAdmin } from './access-requirements';
import { AuthModule } from './auth.module';
import { CredentialExpiry } from './credential-expiry';
import { CurrentPrincipal } from './current-principal.decorator';

// Shaped as identity issues keys: the gateway refuses other shapes without asking.
const READER_KEY = 'pk_live_reader00_s3cretreaders3cretreaders3cretreaders3cretr';
const EXPIRING_KEY = 'pk_live_expiring_s3cretexpirings3cretexpirings3cretexpiri';
const EXPIRING_KEY_EXPIRY = new Date(Date.now() + 3_600_000).toISOString();
const REVOKED_KEY = 'pk_live_revoked0_s3cretrevokeds3cretrevokeds3cretrevokeds3cr';
const OTHER_KEY = 'pk_live_other000_s3cretothers3cretothers3cretothers3cretothe';

@Controller('probe')
class ProbeController {
  @Public()
  @Get('open')
  open() {
    return { open: true };
  }

  @RequirePermission('spaces:read')
  @Get('spaces')
  read(@CurrentPrincipal() principal: Principal) {
    return { actor: principal.actor };
  }

  @RequirePermission('spaces:write')
  @Post('spaces')
  write() {
    return { written: true };
  }

  @RequirePlatformAdmin()
  @Get('admin')
  admin() {
    return { admin: true };
  }

  @RequirePermission('spaces:read')
  @Get('expiry')
  expiry(@CredentialExpiry() expiresAt: number | undefined) {
    return { expiresAt: expiresAt ?? null };
  }
}

const TENANT = '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10';
const USER = '6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33';
const KEY_ID = 'b1f1f1f1-2222-4333-8444-555555555555';

function apiKeyPrincipal(permissions: Principal['permissions']): Principal {
  return { kind: 'api-key', tenantId: TENANT, actor: `api-key:${KEY_ID}`, apiKeyId: KEY_ID, permissions, isPlatformAdmin: false };
}

const rpc = { call: jest.fn() };

/** Stands in for RpcClientModule (global in the gateway). */
@Global()
@Module({ providers: [{ provide: RpcClient, useValue: rpc }], exports: [RpcClient] })
class FakeRpcModule {}

describe('AccessGuard (JWT via JWKS, API keys via identity, permissions)', () => {
  let app: NestFastifyApplication;
  let signingKey: KeyLike;
  let rotatedKey: KeyLike;
  let jwks: Array<Record<string, unknown>>;
  let rotatedJwk: Record<string, unknown>;

  async function token(claims: Record<string, unknown> = {}, options: { kid?: string; key?: KeyLike; expiresIn?: string | number } = {}) {
    return new SignJWT({ tid: TENANT, role: 'viewer', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'key-1' })
      .setIssuer('parking-identity')
      .setAudience((claims.aud as string) ?? 'parking-api')
      .setSubject(USER)
      .setIssuedAt()
      .setJti('jti-1')
      .setExpirationTime(options.expiresIn ?? '15m')
      .sign(options.key ?? signingKey);
  }

  async function call(method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}) {
    const response = await app.getHttpAdapter().getInstance().inject({ method, url, headers });
    return { status: response.statusCode, headers: response.headers, body: response.json() as Record<string, unknown> };
  }

  const jwksCalls = () => rpc.call.mock.calls.filter(([contract]) => contract === IDENTITY_RPC.jwks).length;

  beforeAll(async () => {
    const first = await generateKeyPair('ES256');
    const second = await generateKeyPair('ES256');
    signingKey = first.privateKey;
    rotatedKey = second.privateKey;
    jwks = [{ ...(await exportJWK(first.publicKey)), kid: 'key-1', alg: 'ES256', use: 'sig' }];
    rotatedJwk = { ...(await exportJWK(second.publicKey)), kid: 'key-2', alg: 'ES256', use: 'sig' };

    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ rpc: { timeoutMs: 1_000 }, auth: { apiKeyCacheTtlMs: 60_000, apiKeyRefusalCacheMs: 0, jwksRefreshMinIntervalMs: 60_000 } }),
        FakeRpcModule,
        AuthModule,
      ],
      controllers: [ProbeController],
      providers: [ProblemDetailsFilter, { provide: APP_FILTER, useExisting: ProblemDetailsFilter }],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    app.useGlobalPipes(createValidationPipe());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await (app as INestApplication | undefined)?.close();
  });

  beforeEach(() => {
    rpc.call.mockReset();
    rpc.call.mockImplementation(async (contract: RpcContract<object, unknown>, input: { key?: string }) => {
      if (contract === IDENTITY_RPC.jwks) return { keys: jwks };
      if (contract === IDENTITY_RPC.authenticateApiKey) {
        if (input.key === READER_KEY) return { principal: apiKeyPrincipal(['spaces:read']) };
        if (input.key === EXPIRING_KEY) return { principal: apiKeyPrincipal(['spaces:read']), expiresAt: EXPIRING_KEY_EXPIRY };
        throw new DomainError('UNAUTHENTICATED', 'The API key is not valid.');
      }
      throw new Error(`unexpected subject ${contract.subject}`);
    });
  });

  it('lets anyone reach a @Public() route', async () => {
    expect(await call('GET', '/probe/open')).toMatchObject({ status: 200, body: { open: true } });
  });

  it('answers a route without credentials with 401 problem+json and WWW-Authenticate', async () => {
    const response = await call('GET', '/probe/spaces');
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="parking-api"');
    expect(response.body).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('accepts a valid ES256 access token and puts the user principal on the request', async () => {
    const response = await call('GET', '/probe/spaces', { authorization: `Bearer ${await token()}` });
    expect(response).toMatchObject({ status: 200, body: { actor: `user:${USER}` } });
  });

  it('refuses an expired token with 401 INVALID_TOKEN', async () => {
    const expired = await token({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const response = await call('GET', '/probe/spaces', { authorization: `Bearer ${expired}` });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    expect(response.body).toMatchObject({ code: 'INVALID_TOKEN', detail: 'The access token has expired; refresh it.' });
  });

  it('refuses a token for another audience with 401', async () => {
    const response = await call('GET', '/probe/spaces', { authorization: `Bearer ${await token({ aud: 'someone-else' })}` });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'INVALID_TOKEN', detail: expect.stringContaining('audience') });
  });

  it('refuses a token signed by a key that is not in the JWKS', async () => {
    const forged = await token({}, { key: rotatedKey });
    const response = await call('GET', '/probe/spaces', { authorization: `Bearer ${forged}` });
    expect(response.status).toBe(401);
  });

  it('refreshes the JWKS once for an unknown kid, then accepts the rotated key', async () => {
    // The first fetch (earlier test) was less than the minimum interval ago; move past it.
    const realNow = Date.now.bind(Date);
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 61_000);
    jwks = [...jwks, rotatedJwk];
    const rotated = await token({}, { kid: 'key-2', key: rotatedKey });
    const before = jwksCalls();

    expect((await call('GET', '/probe/spaces', { authorization: `Bearer ${rotated}` })).status).toBe(200);
    expect(jwksCalls() - before).toBe(1);
    expect((await call('GET', '/probe/spaces', { authorization: `Bearer ${rotated}` })).status).toBe(200);
    expect(jwksCalls() - before).toBe(1);
  });

  it('does not refresh the JWKS again within the minimum interval, however many unknown kids arrive', async () => {
    const before = jwksCalls();
    for (const kid of ['nope-1', 'nope-2', 'nope-3']) {
      expect((await call('GET', '/probe/spaces', { authorization: `Bearer ${await token({}, { kid })}` })).status).toBe(401);
    }
    expect(jwksCalls() - before).toBe(0);
  });

  it('forbids a viewer to write, naming the missing permission', async () => {
    const response = await call('POST', '/probe/spaces', { authorization: `Bearer ${await token({ role: 'viewer' })}` });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'FORBIDDEN', missingPermission: 'spaces:write', detail: expect.stringContaining('spaces:write') });
  });

  it('lets an operator write', async () => {
    const response = await call('POST', '/probe/spaces', { authorization: `Bearer ${await token({ role: 'operator' })}` });
    expect(response.status).toBe(201);
  });

  it('keeps platform-admin routes for tokens that say pa: true', async () => {
    expect((await call('GET', '/probe/admin', { authorization: `Bearer ${await token({ role: 'owner' })}` })).status).toBe(403);
    expect((await call('GET', '/probe/admin', { authorization: `Bearer ${await token({ role: 'owner', pa: true })}` })).status).toBe(200);
  });

  it('accepts an API key in X-API-Key and as a Bearer pk_ token', async () => {
    expect(await call('GET', '/probe/spaces', { 'x-api-key': READER_KEY })).toMatchObject({
      status: 200,
      body: { actor: `api-key:${KEY_ID}` },
    });
    expect((await call('GET', '/probe/spaces', { authorization: `Bearer ${READER_KEY}` })).status).toBe(200);
  });

  it('does not ask identity again for a key it verified moments ago', async () => {
    await call('GET', '/probe/spaces', { 'x-api-key': READER_KEY });
    await call('GET', '/probe/spaces', { 'x-api-key': READER_KEY });
    // The previous test verified this key; the cache still holds it.
    expect(rpc.call.mock.calls.filter(([contract]) => contract === IDENTITY_RPC.authenticateApiKey)).toHaveLength(0);
  });

  it('forbids an API key without the scope, naming the scope', async () => {
    const response = await call('POST', '/probe/spaces', { 'x-api-key': READER_KEY });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'FORBIDDEN', missingPermission: 'spaces:write', detail: 'This API key lacks the scope spaces:write.' });
  });

  it('refuses a revoked or unknown key with 401 and WWW-Authenticate', async () => {
    const response = await call('GET', '/probe/spaces', { 'x-api-key': REVOKED_KEY });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="parking-api"/);
    expect(response.body).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('never lets an API key use a platform-admin route', async () => {
    expect((await call('GET', '/probe/admin', { 'x-api-key': READER_KEY })).status).toBe(403);
  });

  it('leaves the credential’s expiry beside the principal: a token’s exp, an API key’s expiry, none for a key without one', async () => {
    const expiresIn = Math.floor(Date.now() / 1000) + 600;
    expect((await call('GET', '/probe/expiry', { authorization: `Bearer ${await token({}, { expiresIn })}` })).body).toEqual({ expiresAt: expiresIn * 1000 });
    expect((await call('GET', '/probe/expiry', { 'x-api-key': EXPIRING_KEY })).body).toEqual({ expiresAt: Date.parse(EXPIRING_KEY_EXPIRY) });
    // Cached: the second use still knows the expiry.
    expect((await call('GET', '/probe/expiry', { 'x-api-key': EXPIRING_KEY })).body).toEqual({ expiresAt: Date.parse(EXPIRING_KEY_EXPIRY) });
    expect((await call('GET', '/probe/expiry', { 'x-api-key': READER_KEY })).body).toEqual({ expiresAt: null });
  });

  it('answers 503 when identity cannot be reached to check a key', async () => {
    rpc.call.mockRejectedValue(new DomainError('UNAVAILABLE', 'No service answers rpc.identity.v1.api-keys.authenticate at the moment.'));
    const response = await call('GET', '/probe/spaces', { 'x-api-key': OTHER_KEY });
    expect(response).toMatchObject({ status: 503, body: { code: 'UNAVAILABLE' } });
  });
});

/** Ingest's device RPCs through the one validation step, on real NATS and PostgreSQL: a payload that fails its class changes nothing. */
import { randomBytes, randomUUID } from 'node:crypto';
import { INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { DEVICES_RPC, type Principal } from '@parking/contracts';
import { OutboxWriter } from '@parking/messaging';
import { createRpcClient, RpcClient, RpcErrorFilter, trustRpcCallers } from '@parking/messaging-nest';
import { readTrustedKeys, RpcProofVerifier } from '@parking/rpc-proof';
import { TENANT_DATABASE } from '@parking/service-runtime';
import { TEST_RPC_KEYS, uniqueNamespace } from '@parking/testing';
import { NATS_URL, PipelineHarness } from '../pipeline/test/pipeline-harness';

// Handlers take their subjects from NATS_NAMESPACE when their class loads: set it first.
const namespace = uniqueNamespace();
process.env.NATS_NAMESPACE = namespace;

const newEui = () => randomBytes(8).toString('hex');
const owner = (): Principal => {
  const userId = randomUUID();
  return { kind: 'user', tenantId: randomUUID(), actor: `user:${userId}`, userId, role: 'owner', permissions: ['devices:read', 'devices:write'], isPlatformAdmin: false };
};

describe('ingest device RPCs: the payload class is checked before any handler runs', () => {
  let h: PipelineHarness;
  let server: INestMicroservice;
  let client: RpcClient;

  const rows = async (table: 'devices' | 'outbox', tenantId: string) =>
    (await h.admin.query(`SELECT count(*)::int AS n FROM ingest.${table} WHERE tenant_id = $1`, [tenantId])).rows[0].n as number;

  beforeAll(async () => {
    h = await PipelineHarness.start();
    const { DevicesRpc } = await import('./devices.rpc');
    const { DevicesUseCases } = await import('./devices.use-cases');
    const { DeviceImportUseCase } = await import('./device-import.use-case');
    const { AdminDevicesUseCases } = await import('./admin-devices.use-cases');
    @Module({
      controllers: [DevicesRpc],
      providers: [{ provide: TENANT_DATABASE, useValue: h.db }, { provide: OutboxWriter, useValue: h.outbox }, DevicesUseCases, DeviceImportUseCase, AdminDevicesUseCases],
    })
    class DevicesRpcModule {}
    server = await NestFactory.createMicroservice<MicroserviceOptions>(DevicesRpcModule, { transport: Transport.NATS, options: { servers: [NATS_URL], queue: namespace }, logger: false });
    server.useGlobalFilters(new RpcErrorFilter());
    await server.listen();
    trustRpcCallers(new RpcProofVerifier(readTrustedKeys(TEST_RPC_KEYS.trustedKeys)));
    client = createRpcClient({ natsUrl: NATS_URL, name: 'devices-rpc-spec', namespace, timeoutMs: 5_000, proof: TEST_RPC_KEYS.gatewayProof });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await server?.close();
    await h?.close();
  });

  it('registers a device whose payload passes (the control)', async () => {
    const principal = owner();
    const device = await client.call(DEVICES_RPC.register, { devEui: newEui().toUpperCase(), kind: 'sensor', codec: 'nwave-nps405', name: ' Bay 1 ' }, { principal });
    expect(device).toMatchObject({ kind: 'sensor', name: 'Bay 1', version: 1 });
    expect(await rows('devices', principal.tenantId)).toBe(1);
  });

  it('answers VALIDATION_FAILED naming each field of a bad registration, and writes no device and no event', async () => {
    const principal = owner();
    const failure = await client
      .send(DEVICES_RPC.register.subject, { devEui: 'zz', kind: 'lamp', codec: 'nwave-nps405', name: 'Bay 2', colour: 'red' }, { context: { principal } })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: expect.arrayContaining([
        { field: 'colour', message: 'property colour should not exist' },
        { field: 'devEui', message: 'devEui must be 16 hex digits (upper or lower case, optionally separated by "-" or ":")' },
        { field: 'kind', message: 'kind must be one of the following values: sensor, display' },
      ]),
    });
    expect(await rows('devices', principal.tenantId)).toBe(0);
    expect(await rows('outbox', principal.tenantId)).toBe(0);
  });

  it('refuses a bad change before the handler reads the device: the device and its events stay as they were', async () => {
    const principal = owner();
    const device = await client.call(DEVICES_RPC.register, { devEui: newEui(), kind: 'sensor', codec: 'nwave-nps405', name: 'Bay 3' }, { principal });
    const failure = await client.send(DEVICES_RPC.update.subject, { devEui: device.devEui, name: 'Renamed', version: 0 }, { context: { principal } }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'version', message: 'version must not be less than 1' }] });
    expect(await client.call(DEVICES_RPC.get, { devEui: device.devEui }, { principal })).toMatchObject({ name: 'Bay 3', version: 1 });
    expect(await rows('outbox', principal.tenantId)).toBe(1);
  });
});

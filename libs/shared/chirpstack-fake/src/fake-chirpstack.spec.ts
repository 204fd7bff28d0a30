import * as grpc from '@grpc/grpc-js';
import { ApplicationServiceClient } from '@chirpstack/chirpstack-api/api/application_grpc_pb';
import { GetApplicationRequest, GetApplicationResponse } from '@chirpstack/chirpstack-api/api/application_pb';
import { DeviceServiceClient } from '@chirpstack/chirpstack-api/api/device_grpc_pb';
import {
  CreateDeviceKeysRequest,
  CreateDeviceRequest,
  DeleteDeviceKeysRequest,
  DeleteDeviceRequest,
  Device,
  DeviceKeys,
  DeviceQueueItem,
  EnqueueDeviceQueueItemRequest,
  EnqueueDeviceQueueItemResponse,
  FlushDeviceQueueRequest,
  GetDeviceKeysRequest,
  GetDeviceKeysResponse,
  GetDeviceQueueItemsRequest,
  GetDeviceQueueItemsResponse,
  GetDeviceRequest,
  GetDeviceResponse,
  GetRandomDevAddrRequest,
  ListDevicesRequest,
  ListDevicesResponse,
  UpdateDeviceKeysRequest,
  UpdateDeviceRequest,
} from '@chirpstack/chirpstack-api/api/device_pb';
import { DeviceProfileServiceClient } from '@chirpstack/chirpstack-api/api/device_profile_grpc_pb';
import {
  GetDeviceProfileRequest,
  GetDeviceProfileResponse,
  ListDeviceProfilesRequest,
  ListDeviceProfilesResponse,
} from '@chirpstack/chirpstack-api/api/device_profile_pb';
import { GatewayServiceClient } from '@chirpstack/chirpstack-api/api/gateway_grpc_pb';
import {
  CreateGatewayRequest,
  DeleteGatewayRequest,
  Gateway,
  GatewayState,
  GetGatewayRequest,
  GetGatewayResponse,
  ListGatewaysRequest,
  ListGatewaysResponse,
  UpdateGatewayRequest,
} from '@chirpstack/chirpstack-api/api/gateway_pb';
import { Region } from '@chirpstack/chirpstack-api/common/common_pb';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { FakeChirpStack } from './index';

const TOKEN = 'fake-token';
const TENANT = '52f14cd4-c6f1-4fbd-8f87-4025e1d49242';
const EUI_A = '0102030405060708';
const EUI_B = 'a0a1a2a3a4a5a6a7';
const GW = 'aa555a0000000001';
const NWK_KEY = '01020304050607080102030405060708';

function auth(token = TOKEN): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

/** Promisifies one generated-client call. */
function rpc<T>(invoke: (callback: (error: grpc.ServiceError | null, response?: T) => void) => unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    invoke((error, response) => (error ? reject(error) : resolve(response as T)));
  });
}

async function expectCode(promise: Promise<unknown>, code: grpc.status): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

interface DeviceFields {
  devEui: string;
  name: string;
  applicationId: string;
  tags: Record<string, string>;
  variables: Record<string, string>;
}

function deviceMessage(fields: Partial<DeviceFields> = {}): Device {
  const device = new Device();
  device.setDevEui(fields.devEui ?? EUI_A);
  device.setName(fields.name ?? 'bay-1');
  device.setDescription('bay sensor');
  device.setApplicationId(fields.applicationId ?? '');
  device.setDeviceProfileId('dp-1');
  for (const [k, v] of Object.entries(fields.tags ?? {})) device.getTagsMap().set(k, v);
  for (const [k, v] of Object.entries(fields.variables ?? {})) device.getVariablesMap().set(k, v);
  return device;
}

function gatewayMessage(gatewayId = GW, name = 'roof'): Gateway {
  const gateway = new Gateway();
  gateway.setGatewayId(gatewayId);
  gateway.setName(name);
  gateway.setTenantId(TENANT);
  gateway.setStatsInterval(30);
  gateway.getTagsMap().set('site', 'north');
  return gateway;
}

describe('FakeChirpStack', () => {
  let fake: FakeChirpStack;
  let devices: DeviceServiceClient;
  let gateways: GatewayServiceClient;
  let applications: ApplicationServiceClient;
  let profiles: DeviceProfileServiceClient;

  const createDevice = (device: Device, metadata = auth()) => {
    const request = new CreateDeviceRequest();
    request.setDevice(device);
    return rpc((cb) => devices.create(request, metadata, cb));
  };
  const getDevice = (devEui: string) => {
    const request = new GetDeviceRequest();
    request.setDevEui(devEui);
    return rpc<GetDeviceResponse>((cb) => devices.get(request, auth(), cb));
  };
  const enqueue = (devEui: string, fPort: number, data: Uint8Array, expiresAt?: Date) => {
    const item = new DeviceQueueItem();
    item.setDevEui(devEui);
    item.setFPort(fPort);
    item.setData(data);
    item.setConfirmed(true);
    if (expiresAt) item.setExpiresAt(Timestamp.fromDate(expiresAt));
    const request = new EnqueueDeviceQueueItemRequest();
    request.setQueueItem(item);
    return rpc<EnqueueDeviceQueueItemResponse>((cb) => devices.enqueue(request, auth(), cb));
  };

  beforeEach(async () => {
    fake = await FakeChirpStack.start();
    const credentials = grpc.credentials.createInsecure();
    devices = new DeviceServiceClient(fake.address, credentials);
    gateways = new GatewayServiceClient(fake.address, credentials);
    applications = new ApplicationServiceClient(fake.address, credentials);
    profiles = new DeviceProfileServiceClient(fake.address, credentials);
  });

  afterEach(async () => {
    for (const client of [devices, gateways, applications, profiles]) client.close();
    await fake.stop();
  });

  it('listens on an ephemeral local port', () => {
    expect(fake.port).toBeGreaterThan(0);
    expect(fake.address).toBe(`127.0.0.1:${fake.port}`);
    expect(fake.url).toBe(`http://127.0.0.1:${fake.port}`);
  });

  describe('auth', () => {
    it('answers UNAUTHENTICATED without a known bearer token, and records the refusal', async () => {
      await expectCode(createDevice(deviceMessage(), new grpc.Metadata()), grpc.status.UNAUTHENTICATED);
      await expectCode(createDevice(deviceMessage(), auth('wrong')), grpc.status.UNAUTHENTICATED);
      expect(fake.devices()).toEqual([]);
      expect(fake.callsOf('DeviceService.Create').map((c) => c.failed)).toEqual([
        grpc.status.UNAUTHENTICATED,
        grpc.status.UNAUTHENTICATED,
      ]);
    });

    it('accepts added tokens and refuses revoked ones', async () => {
      fake.addToken('rotated');
      await createDevice(deviceMessage(), auth('rotated'));
      fake.revokeToken(TOKEN);
      await expectCode(getDevice(EUI_A), grpc.status.UNAUTHENTICATED);
    });

    it('takes the tokens given at start instead of the default', async () => {
      const custom = await FakeChirpStack.start({ tokens: ['t-1'] });
      const client = new DeviceServiceClient(custom.address, grpc.credentials.createInsecure());
      try {
        const request = new CreateDeviceRequest();
        request.setDevice(deviceMessage());
        await expectCode(rpc((cb) => client.create(request, auth(), cb)), grpc.status.UNAUTHENTICATED);
        await rpc((cb) => client.create(request, auth('t-1'), cb));
        expect(custom.device(EUI_A)?.name).toBe('bay-1');
      } finally {
        client.close();
        await custom.stop();
      }
    });
  });

  describe('DeviceService', () => {
    it('creates a device and answers it from Get, with ChirpStack defaults', async () => {
      await createDevice(deviceMessage({ devEui: EUI_B.toUpperCase(), tags: { bay: '7' }, variables: { k: 'v' } }));

      expect(fake.device(EUI_B)).toEqual({
        devEui: EUI_B,
        name: 'bay-1',
        description: 'bay sensor',
        applicationId: '',
        deviceProfileId: 'dp-1',
        isDisabled: false,
        skipFcntCheck: false,
        joinEui: '0000000000000000',
        tags: { bay: '7' },
        variables: { k: 'v' },
      });
      const response = await getDevice(EUI_B);
      expect(response.getDevice()?.toObject()).toMatchObject({
        devEui: EUI_B,
        name: 'bay-1',
        tagsMap: [['bay', '7']],
        variablesMap: [['k', 'v']],
      });
      expect(response.getCreatedAt()?.toDate()).toBeInstanceOf(Date);
    });

    it('refuses a duplicate, a malformed DevEUI and an unknown application', async () => {
      await createDevice(deviceMessage());
      await expectCode(createDevice(deviceMessage({ name: 'other' })), grpc.status.ALREADY_EXISTS);
      expect(fake.device(EUI_A)?.name).toBe('bay-1');
      await expectCode(createDevice(deviceMessage({ devEui: '01020304' })), grpc.status.INVALID_ARGUMENT);

      const appId = fake.addApplication({ tenantId: TENANT, name: 'parking' });
      await expectCode(
        createDevice(deviceMessage({ devEui: EUI_B, applicationId: 'missing' })),
        grpc.status.INVALID_ARGUMENT,
      );
      await createDevice(deviceMessage({ devEui: EUI_B, applicationId: appId }));
      expect(fake.device(EUI_B)?.applicationId).toBe(appId);
    });

    it('answers NOT_FOUND for Get, Update and Delete of an unknown device', async () => {
      await expectCode(getDevice(EUI_A), grpc.status.NOT_FOUND);
      const update = new UpdateDeviceRequest();
      update.setDevice(deviceMessage());
      await expectCode(rpc((cb) => devices.update(update, auth(), cb)), grpc.status.NOT_FOUND);
      const del = new DeleteDeviceRequest();
      del.setDevEui(EUI_A);
      await expectCode(rpc((cb) => devices.delete(del, auth(), cb)), grpc.status.NOT_FOUND);
      expect(fake.devices()).toEqual([]);
    });

    it('updates a device in place, keeping its creation time', async () => {
      await createDevice(deviceMessage({ tags: { bay: '1' } }));
      const before = await getDevice(EUI_A);
      const update = new UpdateDeviceRequest();
      const changed = deviceMessage({ name: 'bay-1b', tags: { bay: '2' } });
      changed.setIsDisabled(true);
      update.setDevice(changed);
      await rpc((cb) => devices.update(update, auth(), cb));

      expect(fake.device(EUI_A)).toMatchObject({ name: 'bay-1b', isDisabled: true, tags: { bay: '2' } });
      const after = await getDevice(EUI_A);
      expect(after.getCreatedAt()?.toDate()).toEqual(before.getCreatedAt()?.toDate());
    });

    it('deletes a device together with its keys and queue', async () => {
      await createDevice(deviceMessage());
      fake.putKeys(EUI_A, { nwkKey: NWK_KEY, appKey: NWK_KEY });
      await enqueue(EUI_A, 10, new Uint8Array([1]));
      const request = new DeleteDeviceRequest();
      request.setDevEui(EUI_A);
      await rpc((cb) => devices.delete(request, auth(), cb));
      expect(fake.device(EUI_A)).toBeUndefined();
      expect(fake.keys(EUI_A)).toBeUndefined();
      expect(fake.queue(EUI_A)).toEqual([]);
    });

    it('lists one application page by page, sorted by DevEUI, with a total count', async () => {
      const app = fake.addApplication({ id: 'app-1', tenantId: TENANT, name: 'parking' });
      fake.addApplication({ id: 'app-2', tenantId: TENANT, name: 'other' });
      fake.addDeviceProfile({ id: 'dp-1', tenantId: TENANT, name: 'Bay sensor' });
      for (const devEui of ['0000000000000003', '0000000000000001', '0000000000000002']) {
        const name = `bay-${devEui.slice(-1)}`;
        await createDevice(deviceMessage({ devEui, name, applicationId: app, tags: { n: devEui } }));
      }
      await createDevice(deviceMessage({ devEui: EUI_B, applicationId: 'app-2' }));

      const request = new ListDevicesRequest();
      request.setApplicationId(app);
      request.setLimit(2);
      const first = await rpc<ListDevicesResponse>((cb) => devices.list(request, auth(), cb));
      expect(first.getTotalCount()).toBe(3);
      expect(first.getResultList().map((d) => d.getDevEui())).toEqual(['0000000000000001', '0000000000000002']);
      expect(first.getResultList()[0].toObject()).toMatchObject({
        name: 'bay-1',
        description: 'bay sensor',
        deviceProfileId: 'dp-1',
        deviceProfileName: 'Bay sensor',
        tagsMap: [['n', '0000000000000001']],
      });

      request.setOffset(2);
      const second = await rpc<ListDevicesResponse>((cb) => devices.list(request, auth(), cb));
      expect(second.getResultList().map((d) => d.getDevEui())).toEqual(['0000000000000003']);

      request.setOffset(0);
      request.setLimit(10);
      request.setSearch('BAY-2');
      const searched = await rpc<ListDevicesResponse>((cb) => devices.list(request, auth(), cb));
      expect(searched.getResultList().map((d) => d.getDevEui())).toEqual(['0000000000000002']);
      expect(searched.getTotalCount()).toBe(1);
    });

    it('like ChirpStack, lists nothing with limit 0 and refuses a list without application', async () => {
      fake.putDevice(seed(EUI_A, 'app-1'));
      const request = new ListDevicesRequest();
      request.setApplicationId('app-1');
      const response = await rpc<ListDevicesResponse>((cb) => devices.list(request, auth(), cb));
      expect(response.getTotalCount()).toBe(1);
      expect(response.getResultList()).toEqual([]);
      await expectCode(
        rpc((cb) => devices.list(new ListDevicesRequest(), auth(), cb)),
        grpc.status.INVALID_ARGUMENT,
      );
    });

    it('keeps device keys: create once, read, update, delete', async () => {
      const keys = (appKey: string) => {
        const k = new DeviceKeys();
        k.setDevEui(EUI_A);
        k.setNwkKey(NWK_KEY);
        k.setAppKey(appKey);
        return k;
      };
      const create = new CreateDeviceKeysRequest();
      create.setDeviceKeys(keys(''));
      await expectCode(rpc((cb) => devices.createKeys(create, auth(), cb)), grpc.status.NOT_FOUND);

      await createDevice(deviceMessage());
      await rpc((cb) => devices.createKeys(create, auth(), cb));
      await expectCode(rpc((cb) => devices.createKeys(create, auth(), cb)), grpc.status.ALREADY_EXISTS);
      expect(fake.keys(EUI_A)).toEqual({ nwkKey: NWK_KEY, appKey: '00000000000000000000000000000000' });

      const update = new UpdateDeviceKeysRequest();
      update.setDeviceKeys(keys('FFEEDDCCBBAA99887766554433221100'));
      await rpc((cb) => devices.updateKeys(update, auth(), cb));
      const get = new GetDeviceKeysRequest();
      get.setDevEui(EUI_A);
      const read = await rpc<GetDeviceKeysResponse>((cb) => devices.getKeys(get, auth(), cb));
      expect(read.getDeviceKeys()?.getAppKey()).toBe('ffeeddccbbaa99887766554433221100');

      const del = new DeleteDeviceKeysRequest();
      del.setDevEui(EUI_A);
      await rpc((cb) => devices.deleteKeys(del, auth(), cb));
      await expectCode(rpc((cb) => devices.getKeys(get, auth(), cb)), grpc.status.NOT_FOUND);
      await expectCode(rpc((cb) => devices.updateKeys(update, auth(), cb)), grpc.status.NOT_FOUND);
    });

    it('refuses keys that are not 32 hex digits', async () => {
      await createDevice(deviceMessage());
      const keys = new DeviceKeys();
      keys.setDevEui(EUI_A);
      keys.setNwkKey('abc');
      const create = new CreateDeviceKeysRequest();
      create.setDeviceKeys(keys);
      await expectCode(rpc((cb) => devices.createKeys(create, auth(), cb)), grpc.status.INVALID_ARGUMENT);
      expect(fake.keys(EUI_A)).toBeUndefined();
    });

    it('queues downlinks with fresh ids, answers the queue and flushes it', async () => {
      await expectCode(enqueue(EUI_A, 10, new Uint8Array([1])), grpc.status.NOT_FOUND);
      await createDevice(deviceMessage());
      await expectCode(enqueue(EUI_A, 0, new Uint8Array([1])), grpc.status.INVALID_ARGUMENT);
      await expectCode(enqueue(EUI_A, 224, new Uint8Array([1])), grpc.status.INVALID_ARGUMENT);

      const expiresAt = new Date('2030-01-01T00:00:00Z');
      const first = await enqueue(EUI_A, 10, new Uint8Array([0xca, 0xfe]), expiresAt);
      const second = await enqueue(EUI_A, 223, new Uint8Array([2]));
      expect(first.getId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(second.getId()).not.toBe(first.getId());
      expect(fake.queue(EUI_A)).toEqual([
        { id: first.getId(), fPort: 10, data: Buffer.from([0xca, 0xfe]), confirmed: true, expiresAt },
        { id: second.getId(), fPort: 223, data: Buffer.from([2]), confirmed: true },
      ]);

      const get = new GetDeviceQueueItemsRequest();
      get.setDevEui(EUI_A);
      const queue = await rpc<GetDeviceQueueItemsResponse>((cb) => devices.getQueue(get, auth(), cb));
      expect(queue.getTotalCount()).toBe(2);
      expect(Buffer.from(queue.getResultList()[0].getData_asU8())).toEqual(Buffer.from([0xca, 0xfe]));
      expect(queue.getResultList()[0].getExpiresAt()?.toDate()).toEqual(expiresAt);

      const flush = new FlushDeviceQueueRequest();
      flush.setDevEui(EUI_A);
      await rpc((cb) => devices.flushQueue(flush, auth(), cb));
      expect(fake.queue(EUI_A)).toEqual([]);
      const flushed = await rpc<GetDeviceQueueItemsResponse>((cb) => devices.getQueue(get, auth(), cb));
      expect(flushed.getTotalCount()).toBe(0);
    });

    it('answers UNIMPLEMENTED for methods the fake does not model', async () => {
      await expectCode(
        rpc((cb) => devices.getRandomDevAddr(new GetRandomDevAddrRequest(), auth(), cb)),
        grpc.status.UNIMPLEMENTED,
      );
      expect(fake.callsOf('DeviceService.GetRandomDevAddr')[0]?.failed).toBe(grpc.status.UNIMPLEMENTED);
    });
  });

  describe('GatewayService', () => {
    const getGateway = (gatewayId = GW) => {
      const request = new GetGatewayRequest();
      request.setGatewayId(gatewayId);
      return rpc<GetGatewayResponse>((cb) => gateways.get(request, auth(), cb));
    };

    it('creates, reads, updates and deletes a gateway', async () => {
      const create = new CreateGatewayRequest();
      create.setGateway(gatewayMessage());
      await rpc((cb) => gateways.create(create, auth(), cb));
      await expectCode(rpc((cb) => gateways.create(create, auth(), cb)), grpc.status.ALREADY_EXISTS);
      expect(fake.gateway(GW)).toEqual({
        gatewayId: GW,
        name: 'roof',
        description: '',
        tenantId: TENANT,
        tags: { site: 'north' },
        metadata: {},
        statsInterval: 30,
      });

      const read = await getGateway();
      expect(read.getGateway()?.toObject()).toMatchObject({
        gatewayId: GW,
        name: 'roof',
        tagsMap: [['site', 'north']],
      });
      expect(read.hasLastSeenAt()).toBe(false);
      const seen = new Date('2030-01-01T00:00:00Z');
      fake.setGatewayLastSeen(GW, seen);
      expect((await getGateway()).getLastSeenAt()?.toDate()).toEqual(seen);

      const update = new UpdateGatewayRequest();
      update.setGateway(gatewayMessage(GW, 'roof-2'));
      await rpc((cb) => gateways.update(update, auth(), cb));
      expect(fake.gateway(GW)).toMatchObject({ name: 'roof-2', lastSeenAt: seen });

      const del = new DeleteGatewayRequest();
      del.setGatewayId(GW);
      await rpc((cb) => gateways.delete(del, auth(), cb));
      expect(fake.gateway(GW)).toBeUndefined();
      await expectCode(getGateway(), grpc.status.NOT_FOUND);
      await expectCode(rpc((cb) => gateways.delete(del, auth(), cb)), grpc.status.NOT_FOUND);
      await expectCode(rpc((cb) => gateways.update(update, auth(), cb)), grpc.status.NOT_FOUND);
    });

    it('lists gateways of a tenant with their state derived from last seen and stats interval', async () => {
      const seed = (gatewayId: string, tenantId: string, lastSeenAt?: Date) =>
        fake.putGateway({
          gatewayId,
          name: gatewayId,
          description: '',
          tenantId,
          tags: {},
          metadata: { fw: '1' },
          statsInterval: 30,
          lastSeenAt,
        });
      const now = Date.now();
      seed('0000000000000001', TENANT);
      seed('0000000000000002', TENANT, new Date(now - 30_000));
      seed('0000000000000003', TENANT, new Date(now - 61_000));
      seed('0000000000000004', 'other-tenant', new Date(now));

      const request = new ListGatewaysRequest();
      request.setTenantId(TENANT);
      request.setLimit(10);
      const response = await rpc<ListGatewaysResponse>((cb) => gateways.list(request, auth(), cb));
      expect(response.getTotalCount()).toBe(3);
      expect(response.getResultList().map((g) => [g.getGatewayId(), g.getState()])).toEqual([
        ['0000000000000001', GatewayState.NEVER_SEEN],
        ['0000000000000002', GatewayState.ONLINE],
        ['0000000000000003', GatewayState.OFFLINE],
      ]);
      expect(response.getResultList()[1].toObject()).toMatchObject({ tenantId: TENANT, propertiesMap: [['fw', '1']] });
      expect(response.getResultList()[1].getLastSeenAt()?.toDate()).toEqual(new Date(now - 30_000));
      expect(fake.gatewayState('0000000000000004')).toBe('ONLINE');
    });
  });

  describe('ApplicationService and DeviceProfileService', () => {
    it('answers a known application and NOT_FOUND for an unknown one', async () => {
      const id = fake.addApplication({ tenantId: TENANT, name: 'parking' });
      const request = new GetApplicationRequest();
      request.setId(id);
      const response = await rpc<GetApplicationResponse>((cb) => applications.get(request, auth(), cb));
      expect(response.getApplication()?.toObject()).toMatchObject({ id, tenantId: TENANT, name: 'parking' });
      request.setId('0b0b0b0b-0000-4000-8000-000000000000');
      await expectCode(rpc((cb) => applications.get(request, auth(), cb)), grpc.status.NOT_FOUND);
    });

    it('answers device profiles by id and lists those of a tenant', async () => {
      const id = fake.addDeviceProfile({ tenantId: TENANT, name: 'Bay sensor', region: 'US915' });
      fake.addDeviceProfile({ tenantId: 'other-tenant', name: 'Elsewhere' });
      const get = new GetDeviceProfileRequest();
      get.setId(id);
      const profile = await rpc<GetDeviceProfileResponse>((cb) => profiles.get(get, auth(), cb));
      expect(profile.getDeviceProfile()?.getName()).toBe('Bay sensor');
      expect(profile.getDeviceProfile()?.getRegion()).toBe(Region.US915);
      get.setId('nope');
      await expectCode(rpc((cb) => profiles.get(get, auth(), cb)), grpc.status.NOT_FOUND);

      const list = new ListDeviceProfilesRequest();
      list.setTenantId(TENANT);
      list.setLimit(10);
      const listed = await rpc<ListDeviceProfilesResponse>((cb) => profiles.list(list, auth(), cb));
      expect(listed.getResultList().map((p) => [p.getId(), p.getName()])).toEqual([[id, 'Bay sensor']]);
    });
  });

  describe('failure injection', () => {
    it('fails the next N calls of one method with the given code, then recovers', async () => {
      fake.fail('DeviceService.Create', { code: grpc.status.UNAVAILABLE, times: 2, message: 'db down' });
      await expect(createDevice(deviceMessage())).rejects.toMatchObject({
        code: grpc.status.UNAVAILABLE,
        details: 'db down',
      });
      await expectCode(createDevice(deviceMessage()), grpc.status.UNAVAILABLE);
      expect(fake.device(EUI_A)).toBeUndefined();
      // Other methods are unaffected.
      await expectCode(getDevice(EUI_A), grpc.status.NOT_FOUND);

      await createDevice(deviceMessage());
      expect(fake.device(EUI_A)).toBeDefined();
      expect(fake.callsOf('DeviceService.Create').map((c) => c.failed)).toEqual([
        grpc.status.UNAVAILABLE,
        grpc.status.UNAVAILABLE,
        undefined,
      ]);
    });

    it("fails every method with '*' until heal()", async () => {
      fake.fail('*', { code: grpc.status.INTERNAL });
      await expectCode(createDevice(deviceMessage()), grpc.status.INTERNAL);
      await expectCode(rpc((cb) => gateways.list(new ListGatewaysRequest(), auth(), cb)), grpc.status.INTERNAL);
      await expectCode(createDevice(deviceMessage()), grpc.status.INTERNAL);
      fake.heal();
      await createDevice(deviceMessage());
      expect(fake.devices().map((d) => d.devEui)).toEqual([EUI_A]);
    });

    it('refuses a method name outside the service definitions', () => {
      expect(() => fake.fail('create', { code: grpc.status.INTERNAL })).toThrow(/unknown method 'create'/);
      expect(() => fake.slow('DeviceService.Nope', 10)).toThrow(/unknown method/);
    });

    it('answers UNAVAILABLE to everything during an outage', async () => {
      fake.outage(true);
      await expectCode(createDevice(deviceMessage()), grpc.status.UNAVAILABLE);
      await expectCode(createDevice(deviceMessage(), new grpc.Metadata()), grpc.status.UNAVAILABLE);
      const request = new GetApplicationRequest();
      request.setId('x');
      await expectCode(rpc((cb) => applications.get(request, auth(), cb)), grpc.status.UNAVAILABLE);
      fake.outage(false);
      await createDevice(deviceMessage());
      expect(fake.device(EUI_A)).toBeDefined();
    });

    it('still applies a slow call after the client deadline has passed', async () => {
      fake.slow('DeviceService.Create', 300);
      const request = new CreateDeviceRequest();
      request.setDevice(deviceMessage());
      const deadline = new Date(Date.now() + 50);
      await expectCode(
        rpc((cb) => devices.create(request, auth(), { deadline }, cb)),
        grpc.status.DEADLINE_EXCEEDED,
      );
      expect(fake.callsOf('DeviceService.Create')).toHaveLength(1);
      expect(fake.device(EUI_A)).toBeUndefined();

      await fake.idle();
      expect(fake.device(EUI_A)?.name).toBe('bay-1');
      // A retry now meets the device the timed-out call created.
      fake.heal();
      await expectCode(createDevice(deviceMessage()), grpc.status.ALREADY_EXISTS);
    });

    it('delays only the chosen method', async () => {
      fake.slow('DeviceService.Create', 10_000);
      const started = Date.now();
      await expectCode(getDevice(EUI_A), grpc.status.NOT_FOUND);
      expect(Date.now() - started).toBeLessThan(2_000);
    });
  });

  describe('recorded calls', () => {
    it('keeps each request as a plain object with its method name and time', async () => {
      const before = new Date();
      await createDevice(deviceMessage({ tags: { bay: '1' } }));
      await getDevice(EUI_A);
      expect(fake.calls.map((c) => c.method)).toEqual(['DeviceService.Create', 'DeviceService.Get']);
      const [create] = fake.callsOf('DeviceService.Create');
      expect(create.request).toMatchObject({ device: { devEui: EUI_A, name: 'bay-1', tagsMap: [['bay', '1']] } });
      expect(create.at.getTime()).toBeGreaterThanOrEqual(before.getTime());
      expect(create.failed).toBeUndefined();
      fake.clearCalls();
      expect(fake.calls).toEqual([]);
    });
  });

  describe('seeding', () => {
    it('serves devices written directly, and hands out copies', async () => {
      fake.putDevice(seed(EUI_B.toUpperCase(), 'app-1'));
      const response = await getDevice(EUI_B);
      expect(response.getDevice()?.getName()).toBe('orphan');

      const copy = fake.device(EUI_B);
      if (copy) copy.tags.mutated = 'yes';
      expect(fake.device(EUI_B)?.tags).toEqual({});

      expect(fake.removeDevice(EUI_B)).toBe(true);
      await expectCode(getDevice(EUI_B), grpc.status.NOT_FOUND);
    });
  });
});

function seed(devEui: string, applicationId: string) {
  return {
    devEui,
    name: 'orphan',
    description: '',
    applicationId,
    deviceProfileId: 'dp-1',
    isDisabled: false,
    skipFcntCheck: false,
    joinEui: '0000000000000000',
    tags: {},
    variables: {},
  };
}

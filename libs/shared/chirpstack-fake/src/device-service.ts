import { randomUUID } from 'node:crypto';
import { DeviceServiceService } from '@chirpstack/chirpstack-api/api/device_grpc_pb';
import {
  Device,
  DeviceKeys,
  DeviceListItem,
  DeviceQueueItem,
  EnqueueDeviceQueueItemResponse,
  GetDeviceKeysResponse,
  GetDeviceQueueItemsResponse,
  GetDeviceResponse,
  ListDevicesResponse,
} from '@chirpstack/chirpstack-api/api/device_pb';
import { deviceMessage, deviceOf, fillRecord, recordOf } from '@parking/chirpstack-records';
import { empty, timestamp } from './protobuf';
import { alreadyExists, type Handlers, invalidArgument, notFound } from './rpc';
import { AES128_KEY, type DeviceRecord, EUI64, type FakeState, type QueueItemRecord, stored } from './state';

const NULL_EUI = '0000000000000000';
const NULL_KEY = '00000000000000000000000000000000';
const MAX_FPORT = 223;

export function parseEui(value: string, field: string): string {
  if (!EUI64.test(value)) throw invalidArgument(`${field} must be 16 hex digits, got '${value}'`);
  return value.toLowerCase();
}

function parseKey(value: string, field: string): string {
  if (!AES128_KEY.test(value)) throw invalidArgument(`${field} must be 32 hex digits`);
  return value.toLowerCase();
}

/** Mirrors ChirpStack: LIMIT 0 returns no rows, so a client that forgets the limit sees nothing. */
export function page<T>(items: T[], limit: number, offset: number): T[] {
  return items.slice(offset, offset + limit);
}

export function deviceService(state: FakeState): Handlers<typeof DeviceServiceService> {
  const deviceFrom = (message: Device | undefined, existing?: DeviceRecord): DeviceRecord => {
    if (!message) throw invalidArgument('device is missing');
    const devEui = parseEui(message.getDevEui(), 'dev_eui');
    const applicationId = message.getApplicationId() || existing?.applicationId || '';
    if (state.applications.size > 0 && !state.applications.has(applicationId)) {
      throw invalidArgument(`application ${applicationId || '(empty)'} does not exist`);
    }
    const joinEui = message.getJoinEui();
    return { ...deviceOf(message), devEui, applicationId, joinEui: joinEui ? parseEui(joinEui, 'join_eui') : NULL_EUI };
  };

  const existingDevice = (devEui: string) => {
    const device = state.devices.get(devEui);
    if (!device) throw notFound(`device ${devEui}`);
    return device;
  };

  const keysFrom = (message: DeviceKeys | undefined) => {
    if (!message) throw invalidArgument('device_keys is missing');
    const devEui = parseEui(message.getDevEui(), 'dev_eui');
    const appKey = message.getAppKey();
    return {
      devEui,
      keys: {
        nwkKey: parseKey(message.getNwkKey(), 'nwk_key'),
        appKey: appKey ? parseKey(appKey, 'app_key') : NULL_KEY,
      },
    };
  };

  return {
    create(request) {
      const record = deviceFrom(request.getDevice());
      if (state.devices.has(record.devEui)) throw alreadyExists(`device ${record.devEui}`);
      state.devices.set(record.devEui, stored(record));
      return empty();
    },

    get(request) {
      const { record, createdAt, updatedAt } = existingDevice(parseEui(request.getDevEui(), 'dev_eui'));
      const response = new GetDeviceResponse();
      response.setDevice(deviceMessage(record));
      response.setCreatedAt(timestamp(createdAt));
      response.setUpdatedAt(timestamp(updatedAt));
      return response;
    },

    update(request) {
      const message = request.getDevice();
      if (!message) throw invalidArgument('device is missing');
      const previous = existingDevice(parseEui(message.getDevEui(), 'dev_eui'));
      const record = deviceFrom(message, previous.record);
      state.devices.set(record.devEui, stored(record, previous));
      return empty();
    },

    delete(request) {
      const devEui = parseEui(request.getDevEui(), 'dev_eui');
      if (!state.removeDevice(devEui)) throw notFound(`device ${devEui}`);
      return empty();
    },

    list(request) {
      const applicationId = request.getApplicationId();
      if (!applicationId) throw invalidArgument('application_id is required');
      const search = request.getSearch().toLowerCase();
      const profileId = request.getDeviceProfileId();
      const tags = recordOf(request.getTagsMap());
      const matching = [...state.devices.values()]
        .filter(({ record }) => record.applicationId === applicationId)
        .filter(({ record }) => !search || record.name.toLowerCase().includes(search))
        .filter(({ record }) => !profileId || record.deviceProfileId === profileId)
        .filter(({ record }) => Object.entries(tags).every(([k, v]) => record.tags[k] === v))
        .sort((a, b) => a.record.devEui.localeCompare(b.record.devEui));
      const response = new ListDevicesResponse();
      response.setTotalCount(matching.length);
      response.setResultList(
        page(matching, request.getLimit(), request.getOffset()).map(({ record, createdAt, updatedAt }) => {
          const item = new DeviceListItem();
          item.setDevEui(record.devEui);
          item.setName(record.name);
          item.setDescription(record.description);
          item.setDeviceProfileId(record.deviceProfileId);
          item.setDeviceProfileName(state.deviceProfiles.get(record.deviceProfileId)?.record.name ?? '');
          item.setCreatedAt(timestamp(createdAt));
          item.setUpdatedAt(timestamp(updatedAt));
          fillRecord(item.getTagsMap(), record.tags);
          return item;
        }),
      );
      return response;
    },

    createKeys(request) {
      const { devEui, keys } = keysFrom(request.getDeviceKeys());
      existingDevice(devEui);
      if (state.keys.has(devEui)) throw alreadyExists(`device keys for ${devEui}`);
      state.keys.set(devEui, stored(keys));
      return empty();
    },

    getKeys(request) {
      const devEui = parseEui(request.getDevEui(), 'dev_eui');
      const entry = state.keys.get(devEui);
      if (!entry) throw notFound(`device keys for ${devEui}`);
      const keys = new DeviceKeys();
      keys.setDevEui(devEui);
      keys.setNwkKey(entry.record.nwkKey);
      keys.setAppKey(entry.record.appKey);
      const response = new GetDeviceKeysResponse();
      response.setDeviceKeys(keys);
      response.setCreatedAt(timestamp(entry.createdAt));
      response.setUpdatedAt(timestamp(entry.updatedAt));
      return response;
    },

    updateKeys(request) {
      const { devEui, keys } = keysFrom(request.getDeviceKeys());
      const previous = state.keys.get(devEui);
      if (!previous) throw notFound(`device keys for ${devEui}`);
      state.keys.set(devEui, stored(keys, previous));
      return empty();
    },

    deleteKeys(request) {
      const devEui = parseEui(request.getDevEui(), 'dev_eui');
      if (!state.keys.delete(devEui)) throw notFound(`device keys for ${devEui}`);
      return empty();
    },

    enqueue(request) {
      const message = request.getQueueItem();
      if (!message) throw invalidArgument('queue_item is missing');
      const devEui = parseEui(message.getDevEui(), 'dev_eui');
      existingDevice(devEui);
      const fPort = message.getFPort();
      if (fPort < 1 || fPort > MAX_FPORT) throw invalidArgument(`f_port must be 1..${MAX_FPORT}, got ${fPort}`);
      const item: QueueItemRecord = {
        id: randomUUID(),
        fPort,
        data: Buffer.from(message.getData_asU8()),
        confirmed: message.getConfirmed(),
      };
      const expiresAt = message.getExpiresAt();
      if (expiresAt) item.expiresAt = expiresAt.toDate();
      const queue = request.getFlushQueue() ? [] : (state.queues.get(devEui) ?? []);
      state.queues.set(devEui, [...queue, item]);
      const response = new EnqueueDeviceQueueItemResponse();
      response.setId(item.id);
      return response;
    },

    // Like ChirpStack, flushing or reading the queue of an unknown device is not an error.
    flushQueue(request) {
      state.queues.delete(parseEui(request.getDevEui(), 'dev_eui'));
      return empty();
    },

    getQueue(request) {
      const devEui = parseEui(request.getDevEui(), 'dev_eui');
      const items = state.queues.get(devEui) ?? [];
      const response = new GetDeviceQueueItemsResponse();
      response.setTotalCount(items.length);
      if (!request.getCountOnly()) {
        response.setResultList(
          items.map((record) => {
            const item = new DeviceQueueItem();
            item.setId(record.id);
            item.setDevEui(devEui);
            item.setFPort(record.fPort);
            item.setData(new Uint8Array(record.data));
            item.setConfirmed(record.confirmed);
            if (record.expiresAt) item.setExpiresAt(timestamp(record.expiresAt));
            return item;
          }),
        );
      }
      return response;
    },
  };
}

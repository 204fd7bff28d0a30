import { Device, DeviceKeys, DeviceListItem, DeviceQueueItem } from '@chirpstack/chirpstack-api/api/device_pb';
import { Gateway, GatewayListItem, GatewayState } from '@chirpstack/chirpstack-api/api/gateway_pb';
import type { Map as PbMap } from 'google-protobuf';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';

// ChirpStack's gRPC messages as plain records and back: one mapping for the service that
// calls ChirpStack and for the fake that stands in for it in tests.

/** A device as ChirpStack holds it (Get answers all of it; List lacks variables and disabled). */
export interface ChirpStackDevice {
  devEui: string;
  name: string;
  description: string;
  applicationId: string;
  deviceProfileId: string;
  isDisabled: boolean;
  skipFcntCheck: boolean;
  /** '' when none. */
  joinEui: string;
  tags: Record<string, string>;
  variables: Record<string, string>;
}

export interface ChirpStackDeviceListItem {
  devEui: string;
  name: string;
  description: string;
  deviceProfileId: string;
  tags: Record<string, string>;
  lastSeenAt: Date | null;
}

/** OTAA root keys (LoRaWAN 1.0.x uses nwkKey alone; 1.1 both). */
export interface ChirpStackDeviceKeys {
  nwkKey: string;
  appKey: string;
}

export interface ChirpStackGateway {
  gatewayId: string;
  name: string;
  description: string;
  tenantId: string;
  tags: Record<string, string>;
  /** Seconds between the gateway's stats messages; ChirpStack calls it offline after twice that. */
  statsInterval: number;
}

export type ChirpStackGatewayState = 'online' | 'offline' | 'never_seen';

export interface ChirpStackGatewayListItem {
  gatewayId: string;
  name: string;
  description: string;
  tenantId: string;
  state: ChirpStackGatewayState;
  lastSeenAt: Date | null;
}

export interface ChirpStackQueueItem {
  devEui: string;
  fPort: number;
  data: Buffer;
  confirmed: boolean;
  expiresAt?: Date;
}

/** A frame in a device's queue, as GetQueue answers it. */
export interface ChirpStackQueuedItem extends ChirpStackQueueItem {
  id: string;
  /** Sent, and waiting for the device's acknowledgement. */
  isPending: boolean;
}

export function queuedItemOf(message: DeviceQueueItem): ChirpStackQueuedItem {
  const expiresAt = dateOf(message.getExpiresAt());
  return {
    id: message.getId(),
    devEui: message.getDevEui(),
    fPort: message.getFPort(),
    data: Buffer.from(message.getData_asU8()),
    confirmed: message.getConfirmed(),
    isPending: message.getIsPending(),
    ...(expiresAt ? { expiresAt } : {}),
  };
}

export function recordOf(map: PbMap<string, string>): Record<string, string> {
  return Object.fromEntries(map.toArray());
}

export function fillRecord(map: PbMap<string, string>, record: Record<string, string>): void {
  map.clear();
  for (const [key, value] of Object.entries(record)) map.set(key, value);
}

export function dateOf(timestamp: Timestamp | undefined): Date | null {
  return timestamp ? timestamp.toDate() : null;
}

export function deviceMessage(device: ChirpStackDevice): Device {
  const message = new Device();
  message.setDevEui(device.devEui);
  message.setName(device.name);
  message.setDescription(device.description);
  message.setApplicationId(device.applicationId);
  message.setDeviceProfileId(device.deviceProfileId);
  message.setIsDisabled(device.isDisabled);
  message.setSkipFcntCheck(device.skipFcntCheck);
  message.setJoinEui(device.joinEui);
  fillRecord(message.getTagsMap(), device.tags);
  fillRecord(message.getVariablesMap(), device.variables);
  return message;
}

export function deviceOf(message: Device): ChirpStackDevice {
  return {
    devEui: message.getDevEui(),
    name: message.getName(),
    description: message.getDescription(),
    applicationId: message.getApplicationId(),
    deviceProfileId: message.getDeviceProfileId(),
    isDisabled: message.getIsDisabled(),
    skipFcntCheck: message.getSkipFcntCheck(),
    joinEui: message.getJoinEui(),
    tags: recordOf(message.getTagsMap()),
    variables: recordOf(message.getVariablesMap()),
  };
}

export function deviceListItemOf(message: DeviceListItem): ChirpStackDeviceListItem {
  return {
    devEui: message.getDevEui(),
    name: message.getName(),
    description: message.getDescription(),
    deviceProfileId: message.getDeviceProfileId(),
    tags: recordOf(message.getTagsMap()),
    lastSeenAt: dateOf(message.getLastSeenAt()),
  };
}

export function keysMessage(devEui: string, keys: ChirpStackDeviceKeys): DeviceKeys {
  const message = new DeviceKeys();
  message.setDevEui(devEui);
  message.setNwkKey(keys.nwkKey);
  message.setAppKey(keys.appKey);
  return message;
}

export function queueItemMessage(item: ChirpStackQueueItem): DeviceQueueItem {
  const message = new DeviceQueueItem();
  message.setDevEui(item.devEui);
  message.setFPort(item.fPort);
  message.setData(new Uint8Array(item.data));
  message.setConfirmed(item.confirmed);
  if (item.expiresAt) message.setExpiresAt(Timestamp.fromDate(item.expiresAt));
  return message;
}

export function gatewayMessage(gateway: ChirpStackGateway): Gateway {
  const message = new Gateway();
  message.setGatewayId(gateway.gatewayId);
  message.setName(gateway.name);
  message.setDescription(gateway.description);
  message.setTenantId(gateway.tenantId);
  message.setStatsInterval(gateway.statsInterval);
  fillRecord(message.getTagsMap(), gateway.tags);
  return message;
}

export function gatewayOf(message: Gateway): ChirpStackGateway {
  return {
    gatewayId: message.getGatewayId(),
    name: message.getName(),
    description: message.getDescription(),
    tenantId: message.getTenantId(),
    tags: recordOf(message.getTagsMap()),
    statsInterval: message.getStatsInterval(),
  };
}

const STATES: Record<number, ChirpStackGatewayState> = {
  [GatewayState.ONLINE]: 'online',
  [GatewayState.OFFLINE]: 'offline',
  [GatewayState.NEVER_SEEN]: 'never_seen',
};

export function gatewayListItemOf(message: GatewayListItem): ChirpStackGatewayListItem {
  return {
    gatewayId: message.getGatewayId(),
    name: message.getName(),
    description: message.getDescription(),
    tenantId: message.getTenantId(),
    state: STATES[message.getState()] ?? 'never_seen',
    lastSeenAt: dateOf(message.getLastSeenAt()),
  };
}

/** ChirpStack's own rule: offline after twice the stats interval without a stats message. */
export function gatewayStateAt(lastSeenAt: Date | null, statsIntervalSeconds: number, now: Date): ChirpStackGatewayState {
  if (!lastSeenAt) return 'never_seen';
  return now.getTime() - lastSeenAt.getTime() <= 2 * statsIntervalSeconds * 1000 ? 'online' : 'offline';
}

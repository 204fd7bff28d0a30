import type { RegionMap } from '@chirpstack/chirpstack-api/common/common_pb';
import type { ChirpStackDevice } from '@parking/chirpstack-records';

/** The fields of a ChirpStack `Device` message, as a plain object. */
export type DeviceRecord = ChirpStackDevice;

export interface DeviceKeysRecord {
  nwkKey: string;
  appKey: string;
}

export interface QueueItemRecord {
  id: string;
  fPort: number;
  data: Buffer;
  confirmed: boolean;
  expiresAt?: Date;
}

export interface GatewayLocation {
  latitude: number;
  longitude: number;
  altitude: number;
  accuracy?: number;
}

export interface GatewayRecord {
  gatewayId: string;
  name: string;
  description: string;
  tenantId: string;
  tags: Record<string, string>;
  metadata: Record<string, string>;
  /** Seconds; 0 means the ChirpStack default of 30. */
  statsInterval: number;
  location?: GatewayLocation;
  lastSeenAt?: Date;
}

export interface ApplicationRecord {
  id: string;
  tenantId: string;
  name: string;
}

export type RegionName = keyof RegionMap;

export interface DeviceProfileRecord {
  id: string;
  tenantId: string;
  name: string;
  region?: RegionName;
}

export interface Stored<T> {
  record: T;
  createdAt: Date;
  updatedAt: Date;
}

export const DEFAULT_STATS_INTERVAL_SECONDS = 30;
export const EUI64 = /^[0-9a-f]{16}$/i;
export const AES128_KEY = /^[0-9a-f]{32}$/i;

/** Everything the fake server knows; the services and the test helpers share it. */
export class FakeState {
  readonly devices = new Map<string, Stored<DeviceRecord>>();
  readonly keys = new Map<string, Stored<DeviceKeysRecord>>();
  readonly queues = new Map<string, QueueItemRecord[]>();
  readonly gateways = new Map<string, Stored<GatewayRecord>>();
  readonly applications = new Map<string, Stored<ApplicationRecord>>();
  readonly deviceProfiles = new Map<string, Stored<DeviceProfileRecord>>();

  removeDevice(devEui: string): boolean {
    this.keys.delete(devEui);
    this.queues.delete(devEui);
    return this.devices.delete(devEui);
  }
}

export function stored<T>(record: T, previous?: Stored<T>): Stored<T> {
  const now = new Date();
  return { record, createdAt: previous?.createdAt ?? now, updatedAt: now };
}

export function copyDevice(record: DeviceRecord): DeviceRecord {
  return { ...record, tags: { ...record.tags }, variables: { ...record.variables } };
}

export function copyGateway(record: GatewayRecord): GatewayRecord {
  const copy: GatewayRecord = { ...record, tags: { ...record.tags }, metadata: { ...record.metadata } };
  if (record.location) copy.location = { ...record.location };
  if (record.lastSeenAt) copy.lastSeenAt = new Date(record.lastSeenAt);
  return copy;
}

export function copyQueueItem(item: QueueItemRecord): QueueItemRecord {
  const copy: QueueItemRecord = { ...item, data: Buffer.from(item.data) };
  if (item.expiresAt) copy.expiresAt = new Date(item.expiresAt);
  return copy;
}

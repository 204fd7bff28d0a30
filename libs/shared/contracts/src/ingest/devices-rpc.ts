import type { Page, PageRequest, TenantScopedRequest } from '../identity/identity-rpc';
import type { PlatformAdminRequest } from '../identity/admin-rpc';

/**
 * The device registry the ingest service answers over NATS request/reply. The gateway
 * validates HTTP input, then sends these; ingest validates again and checks the permission
 * (`devices:read` / `devices:write`) against the principal, inside the principal's tenant.
 */
export const DEVICES_RPC = {
  register: 'rpc.ingest.v1.devices.register',
  list: 'rpc.ingest.v1.devices.list',
  listOffline: 'rpc.ingest.v1.devices.list-offline',
  listLowBattery: 'rpc.ingest.v1.devices.list-low-battery',
  get: 'rpc.ingest.v1.devices.get',
  update: 'rpc.ingest.v1.devices.update',
  remove: 'rpc.ingest.v1.devices.remove',
  import: 'rpc.ingest.v1.devices.import',
  adminList: 'rpc.ingest.v1.admin.devices.list',
  adminStats: 'rpc.ingest.v1.admin.devices.stats',
} as const;

export type DevicesRpcSubject = (typeof DEVICES_RPC)[keyof typeof DEVICES_RPC];

export const DEVICE_KINDS = ['sensor', 'display'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** Pages of devices hold at most this many items (default 50). */
export const DEVICE_PAGE_MAX = 500;
export const DEVICE_PAGE_DEFAULT = 50;
/** `battery=low` and the low-battery view without a threshold: below this percentage. */
export const LOW_BATTERY_DEFAULT_PERCENT = 20;
/** A device is online while its last uplink is at most this many heartbeats old. */
export const ONLINE_HEARTBEATS = 2;
/**
 * What one import may hold. Rows: one transaction inserts the devices and their events in
 * bulk statements, well inside the 15 s transaction limit. Bytes: the import travels to
 * ingest as one request, below NATS's default 1 MiB message limit.
 */
export const DEVICE_IMPORT_MAX_ROWS = 10_000;
export const DEVICE_IMPORT_MAX_BYTES = 900 * 1024;
/** Tags: at most this many pairs, keys `[A-Za-z0-9_.-]{1,64}`, values up to 200 characters. */
export const DEVICE_TAGS_MAX = 50;

export interface DeviceLocation {
  latitude: number;
  longitude: number;
  altitude: number | null;
  /** Where the fix came from, e.g. `gps` or `geo_resolver_tdoa`. */
  source: string | null;
  /** RFC 3339 */
  at: string | null;
}

/** What the uplink pipeline learnt about the device. */
export interface DeviceHealth {
  /** RFC 3339; null: never heard. */
  lastSeenAt: string | null;
  /** Heard within ONLINE_HEARTBEATS × heartbeatSeconds. */
  online: boolean;
  /** The effective heartbeat: the device's override, else its codec's default. */
  heartbeatSeconds: number;
  batteryPercent: number | null;
  batteryVoltage: number | null;
  temperatureC: number | null;
  rssi: number | null;
  snr: number | null;
  marginDb: number | null;
  uplinkCount: number;
  /** Frame-counter session: grows with every join or frame-counter reset. */
  session: number;
  lastFCnt: number | null;
  devAddr: string | null;
  lastStatusAt: string | null;
  location: DeviceLocation | null;
}

export interface DeviceView {
  id: string;
  /** 16 lower-case hex digits. */
  devEui: string;
  kind: DeviceKind;
  codec: string;
  name: string;
  chirpstackApplicationId: string | null;
  chirpstackProfileId: string | null;
  /** The override; null when the codec's default applies (see health.heartbeatSeconds). */
  heartbeatSeconds: number | null;
  tags: Record<string, string>;
  version: number;
  createdAt: string;
  updatedAt: string;
  health: DeviceHealth;
}

/** Fields of a new device, as registration and import take them. */
export interface DeviceInput {
  /** Upper or lower case, with or without `-` / `:` separators. */
  devEui: string;
  kind: DeviceKind;
  codec: string;
  name: string;
  chirpstackApplicationId?: string | null;
  chirpstackProfileId?: string | null;
  heartbeatSeconds?: number | null;
  tags?: Record<string, string>;
}

/** `rpc.ingest.v1.devices.register`: 409 DEVICE_EXISTS when any tenant has the devEUI; 403 LIMIT_EXCEEDED (limit `devices`). */
export interface RegisterDeviceRequest extends TenantScopedRequest, DeviceInput {}
export type RegisterDeviceResponse = DeviceView;

export interface DeviceFilters {
  kind?: DeviceKind;
  codec?: string;
  /** `key:value`: devices whose tag `key` is `value`. */
  tag?: string;
  status?: 'online' | 'offline';
  battery?: 'low';
  /** Prefix of the name (case-insensitive) or of the devEUI. */
  q?: string;
}

/** Oldest first, keyset-paginated on (createdAt, id); limit 1..500, default 50. */
export interface ListDevicesRequest extends TenantScopedRequest, PageRequest, DeviceFilters {}
export type ListDevicesResponse = Page<DeviceView>;

/** Devices not heard within 2 × heartbeat, including those never heard at all. */
export interface ListOfflineDevicesRequest extends TenantScopedRequest, PageRequest, Omit<DeviceFilters, 'status'> {}
/** Devices whose last known battery is below `threshold` percent (default 20); unknown battery is not low. */
export interface ListLowBatteryDevicesRequest extends TenantScopedRequest, PageRequest, Omit<DeviceFilters, 'battery'> {
  threshold?: number;
}

export interface DeviceRef extends TenantScopedRequest {
  devEui: string;
}
export type GetDeviceRequest = DeviceRef;
export type GetDeviceResponse = DeviceView;

/** Only the fields given change; `null` clears an optional one; the version grows by one. */
export interface UpdateDeviceRequest extends DeviceRef {
  name?: string;
  kind?: DeviceKind;
  codec?: string;
  heartbeatSeconds?: number | null;
  /** Replaces every tag. */
  tags?: Record<string, string>;
  chirpstackApplicationId?: string | null;
  chirpstackProfileId?: string | null;
  /** The version the caller saw; a different current one is 409 CONFLICT. */
  version?: number;
}
export type UpdateDeviceResponse = DeviceView;

export type RemoveDeviceRequest = DeviceRef;
export type RemoveDeviceResponse = DeviceView;

/**
 * `rpc.ingest.v1.devices.import`: every row is checked first; any bad row is 422
 * IMPORT_REJECTED with `extras.rows` ([{line | index, field, message}]) and nothing is
 * applied; otherwise all rows are registered in one transaction.
 */
export interface ImportDevicesRequest extends TenantScopedRequest {
  /** `csv`: `text` holds the file (header row first); `json`: `devices` holds the rows. */
  format: 'csv' | 'json';
  text?: string;
  devices?: unknown[];
}
export interface ImportDevicesResponse {
  imported: number;
  devEuis: string[];
}

/** One rejected row of an import: its CSV line (1 = the header) or its JSON array index. */
export interface ImportRowProblem {
  line?: number;
  index?: number;
  devEui?: string;
  field: string;
  message: string;
}

export interface AdminDeviceView extends DeviceView {
  tenantId: string;
}
export interface AdminListDevicesRequest extends PlatformAdminRequest, PageRequest {
  tenantId?: string;
  codec?: string;
  kind?: DeviceKind;
}
export type AdminListDevicesResponse = Page<AdminDeviceView>;

export type AdminDeviceStatsRequest = PlatformAdminRequest;
export interface AdminDeviceStatsResponse {
  total: number;
  online: number;
  offline: number;
  lowBattery: number;
  byTenant: Array<{ tenantId: string; devices: number; online: number; offline: number; lowBattery: number }>;
  byCodec: Record<string, number>;
  byKind: Record<string, number>;
}

import { codecById } from '@parking/ingest/codecs';
import { DeviceKind, DeviceView, ONLINE_HEARTBEATS } from '@parking/contracts';
import { Device } from '@parking/ingest/data-access';

/** Heartbeat of a device whose codec the registry does not know (never written by registration). */
export const FALLBACK_HEARTBEAT_SECONDS = 3600;

/** The device's own override, else its codec's default. */
export function effectiveHeartbeat(device: Pick<Device, 'codec' | 'heartbeatSeconds'>): number {
  return device.heartbeatSeconds ?? codecById(device.codec)?.defaultHeartbeatSeconds ?? FALLBACK_HEARTBEAT_SECONDS;
}

/** Heard within ONLINE_HEARTBEATS heartbeats of `now`. */
export function isOnline(device: Pick<Device, 'codec' | 'heartbeatSeconds' | 'lastSeenAt'>, now: Date): boolean {
  if (!device.lastSeenAt) return false;
  return now.getTime() - device.lastSeenAt.getTime() <= ONLINE_HEARTBEATS * effectiveHeartbeat(device) * 1000;
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

export function deviceView(device: Device, now = new Date()): DeviceView {
  return {
    id: device.id,
    devEui: device.devEui,
    kind: device.kind as DeviceKind,
    codec: device.codec,
    name: device.name,
    chirpstackApplicationId: device.chirpstackApplicationId,
    chirpstackProfileId: device.chirpstackProfileId,
    description: device.description,
    joinEui: device.joinEui,
    heartbeatSeconds: device.heartbeatSeconds,
    tags: device.tags as Record<string, string>,
    version: device.version,
    createdAt: device.createdAt.toISOString(),
    updatedAt: device.updatedAt.toISOString(),
    health: {
      lastSeenAt: iso(device.lastSeenAt),
      online: isOnline(device, now),
      heartbeatSeconds: effectiveHeartbeat(device),
      batteryPercent: device.batteryPercent,
      batteryVoltage: device.batteryVoltage,
      temperatureC: device.temperatureC,
      rssi: device.rssi,
      snr: device.snr,
      marginDb: device.marginDb,
      uplinkCount: Number(device.uplinkCount),
      session: device.session,
      lastFCnt: device.lastFCnt === null ? null : Number(device.lastFCnt),
      devAddr: device.devAddr,
      lastStatusAt: iso(device.lastStatusAt),
      location:
        device.latitude !== null && device.longitude !== null
          ? { latitude: device.latitude, longitude: device.longitude, altitude: device.altitude, source: device.locationSource, at: iso(device.locatedAt) }
          : null,
    },
  };
}

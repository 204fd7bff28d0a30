/* eslint-disable @typescript-eslint/no-require-imports */
// A ChirpStack v4 `integration.UplinkEvent` in Protobuf, as the HTTP integration posts it with the Protobuf marshaler.
const integration = require('@chirpstack/chirpstack-api/integration/integration_pb') as Record<string, new () => Record<string, (...args: unknown[]) => unknown>>;
/* eslint-enable @typescript-eslint/no-require-imports */

export function protobufUplink(fields: { deduplicationId?: string; devEui?: string; fCnt?: number; data?: Uint8Array } = {}): Uint8Array {
  const device = new integration['DeviceInfo']();
  device.setDevEui(fields.devEui ?? '0102030405060708');
  device.setTenantId('52f14cd4-c6f1-4fbd-8f87-4025e1d49242');
  const event = new integration['UplinkEvent']();
  event.setDeduplicationId(fields.deduplicationId ?? '3e5e0b4c-8a11-4f3e-9d61-2b7c9a0f1e22');
  event.setDeviceInfo(device);
  event.setDevAddr('01020304');
  event.setFCnt(fields.fCnt ?? 7);
  event.setFPort(1);
  event.setData(fields.data ?? new Uint8Array([1]));
  return event.serializeBinary() as Uint8Array;
}

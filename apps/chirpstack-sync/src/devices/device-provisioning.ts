import type { ChirpStackDevice, ChirpStackDeviceKeys } from '@parking/chirpstack-records';
import type { ChirpStackClient } from '../chirpstack/chirpstack-client';
import { callErrorOf } from '../chirpstack/chirpstack-errors';
import type { OpenedConnection } from '../connections/connection-rows';
import type { DeviceSyncRow } from './device-sync-rows';

/** The ChirpStack device variable that names our device: how a device there is known as ours. */
export const PLATFORM_DEVICE_ID = 'platformDeviceId';
/** ChirpStack wants an AppKey even from a LoRaWAN 1.0.x device, which has none (its key is the NwkKey). */
const NO_APP_KEY = '0'.repeat(32);

/** ChirpStack cannot take the device as it is, and trying again will not change that by itself. */
export class ProvisioningRefused extends Error {
  override readonly name = 'ProvisioningRefused';
}

/** What ChirpStack should hold of the device: the device's own ids override the connection's defaults. */
export function wantedDevice(row: DeviceSyncRow, connection: OpenedConnection): ChirpStackDevice {
  const deviceProfileId = row.profile_id ?? connection.device_profiles[row.codec];
  if (!deviceProfileId) {
    throw new ProvisioningRefused(
      `No ChirpStack device profile for codec "${row.codec}": give the device a chirpstackProfileId, or the connection a deviceProfiles entry for "${row.codec}".`,
    );
  }
  return {
    devEui: row.dev_eui,
    name: row.name,
    description: row.description ?? '',
    applicationId: row.application_id ?? connection.application_id,
    deviceProfileId,
    isDisabled: false,
    skipFcntCheck: false,
    joinEui: row.join_eui ?? '',
    tags: row.tags,
    variables: { [PLATFORM_DEVICE_ID]: row.device_id },
  };
}

const failureOf = (method: string, error: unknown) => callErrorOf(method, error).failure;

/**
 * Brings ChirpStack to the wanted device. A device ChirpStack lost is created again; one it
 * holds already is taken over when its variables name our device (a create repeated after a
 * deadline finds its own device), and refused as drift otherwise: never a second device.
 */
export async function provisionDevice(client: ChirpStackClient, row: DeviceSyncRow, wanted: ChirpStackDevice): Promise<void> {
  if (row.synced_version !== null) {
    try {
      return await client.updateDevice(wanted);
    } catch (error) {
      if (failureOf('DeviceService.Update', error) !== 'not_found') throw error;
    }
  }
  try {
    return await client.createDevice(wanted);
  } catch (error) {
    if (failureOf('DeviceService.Create', error) !== 'already_exists') throw error;
  }
  const held = await client.getDevice(row.dev_eui);
  const owner = held.variables[PLATFORM_DEVICE_ID];
  if (owner !== row.device_id) {
    throw new ProvisioningRefused(
      `ChirpStack already holds devEUI ${row.dev_eui} (application ${held.applicationId}) ${owner ? `for another device of ours (${owner})` : 'as a device that is not ours'}; ` +
        'delete it there, or set its platformDeviceId variable to this device to let us take it over.',
    );
  }
  await client.updateDevice({ ...wanted, variables: { ...held.variables, ...wanted.variables } });
}

/** ChirpStack forgets the device, if the device it holds under the devEUI is still ours. */
export async function deprovisionDevice(client: ChirpStackClient, row: DeviceSyncRow): Promise<void> {
  let owner: string | undefined;
  try {
    owner = (await client.getDevice(row.dev_eui)).variables[PLATFORM_DEVICE_ID];
  } catch (error) {
    if (failureOf('DeviceService.Get', error) === 'not_found') return;
    throw error;
  }
  // Someone else's device under the devEUI (a later registration, or not ours at all) stays.
  if (owner !== row.device_id) return;
  try {
    await client.deleteDevice(row.dev_eui);
  } catch (error) {
    if (failureOf('DeviceService.Delete', error) !== 'not_found') throw error;
  }
}

/** Sends the device's OTAA root keys: created, or replaced when ChirpStack has some already. */
export async function provisionKeys(client: ChirpStackClient, devEui: string, keys: ChirpStackDeviceKeys): Promise<void> {
  const sent = { nwkKey: keys.nwkKey.toLowerCase(), appKey: (keys.appKey || NO_APP_KEY).toLowerCase() };
  try {
    await client.createKeys(devEui, sent);
  } catch (error) {
    if (failureOf('DeviceService.CreateKeys', error) !== 'already_exists') throw error;
    await client.updateKeys(devEui, sent);
  }
}

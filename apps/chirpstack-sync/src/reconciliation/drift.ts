import type { ChirpStackDevice, ChirpStackDeviceListItem } from '@parking/chirpstack-records';
import type { DriftedField } from '@parking/contracts';
import { PLATFORM_DEVICE_ID } from '../devices/device-provisioning';

const sameTags = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([key, value]) => b[key] === value);

/** Where ChirpStack's list entry differs from what it should hold (the list has no variables or disabled flag). */
export function listedDrift(wanted: ChirpStackDevice, listed: ChirpStackDeviceListItem): DriftedField[] {
  const fields: DriftedField[] = [];
  if (listed.name !== wanted.name) fields.push({ field: 'name', platform: wanted.name, chirpstack: listed.name });
  if (listed.description !== wanted.description) fields.push({ field: 'description', platform: wanted.description, chirpstack: listed.description });
  if (listed.deviceProfileId !== wanted.deviceProfileId) fields.push({ field: 'deviceProfileId', platform: wanted.deviceProfileId, chirpstack: listed.deviceProfileId });
  if (!sameTags(wanted.tags, listed.tags)) fields.push({ field: 'tags', platform: wanted.tags, chirpstack: listed.tags });
  return fields;
}

/** What a whole device (Get) adds to the list's comparison. */
export function heldDrift(wanted: ChirpStackDevice, held: ChirpStackDevice): DriftedField[] {
  const fields: DriftedField[] = [];
  if (held.isDisabled !== wanted.isDisabled) fields.push({ field: 'disabled', platform: wanted.isDisabled, chirpstack: held.isDisabled });
  if (held.variables[PLATFORM_DEVICE_ID] !== wanted.variables[PLATFORM_DEVICE_ID]) {
    fields.push({ field: PLATFORM_DEVICE_ID, platform: wanted.variables[PLATFORM_DEVICE_ID], chirpstack: held.variables[PLATFORM_DEVICE_ID] ?? null });
  }
  return fields;
}

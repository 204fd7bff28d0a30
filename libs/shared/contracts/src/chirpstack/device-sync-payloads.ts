import { ApiProperty } from '@nestjs/swagger';
import { DevEuiField, UUID_EXAMPLE } from '../fields/identifiers';
import { TextField } from '../fields/text';

/** Where ChirpStack stands with a device: `pending` (on its way), `synced`, or `failed` (with the reason; retried with backoff). */
export const DEVICE_SYNC_STATUSES = ['pending', 'synced', 'failed'] as const;
export type DeviceSyncStatus = (typeof DEVICE_SYNC_STATUSES)[number];
export const DEVICE_KEYS_STATES = ['none', 'pending', 'synced'] as const;
export type DeviceKeysState = (typeof DEVICE_KEYS_STATES)[number];

const AES_KEY = /^[0-9a-fA-F]{32}$/;
const RootKey = (presence: 'required' | 'optional', description: string) =>
  TextField({
    presence,
    min: 32,
    max: 32,
    trim: false,
    pattern: AES_KEY,
    hint: 'must be an AES-128 key: 32 hex digits',
    doc: { example: '2b7e151628aed2a6abf7158809cf4f3c', description, writeOnly: true },
  });

export class DeviceSyncRef {
  @DevEuiField() devEui!: string;
}

/**
 * A device's OTAA root keys. ChirpStack's convention: a LoRaWAN 1.0.x device's AppKey goes in
 * `nwkKey`; a 1.1 device has both. Stored sealed; never answered, never logged.
 */
export class DeviceKeysBody {
  @RootKey('required', "The NwkKey (LoRaWAN 1.1), or the AppKey of a LoRaWAN 1.0.x device") nwkKey!: string;
  @RootKey('optional', 'The AppKey of a LoRaWAN 1.1 device; leave out for 1.0.x') appKey?: string;
}
export class SetDeviceKeysRequest extends DeviceKeysBody {
  @DevEuiField() devEui!: string;
}

/** How far ChirpStack has got with a device of the registry. Keys are never answered, only whether they are there. */
export class DeviceSyncView {
  @ApiProperty({ example: '70b3d54750100a1b' }) devEui!: string;
  @ApiProperty({ format: 'uuid', example: UUID_EXAMPLE }) deviceId!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, example: UUID_EXAMPLE, description: 'The ChirpStack connection the device is (or goes) in; null before the first attempt' })
  connectionId!: string | null;
  @ApiProperty({ enum: DEVICE_SYNC_STATUSES, example: 'synced' }) status!: DeviceSyncStatus;
  @ApiProperty({ type: 'string', nullable: true, example: null, description: 'Why the device is not synced yet: the last failure, or what it waits for' }) reason!: string | null;
  @ApiProperty({ example: 0, description: 'Failed attempts since the device was last synced' }) attempts!: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) lastAttemptAt!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'When the next attempt is due; null when nothing is to do' }) nextAttemptAt!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) syncedAt!: string | null;
  @ApiProperty({ example: 3, description: "The registry's version of the device" }) deviceVersion!: number;
  @ApiProperty({ type: 'integer', nullable: true, example: 3, description: 'The version ChirpStack last got' }) syncedVersion!: number | null;
  @ApiProperty({ example: false, description: 'The device was removed from the registry; ChirpStack forgets it' }) removed!: boolean;
  @ApiProperty({ enum: DEVICE_KEYS_STATES, example: 'synced', description: 'OTAA root keys: none given, on their way, or in ChirpStack' }) keys!: DeviceKeysState;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) keysSyncedAt!: string | null;
}

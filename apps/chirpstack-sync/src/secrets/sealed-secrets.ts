import { Inject, Injectable } from '@nestjs/common';
import type { ChirpStackDeviceKeys } from '@parking/chirpstack-records';
import { sealedFor, type SecretBox } from '@parking/secret-box';

/** The service's SecretBox, over its own SECRETS_KEY. */
export const CHIRPSTACK_SECRET_BOX = Symbol('CHIRPSTACK_SECRET_BOX');

/**
 * ChirpStack API tokens, sealed with the service's SECRETS_KEY and bound to their connection:
 * a sealed token copied to another row does not open.
 */
@Injectable()
export class ConnectionTokens {
  constructor(@Inject(CHIRPSTACK_SECRET_BOX) private readonly box: SecretBox) {}

  seal(connectionId: string, token: string): string {
    return this.box.seal(token, sealedFor.chirpstackConnection(connectionId));
  }

  open(connectionId: string, sealed: string): string {
    return this.box.open(sealed, sealedFor.chirpstackConnection(connectionId)).toString('utf8');
  }
}

/** A device's OTAA root keys, sealed the same way and bound to the tenant and devEUI. */
@Injectable()
export class DeviceKeysVault {
  constructor(@Inject(CHIRPSTACK_SECRET_BOX) private readonly box: SecretBox) {}

  seal(tenantId: string, devEui: string, keys: ChirpStackDeviceKeys): string {
    return this.box.seal(JSON.stringify({ nwkKey: keys.nwkKey, appKey: keys.appKey }), sealedFor.deviceKeys(tenantId, devEui));
  }

  open(tenantId: string, devEui: string, sealed: string): ChirpStackDeviceKeys {
    return JSON.parse(this.box.open(sealed, sealedFor.deviceKeys(tenantId, devEui)).toString('utf8')) as ChirpStackDeviceKeys;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { sealedFor, type SecretBox } from '@parking/secret-box';

export const CONNECTION_SECRET_BOX = Symbol('CONNECTION_SECRET_BOX');

/**
 * ChirpStack API tokens, sealed with the service's SECRETS_KEY and bound to their connection:
 * a sealed token copied to another row does not open.
 */
@Injectable()
export class ConnectionTokens {
  constructor(@Inject(CONNECTION_SECRET_BOX) private readonly box: SecretBox) {}

  seal(connectionId: string, token: string): string {
    return this.box.seal(token, sealedFor.chirpstackConnection(connectionId));
  }

  open(connectionId: string, sealed: string): string {
    return this.box.open(sealed, sealedFor.chirpstackConnection(connectionId)).toString('utf8');
  }
}

import { Injectable, type PipeTransform } from '@nestjs/common';
import { DEV_EUI_HINT, normaliseDevEui } from '@parking/contracts';
import { ValidationFailedError } from '@parking/problem-details';

/** `@Param('gatewayId', GatewayIdParam)`: a gateway's EUI is normalised like a devEUI; anything else is a 400 naming it. */
@Injectable()
export class GatewayIdParam implements PipeTransform<string, string> {
  transform(value: string): string {
    const gatewayId = normaliseDevEui(value);
    if (!gatewayId) throw new ValidationFailedError([{ field: 'gatewayId', message: DEV_EUI_HINT }]);
    return gatewayId;
  }
}

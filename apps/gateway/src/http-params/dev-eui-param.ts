import { Injectable, type PipeTransform } from '@nestjs/common';
import { DEV_EUI_HINT, normaliseDevEui } from '@parking/contracts';
import { ValidationFailedError } from '@parking/problem-details';

/** `@Param('devEui', DevEuiParam)`: anything but a devEUI is a 400 naming it (never a 404). */
@Injectable()
export class DevEuiParam implements PipeTransform<string, string> {
  transform(value: string): string {
    const devEui = normaliseDevEui(value);
    if (!devEui) throw new ValidationFailedError([{ field: 'devEui', message: DEV_EUI_HINT }]);
    return devEui;
  }
}

import { Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from '@parking/problem-details';
import { DEV_EUI_PATTERN } from './devices.dto';

/** `@Param('devEui', DevEuiParam)`: anything but a devEUI is a 400 naming it (never a 404). */
@Injectable()
export class DevEuiParam implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!DEV_EUI_PATTERN.test(value)) {
      throw new ValidationFailedError([{ field: 'devEui', message: 'must be 16 hex digits (upper or lower case, optionally separated by "-" or ":")' }]);
    }
    return value;
  }
}

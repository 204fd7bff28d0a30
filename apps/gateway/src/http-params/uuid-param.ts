import { Injectable, type PipeTransform } from '@nestjs/common';
import { isUuid, UUID_HINT } from '@parking/contracts';
import { ValidationFailedError } from '@parking/problem-details';

/** `@Param('id', UuidParam)`: anything but a UUID is a 400 naming `id` (never a 404). */
@Injectable()
class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw new ValidationFailedError([{ field: 'id', message: UUID_HINT }]);
    return value.toLowerCase();
  }
}

export const UuidParam = new UuidParamPipe();

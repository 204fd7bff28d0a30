import { Injectable, type PipeTransform } from '@nestjs/common';
import { isUuid, UUID_HINT } from '@parking/contracts';
import { ValidationFailedError } from '@parking/problem-details';

/** `@Param('id', UuidParam)`: anything but a UUID is a 400 naming the parameter (never a 404). */
@Injectable()
class UuidParamPipe implements PipeTransform<string, string> {
  constructor(private readonly field: string) {}

  transform(value: string): string {
    if (!isUuid(value)) throw new ValidationFailedError([{ field: this.field, message: UUID_HINT }]);
    return value.toLowerCase();
  }
}

export const UuidParam = new UuidParamPipe('id');

/** The same check for a path parameter of another name: `@Param('space_id', uuidParamNamed('space_id'))`. */
export const uuidParamNamed = (field: string): PipeTransform<string, string> => new UuidParamPipe(field);

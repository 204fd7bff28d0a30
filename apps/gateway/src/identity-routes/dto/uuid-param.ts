import { ParseUUIDPipe } from '@nestjs/common';
import { ValidationFailedError } from '@parking/problem-details';

/** `@Param('id', UuidParam)`: anything but a UUID is a 400 naming `id` (never a 404). */
export const UuidParam = new ParseUUIDPipe({
  exceptionFactory: () => new ValidationFailedError([{ field: 'id', message: 'must be a UUID' }]),
});

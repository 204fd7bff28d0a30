import { ValidationPipe } from '@nestjs/common';
import { checkPayload, flattenValidationErrors, PAYLOAD_VALIDATION } from '@parking/contracts';
import { ValidationFailedError } from './domain-error';

/**
 * The app-wide pipe of HTTP input: unknown properties are refused, payloads become DTO
 * instances, and a failure is a VALIDATION_FAILED DomainError listing every field (`a.b[0].c`).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...PAYLOAD_VALIDATION,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedError(flattenValidationErrors(errors)),
  });
}

/** `plain` as a checked `payloadClass` instance, or a VALIDATION_FAILED naming every bad field. */
export function validatePayload<T extends object>(payloadClass: new () => T, plain: unknown): T {
  const { value, errors } = checkPayload(payloadClass, plain);
  if (errors.length > 0) throw new ValidationFailedError(errors);
  return value;
}

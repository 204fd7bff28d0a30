import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import type { RpcErrorPayload } from './errors';
import { cacheValidationRules } from './validation-rules-cache';

// Every payload check in the process (Nest's pipe too) goes through the one rule storage.
cacheValidationRules();

/** One problem with one input field; `field` is a path such as `address.lines[0]`. */
export type PayloadProblem = NonNullable<RpcErrorPayload['errors']>[number];

/**
 * How every payload is checked, on both sides of a hop: unknown properties are refused. A
 * class with no rule at all (a query that takes nothing) is valid when empty, as Nest's
 * pipe has it (class-validator alone would call it an unknown value).
 */
export const PAYLOAD_VALIDATION: ValidatorOptions = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false };

/** What is wrong with `plain` as a `payloadClass`, and the instance it becomes (transforms applied). */
export function checkPayload<T extends object>(payloadClass: new () => T, plain: unknown): { value: T; errors: PayloadProblem[] } {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    return { value: new payloadClass(), errors: [{ field: 'payload', message: 'must be a JSON object' }] };
  }
  const value = plainToInstance(payloadClass, plain);
  return { value, errors: flattenValidationErrors(validateSync(value, PAYLOAD_VALIDATION)) };
}

/** class-validator's nested errors as one list, each named by its path (`a.b[0].c`). */
export function flattenValidationErrors(errors: ValidationError[], parentPath = ''): PayloadProblem[] {
  return errors.flatMap((error) => {
    const field = joinPath(parentPath, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

function joinPath(parent: string, property: string): string {
  if (parent === '') return property;
  return /^\d+$/.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;
}

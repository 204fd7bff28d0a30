import { applyDecorators } from '@nestjs/common';
import { IsOptional, ValidateIf } from 'class-validator';

/** Applies several property decorators as one. */
export const Each = (...decorators: PropertyDecorator[]): PropertyDecorator => applyDecorators(...decorators) as PropertyDecorator;

/** Absent or null pass; anything else must satisfy the decorators that follow (null clears an optional field). */
export const NullOrAbsentOr = (...decorators: PropertyDecorator[]): PropertyDecorator =>
  Each(IsOptional(), ValidateIf((_object: unknown, value: unknown) => value !== null), ...decorators);

/** Absent passes; anything else, null included, must satisfy the decorators that follow. */
export const AbsentOr = (...decorators: PropertyDecorator[]): PropertyDecorator =>
  Each(ValidateIf((_object: unknown, value: unknown) => value !== undefined), ...decorators);

/** Whether a field is required, may be left out (not sent as null: that says nothing the field can hold), or may also be null (which clears it). */
export type Presence = 'required' | 'optional' | 'nullable';

/** The validation that goes with a presence, before the field's own rules. */
export function presence(given: Presence, ...rules: PropertyDecorator[]): PropertyDecorator {
  if (given === 'required') return Each(...rules);
  if (given === 'optional') return AbsentOr(...rules);
  return NullOrAbsentOr(...rules);
}

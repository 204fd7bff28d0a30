import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches, MaxLength } from 'class-validator';
import { Each, presence, type Presence } from './compose';

/** Leading and trailing spaces never belong to a name, a code or a reason. */
export const Trim = (): PropertyDecorator => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** Lower-cased on the way in: emails, UUIDs. */
export const LowerCase = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value));

export interface TextOptions {
  presence?: Presence;
  min?: number;
  max: number;
  /** Trim before checking (default true): `"  "` is then empty. Never for secrets. */
  trim?: boolean;
  pattern?: RegExp;
  /** What the pattern means, after the field's name: `must be a slug such as north-level-2`. */
  hint?: string;
  /** What a wrong length means, after the field's name (class-validator's wording otherwise). */
  lengthHint?: string;
  doc?: ApiPropertyOptions;
}

/** The documentation decorator that goes with a presence. */
export function documented(given: Presence, doc: ApiPropertyOptions): PropertyDecorator {
  const nullable = given === 'nullable' ? { nullable: true } : {};
  return given === 'required' ? ApiProperty({ ...doc, ...nullable }) : ApiPropertyOptional({ ...doc, ...nullable });
}

/** A string field: its length, pattern and documentation in one place. */
export function TextField(options: TextOptions): PropertyDecorator {
  const given = options.presence ?? 'required';
  const min = options.min ?? 1;
  const lengthMessage = options.lengthHint ? { message: `$property ${options.lengthHint}` } : undefined;
  const rules: PropertyDecorator[] = [IsString(lengthMessage), min > 0 ? Length(min, options.max, lengthMessage) : MaxLength(options.max, lengthMessage)];
  if (options.pattern) rules.push(Matches(options.pattern, { message: `$property ${options.hint ?? `must match ${options.pattern.source}`}` }));
  const doc: ApiPropertyOptions = {
    type: 'string',
    ...(min > 0 ? { minLength: min } : {}),
    maxLength: options.max,
    ...(options.pattern ? { pattern: options.pattern.source } : {}),
    ...options.doc,
  } as ApiPropertyOptions;
  return Each(documented(given, doc), ...(options.trim === false ? [] : [Trim()]), presence(given, ...rules));
}

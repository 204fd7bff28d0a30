import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy, ValidateIf, type ValidationArguments } from 'class-validator';

const DAY_MS = 24 * 3600 * 1000;
/** An RFC 3339 instant with a time zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

export const instantHint = (field: string, example: string) => `${field} must be an RFC 3339 date-time with a time zone, e.g. ${example}`;

export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

/** An optional RFC 3339 instant (`from` of a range, `expiresAt`, …). */
export function InstantField(doc: { example: string; description: string }): PropertyDecorator {
  return (target, property) => {
    ApiPropertyOptional({ type: 'string', format: 'date-time', ...doc })(target, property);
    IsOptional()(target, property);
    ValidateBy({ name: 'isInstant', validator: { validate: isInstant, defaultMessage: () => instantHint(String(property), doc.example) } })(target, property);
  };
}

export interface TimeRangeRule {
  /** The longest span from `from` to `to` (`to` defaults to now); none: any. */
  maxDays?: number;
  /** `to` must come after `from` (default true). */
  ordered?: boolean;
}

function rangeProblem(to: string | undefined, from: unknown, rule: TimeRangeRule): string | undefined {
  if (to !== undefined && !isInstant(to)) return instantHint('to', '2026-12-02T00:00:00Z');
  if (!isInstant(from)) return undefined;
  const end = to === undefined ? Date.now() : Date.parse(to);
  const start = Date.parse(from);
  if (rule.ordered !== false && start >= end) return `to must be later than from${to === undefined ? ' (to defaults to now)' : ''}`;
  if (rule.maxDays !== undefined && end - start > rule.maxDays * DAY_MS) {
    return `to must be at most ${rule.maxDays} days after from; ask for a longer period in several requests`;
  }
  return undefined;
}

/**
 * `to` of a `from`/`to` range: an RFC 3339 instant after `from`, and at most `maxDays` after
 * it (with `to` left out, now stands in). Reported on `to`, which is what to change.
 */
export function RangeEndField(rule: TimeRangeRule, doc: { example: string; description: string }): PropertyDecorator {
  return (target, property) => {
    ApiPropertyOptional({ type: 'string', format: 'date-time', ...doc })(target, property);
    ValidateIf((object: { from?: unknown; to?: unknown }) => object.to !== undefined || (rule.maxDays !== undefined && object.from !== undefined))(target, property);
    ValidateBy({
      name: 'timeRange',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          (value === undefined || typeof value === 'string') && rangeProblem(value as string | undefined, (args?.object as { from?: unknown }).from, rule) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          typeof args?.value === 'string' || args?.value === undefined
            ? (rangeProblem(args?.value as string | undefined, (args?.object as { from?: unknown }).from, rule) ?? 'to is not a valid end of the range')
            : instantHint('to', '2026-12-02T00:00:00Z'),
      },
    })(target, property);
  };
}

import type { Page } from '@parking/contracts';
import { empty, join, raw, sqltag as sql, type Sql } from '@prisma/client/runtime/client';
import { decodeCursor, encodeCursor } from './keyset-cursor';

/**
 * Keyset paging in (created_at, id) order for the services' raw SQL. Fragments are Prisma's
 * Sql, which every generated client and the raw path (its template) take.
 */

/** `(alias.created_at, alias.id) > cursor`, or nothing on the first page. */
export function afterCursor(alias: string, cursor: string | undefined): Sql[] {
  const position = decodeCursor(cursor);
  if (!position) return [];
  return [
    sql`(${raw(`${alias}.created_at`)}, ${raw(`${alias}.id`)}) > (timestamptz 'epoch' + ${position.createdAtMicros}::bigint * interval '1 microsecond', ${position.id}::uuid)`,
  ];
}

/** `(alias.created_at, alias.id) < cursor`: the same paging, newest first. */
export function beforeCursor(alias: string, cursor: string | undefined): Sql[] {
  const position = decodeCursor(cursor);
  if (!position) return [];
  return [
    sql`(${raw(`${alias}.created_at`)}, ${raw(`${alias}.id`)}) < (timestamptz 'epoch' + ${position.createdAtMicros}::bigint * interval '1 microsecond', ${position.id}::uuid)`,
  ];
}

/** The position columns every keyset query selects. */
export function keysetColumns(alias: string): Sql {
  return raw(`${alias}.id::text AS key_id, (extract(epoch FROM ${alias}.created_at) * 1000000)::bigint::text AS key_micros`);
}

/** Turns `limit + 1` rows into a page and its next cursor. */
export function toPage<R extends { key_id: string; key_micros: string }, T>(rows: R[], limit: number, view: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(view),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAtMicros: last.key_micros, id: last.key_id }) : null,
  };
}

export function whereAll(conditions: Sql[]): Sql {
  return conditions.length > 0 ? sql`WHERE ${join(conditions, ' AND ')}` : empty;
}

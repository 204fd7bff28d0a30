// The booking use cases over a fresh database as the service's runtime role, with the
// inventory read model arranged directly (as occupancy's events would leave it).
import { PERMISSIONS, type Principal } from '@parking/contracts';
import { PgSqlClient, TenantDatabase, type RawSqlClient } from '@parking/database';
import { OutboxWriter } from '@parking/messaging';
import { DomainError } from '@parking/problem-details';
import { Prisma } from '@parking/reservations/data-access';
import { createTestDatabase, type TestDatabase } from '@parking/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { BookingUseCase } from '../src/bookings/booking.use-case';
import { ReservationCommands } from '../src/bookings/reservation-commands.use-case';
import { ReservationQueries } from '../src/bookings/reservation-queries.use-case';
import { IdempotencyKeys } from '../src/idempotency/idempotency-keys';
import { ReservationTransitions } from '../src/lifecycle/reservation-transitions';

export interface BookingFixture {
  database: TestDatabase;
  db: TenantDatabase<RawSqlClient>;
  booking: BookingUseCase;
  commands: ReservationCommands;
  queries: ReservationQueries;
  transitions: ReservationTransitions;
  idempotency: IdempotencyKeys;
  admin: Client;
  sql<T>(query: string, values?: unknown[]): Promise<T[]>;
  /** A tenant with a site (time zone `timeZone`) and `spaces` spaces in one zone. */
  tenant(options?: { spaces?: number; timeZone?: string }): Promise<{ tenantId: string; siteId: string; zoneId: string; spaceIds: string[]; principal: Principal }>;
  close(): Promise<void>;
}

export async function bookingFixture(options: { poolMax?: number; idempotencyTtlMs?: number } = {}): Promise<BookingFixture> {
  const database = await createTestDatabase();
  const client = new PgSqlClient({ url: database.urlFor('reservations'), max: options.poolMax ?? 10, template: (strings, ...values) => Prisma.sql(strings, ...values) });
  const db = new TenantDatabase<RawSqlClient>({ client, schema: 'reservations' });
  const outbox = new OutboxWriter({ schema: 'reservations', source: '/parking/reservations', wake: 'poll' });
  const transitions = new ReservationTransitions(outbox);
  const idempotency = new IdempotencyKeys({ ttlMs: options.idempotencyTtlMs ?? 24 * 3_600_000 });
  const admin = new Client({ connectionString: database.adminUrl });
  await admin.connect();
  const sql = async <T>(query: string, values: unknown[] = []) => (await admin.query(query, values)).rows as T[];
  return {
    database,
    db,
    admin,
    sql,
    transitions,
    idempotency,
    booking: new BookingUseCase(db, idempotency, outbox),
    commands: new ReservationCommands(db, idempotency, transitions, outbox),
    queries: new ReservationQueries(db),
    async tenant({ spaces = 1, timeZone = 'Europe/Berlin' } = {}) {
      const tenantId = randomUUID();
      const siteId = randomUUID();
      const zoneId = randomUUID();
      await sql(`INSERT INTO reservations.sites (id, tenant_id, name, time_zone, version) VALUES ($1, $2, 'Site', $3, 1)`, [siteId, tenantId, timeZone]);
      await sql(`INSERT INTO reservations.zones (id, tenant_id, site_id, path, name, version) VALUES ($1, $2, $3, ARRAY[$1::uuid], 'Zone', 1)`, [zoneId, tenantId, siteId]);
      const spaceIds: string[] = [];
      for (let i = 0; i < spaces; i += 1) {
        const spaceId = randomUUID();
        await sql(`INSERT INTO reservations.spaces (id, tenant_id, site_id, zone_id, code, type, version, state, state_version) VALUES ($1, $2, $3, $4, $5, 'standard', 1, 'free', 1)`, [
          spaceId,
          tenantId,
          siteId,
          zoneId,
          `S-${String(i).padStart(3, '0')}`,
        ]);
        spaceIds.push(spaceId);
      }
      const principal: Principal = { kind: 'api-key', tenantId, actor: `api-key:${randomUUID()}`, permissions: [...PERMISSIONS], isPlatformAdmin: false };
      return { tenantId, siteId, zoneId, spaceIds, principal };
    },
    async close() {
      await admin.end();
      await client.$disconnect();
      await database.drop();
    },
  };
}

/** The DomainError a promise is refused with; fails the test if it resolves or fails otherwise. */
export async function refusalOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

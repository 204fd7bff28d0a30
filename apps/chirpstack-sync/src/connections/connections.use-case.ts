import { Inject, Injectable, Optional } from '@nestjs/common';
import { CONNECTIONS_PER_TENANT_MAX, type ConnectionView, type CreateConnectionBody, type Page, type Principal, type UpdateConnectionBody } from '@parking/contracts';
import { afterCommit, type TemplateSqlClient, type TenantDatabase } from '@parking/database';
import { Prisma } from '@parking/chirpstack-sync/data-access';
import { DomainError, NotFoundError } from '@parking/problem-details';
import { afterCursor, keysetColumns, RAW_TENANT_DATABASE, toPage, whereAll } from '@parking/service-runtime';
import { randomUUID } from 'node:crypto';
import { ChirpStackClients } from '../chirpstack/chirpstack-clients';
import { CONNECTION_COLUMNS, connectionView, type ConnectionRow, type OpenedConnection } from './connection-rows';
import { ConnectionTokens } from '../secrets/sealed-secrets';
import { DeviceSyncWakeup } from '../devices/device-sync-wakeup';

const COLUMNS = Prisma.raw(CONNECTION_COLUMNS);

/** Changes to a tenant's connections one at a time: which one is the default, and how many there are, stay true. */
async function lockConnectionsOfTenant(tx: TemplateSqlClient): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended('chirpstack.connections:' || current_setting('app.tenant_id'), 0))`;
}

/**
 * The same lock, shared: held by a device's attempt from reading the tenant's connections to
 * recording that it has none, so a connection being added waits for it (and then finds the
 * device waiting), or it waits for the connection (and then reads it).
 */
export async function holdConnectionsOfTenant(tx: TemplateSqlClient): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock_shared(hashtextextended('chirpstack.connections:' || current_setting('app.tenant_id'), 0))`;
}

const NAME_TAKEN = (name: string) => new DomainError('CONFLICT', `The tenant already has a connection named "${name}"; pick another name.`, undefined, { errors: [{ field: 'name', message: 'is taken' }] });

/**
 * A tenant's ChirpStack connections. The token is sealed before it is stored and is never
 * answered. Exactly one of a tenant's connections is its default: the first one, the one last
 * made default, or, when the default is removed, the oldest left.
 */
@Injectable()
export class ConnectionsUseCase {
  constructor(
    @Inject(RAW_TENANT_DATABASE) private readonly db: TenantDatabase<TemplateSqlClient>,
    private readonly tokens: ConnectionTokens,
    private readonly clients: ChirpStackClients,
    @Optional() private readonly devicesDue?: DeviceSyncWakeup,
  ) {}

  create(principal: Principal, body: CreateConnectionBody): Promise<ConnectionView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await lockConnectionsOfTenant(tx);
      const [{ count }] = await tx.$queryRaw<Array<{ count: number }>>`SELECT count(*)::int AS count FROM chirpstack.connections`;
      if (count >= CONNECTIONS_PER_TENANT_MAX) {
        throw new DomainError('CONFLICT', `A tenant may have at most ${CONNECTIONS_PER_TENANT_MAX} ChirpStack connections; remove one first.`, { max: CONNECTIONS_PER_TENANT_MAX });
      }
      const isDefault = count === 0 || body.isDefault === true;
      if (isDefault) await tx.$executeRaw`UPDATE chirpstack.connections SET is_default = false, version = version + 1, updated_at = now() WHERE is_default`;
      const id = randomUUID();
      const rows = await tx.$queryRaw<ConnectionRow[]>`
        INSERT INTO chirpstack.connections (id, tenant_id, name, api_url, api_token_sealed, chirpstack_tenant_id, application_id, device_profiles, is_default, drift_policy)
        VALUES (${id}::uuid, ${principal.tenantId}::uuid, ${body.name}, ${body.apiUrl}, ${this.tokens.seal(id, body.apiToken)}, ${body.chirpstackTenantId}::uuid,
                ${body.applicationId}::uuid, ${JSON.stringify(body.deviceProfiles ?? {})}::jsonb, ${isDefault}, ${body.driftPolicy ?? 'report-only'})
        ON CONFLICT DO NOTHING
        RETURNING ${COLUMNS}`;
      if (rows.length === 0) throw NAME_TAKEN(body.name);
      // Devices that waited for a connection go now, the worker woken once this commits; holdConnectionsOfTenant keeps an attempt from marking one waiting after this.
      const waited = await tx.$executeRaw`UPDATE chirpstack.devices SET next_attempt_at = now(), updated_at = now() WHERE status = 'pending' AND next_attempt_at IS NULL`;
      if (waited > 0) afterCommit(tx, () => this.devicesDue?.wake());
      return connectionView(rows[0]);
    });
  }

  list(principal: Principal, query: { cursor?: string }, limit: number): Promise<Page<ConnectionView>> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      const rows = await tx.$queryRaw<Array<ConnectionRow & { key_id: string; key_micros: string }>>`
        SELECT ${COLUMNS}, ${keysetColumns('c')} FROM chirpstack.connections c ${whereAll(afterCursor('c', query.cursor))}
         ORDER BY c.created_at, c.id LIMIT ${limit + 1}`;
      return toPage(rows, limit, connectionView);
    });
  }

  get(principal: Principal, id: string): Promise<ConnectionView> {
    return this.db.withTenant(principal.tenantId, async (tx) => connectionView(await this.find(tx, id)));
  }

  /** The connection with its token opened, for a call to ChirpStack (another tenant's is 404). */
  withToken(principal: Principal, id: string): Promise<OpenedConnection> {
    return this.db.withTenant(principal.tenantId, (tx) => this.open(tx, id));
  }

  /** One connection of the tenant with its token opened, in the caller's unit of work (another tenant's is 404). */
  async open(tx: TemplateSqlClient, id: string): Promise<OpenedConnection> {
    const opened = await this.openIfExists(tx, id);
    if (!opened) throw new NotFoundError('ChirpStack connection', id);
    return opened;
  }

  /** As `open`, but null when the tenant has no such connection (it was removed). */
  async openIfExists(tx: TemplateSqlClient, id: string): Promise<OpenedConnection | null> {
    const [row] = await tx.$queryRaw<ConnectionRow[]>`SELECT ${COLUMNS} FROM chirpstack.connections WHERE id = ${id}::uuid`;
    return row ? { ...row, apiToken: this.tokens.open(row.id, row.api_token_sealed) } : null;
  }

  /** The connection a devEUI of the tenant goes through (see openForDevice), in the caller's unit of work; 404 when the tenant has none. */
  async openForDevEui(tx: TemplateSqlClient, devEui: string): Promise<OpenedConnection> {
    const [device] = await tx.$queryRaw<Array<{ connection_id: string | null; application_id: string | null }>>`
      SELECT connection_id, application_id FROM chirpstack.devices WHERE dev_eui = ${devEui}`;
    const connection = await this.openForDevice(tx, device ?? { connection_id: null, application_id: null });
    if (!connection) throw new DomainError('NOT_FOUND', 'The tenant has no ChirpStack connection; add one with POST /api/v1/chirpstack/connections.');
    return connection;
  }

  /**
   * The connection a device goes through, with its token opened: the one it is in already, else
   * the connection of the ChirpStack application the device names, else the tenant's default.
   * Null when the tenant has no connection.
   */
  async openForDevice(tx: TemplateSqlClient, device: { connection_id: string | null; application_id: string | null }): Promise<OpenedConnection | null> {
    const [row] = await tx.$queryRaw<ConnectionRow[]>`
      SELECT ${COLUMNS} FROM chirpstack.connections
       ORDER BY (id = ${device.connection_id}::uuid) IS TRUE DESC, (application_id::text = ${device.application_id}) IS TRUE DESC, is_default DESC
       LIMIT 1`;
    return row ? { ...row, apiToken: this.tokens.open(row.id, row.api_token_sealed) } : null;
  }

  /** Replaces the connection whole; the token stays unless a new one comes, and `isDefault` absent keeps what it is. */
  update(principal: Principal, id: string, body: UpdateConnectionBody): Promise<ConnectionView> {
    return this.db.withTenant(principal.tenantId, async (tx) => {
      await lockConnectionsOfTenant(tx);
      const row = await this.find(tx, id, true);
      if (body.version !== undefined && body.version !== row.version) {
        throw new DomainError('CONFLICT', `The connection is at version ${row.version}, not ${body.version}; read it again and retry.`, { version: row.version });
      }
      if (row.is_default && body.isDefault === false) {
        throw new DomainError('CONFLICT', 'This is the default connection; make another connection the default instead.', undefined, { errors: [{ field: 'isDefault', message: 'the tenant needs a default connection' }] });
      }
      const isDefault = body.isDefault ?? row.is_default;
      if (isDefault && !row.is_default) {
        await tx.$executeRaw`UPDATE chirpstack.connections SET is_default = false, version = version + 1, updated_at = now() WHERE is_default`;
      }
      const sealed = body.apiToken === undefined ? row.api_token_sealed : this.tokens.seal(id, body.apiToken);
      const rows = await tx.$queryRaw<ConnectionRow[]>`
        UPDATE chirpstack.connections c
           SET name = ${body.name}, api_url = ${body.apiUrl}, api_token_sealed = ${sealed}, chirpstack_tenant_id = ${body.chirpstackTenantId}::uuid,
               application_id = ${body.applicationId}::uuid, device_profiles = ${JSON.stringify(body.deviceProfiles ?? {})}::jsonb,
               is_default = ${isDefault}, drift_policy = ${body.driftPolicy ?? 'report-only'}, version = c.version + 1, updated_at = now()
         WHERE c.id = ${id}::uuid
           AND NOT EXISTS (SELECT 1 FROM chirpstack.connections o WHERE o.id <> c.id AND lower(o.name) = lower(${body.name}))
        RETURNING ${COLUMNS}`;
      if (rows.length === 0) throw NAME_TAKEN(body.name);
      return connectionView(rows[0]);
    });
  }

  async remove(principal: Principal, id: string): Promise<ConnectionView> {
    const removed = await this.db.withTenant(principal.tenantId, async (tx) => {
      await lockConnectionsOfTenant(tx);
      const row = await this.find(tx, id, true);
      await tx.$executeRaw`DELETE FROM chirpstack.connections WHERE id = ${id}::uuid`;
      if (row.is_default) {
        await tx.$executeRaw`
          UPDATE chirpstack.connections SET is_default = true, version = version + 1, updated_at = now()
           WHERE id = (SELECT id FROM chirpstack.connections ORDER BY created_at, id LIMIT 1)`;
      }
      return row;
    });
    this.clients.forget(id);
    return connectionView(removed);
  }

  private async find(tx: TemplateSqlClient, id: string, forUpdate = false): Promise<ConnectionRow> {
    const lock = forUpdate ? Prisma.sql`FOR UPDATE` : Prisma.empty;
    const [row] = await tx.$queryRaw<ConnectionRow[]>`SELECT ${COLUMNS} FROM chirpstack.connections WHERE id = ${id}::uuid ${lock}`;
    if (!row) throw new NotFoundError('ChirpStack connection', id);
    return row;
  }
}

import { DomainError } from '@parking/problem-details';
import { serviceSchema } from './service-schemas';
import { SYSTEM_PURPOSES, SystemPurpose } from './system-purpose';
import { isDatabaseUnreachable } from './database-unreachable';

/** The raw-SQL surface TenantDatabase needs; a Prisma client or transaction client fits. */
export type SqlClient = {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
};

export interface TransactionTimeouts {
  /** How long to wait for a pooled connection, in ms. */
  maxWait?: number;
  /** How long the whole unit of work may take before it is rolled back, in ms. */
  timeout?: number;
}

export interface TransactionOptions extends TransactionTimeouts {
  /** Transaction-local settings (`set_config(name, value, true)`), for a client that `appliesSettings`. */
  settings?: Readonly<Record<string, string>>;
}

/** A client with Prisma's interactive transactions (`$transaction(async tx => …)`). */
export type TransactionalClient<Tx extends SqlClient> = SqlClient & {
  $transaction<R>(work: (tx: Tx) => Promise<R>, options?: TransactionOptions): Promise<R>;
  $disconnect(): Promise<void>;
  /** True when `$transaction` applies `options.settings` with its BEGIN: one round trip less per unit of work. */
  readonly appliesSettings?: boolean;
};

export interface TenantDatabaseOptions<Tx extends SqlClient> {
  client: TransactionalClient<Tx>;
  /** The service's schema, where its platform_audit table lives. */
  schema: string;
  transaction?: TransactionTimeouts;
}

// Long enough for a handler's few statements under load, short enough that a stuck unit
// of work gives its connection back instead of starving the pool.
const DEFAULT_TIMEOUTS: Required<TransactionTimeouts> = { maxWait: 5_000, timeout: 15_000 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * The only way services reach their tables: every unit of work is one transaction that
 * first tells row-level security who it is for (a tenant, a platform admin, or the system).
 */
export class TenantDatabase<Tx extends SqlClient = SqlClient> {
  readonly schema: string;
  private readonly client: TransactionalClient<Tx>;
  private readonly timeouts: Required<TransactionTimeouts>;

  constructor(options: TenantDatabaseOptions<Tx>) {
    if (!SCHEMA_NAME.test(options.schema)) {
      throw new TypeError(`TenantDatabase needs a plain lower-case schema name, got ${describe(options.schema)}`);
    }
    this.client = options.client;
    this.schema = options.schema;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.transaction };
  }

  /** Runs `work` in a transaction that sees and writes only `tenantId`'s rows. */
  withTenant<R>(tenantId: string, work: (tx: Tx) => Promise<R>): Promise<R> {
    if (typeof tenantId !== 'string' || !UUID.test(tenantId)) {
      return Promise.reject(new TypeError(`withTenant needs the tenant id as a UUID, got ${describe(tenantId)}`));
    }
    return this.transaction(work, { 'app.tenant_id': tenantId });
  }

  /**
   * Runs `work` across tenants, recording who did it and why in the same transaction. The
   * schema's SECURITY DEFINER entry point writes the audit row, stamped with this transaction;
   * then the transaction switches to the platform-admin role, whose platform_admin policies
   * admit it only while it holds that row. The switch ends with the transaction.
   */
  asPlatformAdmin<R>(actor: string, reason: string, work: (tx: Tx) => Promise<R>): Promise<R> {
    if (!isFilled(actor) || !isFilled(reason)) {
      return Promise.reject(new TypeError('asPlatformAdmin needs a non-empty actor and reason for the audit trail'));
    }
    const { platformAdminRole } = serviceSchema(this.schema);
    return this.transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SELECT "${this.schema}".enter_platform_admin($1, $2)`, actor, reason);
      await tx.$executeRawUnsafe(`SET LOCAL ROLE "${platformAdminRole}"`);
      return work(tx);
    });
  }

  /**
   * Runs `work` with no tenant: RLS hides every tenant row, and only the schema's
   * SECURITY DEFINER functions (which check the purpose) reach them.
   */
  asSystem<R>(purpose: SystemPurpose, work: (tx: Tx) => Promise<R>): Promise<R> {
    if (!SYSTEM_PURPOSES.includes(purpose)) {
      return Promise.reject(new TypeError(`asSystem needs a known system purpose (${SYSTEM_PURPOSES.join(', ')}), got ${describe(purpose)}`));
    }
    return this.transaction(work, { 'app.system_purpose': purpose });
  }

  /** Resolves when PostgreSQL answers; for readiness checks. */
  async ping(): Promise<void> {
    await this.client.$queryRawUnsafe('SELECT 1');
  }

  close(): Promise<void> {
    return this.client.$disconnect();
  }

  /** One transaction with `settings` (what row-level security reads) set first, and after-commit callbacks run. */
  private async transaction<R>(work: (tx: Tx) => Promise<R>, settings: Readonly<Record<string, string>> = {}): Promise<R> {
    let callbacks: Array<() => void> = [];
    let unit: Tx | undefined;
    const applied = this.client.appliesSettings === true;
    try {
      const result = await this.client.$transaction(
        async (tx) => {
          unit = tx;
          callbacks = [];
          pendingCommitCallbacks.set(tx, callbacks);
          if (!applied) {
            for (const [name, value] of Object.entries(settings)) await tx.$executeRawUnsafe(`SELECT set_config($1, $2, true)`, name, value);
          }
          return work(tx);
        },
        applied ? { ...this.timeouts, settings } : this.timeouts,
      );
      // The work has committed: a failing callback must not make it look as if it had not.
      for (const callback of callbacks) {
        try {
          callback();
        } catch {
          // nothing to undo
        }
      }
      return result;
    } catch (error) {
      if (isDatabaseUnreachable(error)) throw new DomainError('UNAVAILABLE', 'The database cannot be reached at the moment; try again shortly.', undefined, { cause: error });
      throw error;
    } finally {
      if (unit !== undefined) pendingCommitCallbacks.delete(unit);
    }
  }
}

/** Callbacks to run once the unit of work they were registered in has committed. */
const pendingCommitCallbacks = new WeakMap<object, Array<() => void>>();

/**
 * Runs `callback` right after `tx` commits (never if it rolls back). Returns false, running
 * nothing, when `tx` is not a unit of work of a TenantDatabase (the caller decides then).
 */
export function afterCommit(tx: object, callback: () => void): boolean {
  const callbacks = pendingCommitCallbacks.get(tx);
  if (!callbacks) return false;
  callbacks.push(callback);
  return true;
}

function isFilled(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

// Bad input may come from a request: quote it, bounded, never echo it whole.
function describe(value: unknown): string {
  if (typeof value !== 'string') return typeof value;
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}

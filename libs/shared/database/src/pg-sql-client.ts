import { escapeLiteral, Pool, type PoolClient } from 'pg';
import type { SqlClient, TransactionalClient, TransactionOptions } from './tenant-database';

/** A built statement: `$n` placeholders and their values (what Prisma.sql makes). */
export interface SqlFragment {
  text: string;
  values: unknown[];
}

/** Builds a statement from a tagged template whose values may hold nested fragments (e.g. Prisma.sql). */
export type SqlTemplate = (strings: readonly string[], ...values: unknown[]) => SqlFragment;

/** SqlClient plus tagged-template queries, the subset of a Prisma transaction the raw path offers. */
export interface TemplateSqlClient extends SqlClient {
  $queryRaw<T = unknown>(query: TemplateStringsArray | SqlFragment, ...values: unknown[]): Promise<T>;
  $executeRaw(query: TemplateStringsArray | SqlFragment, ...values: unknown[]): Promise<number>;
}

export interface PgSqlClientOptions {
  url: string;
  /** Builds tagged-template queries (`$queryRaw\`…\``); without it only flat values are allowed. */
  template?: SqlTemplate;
  /** Connections in the pool (default 2: a relay runs one transaction at a time). */
  max?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}

/**
 * The raw-SQL surface of TenantDatabase over node-postgres, without Prisma's query engine.
 * For loops that run a few fixed statements very often (the outbox relay): each statement
 * costs about a sixth of the CPU it costs through Prisma here. Rows come back as pg returns
 * them (bigint as string, jsonb parsed, timestamptz as Date).
 */
export class PgSqlClient implements TransactionalClient<TemplateSqlClient> {
  readonly appliesSettings = true;
  private readonly pool: Pool;
  private readonly template: SqlTemplate;

  constructor(options: PgSqlClientOptions) {
    this.template = options.template ?? flatTemplate;
    this.pool = new Pool({ connectionString: options.url, max: options.max ?? 2, application_name: options.applicationName });
    // A pooled connection that breaks while idle is dropped by the pool; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> {
    return sqlOver(this.pool, this.template).$queryRawUnsafe<T>(query, ...values);
  }

  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
    return sqlOver(this.pool, this.template).$executeRawUnsafe(query, ...values);
  }

  /**
   * BEGIN … COMMIT on one connection; `timeout` bounds each statement and the idle time in
   * between, and `settings` are set with the BEGIN.
   */
  async $transaction<R>(work: (tx: TemplateSqlClient) => Promise<R>, timeouts: TransactionOptions = {}): Promise<R> {
    const client = await this.connect(timeouts.maxWait);
    let broken = false;
    let open = true;
    // The server may end a checked-out connection (idle past its timeout after a stall, a
    // restart); pg reports that as an 'error' event, which unheard would end the process. The
    // unit of work fails with the statement that meets the closed connection instead.
    const onError = () => (broken = true);
    client.on('error', onError);
    try {
      // One round trip: the simple protocol runs every statement of the string.
      await client.query(beginning(timeouts));
      const result = await work(sqlOver(client, this.template, () => open));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw error;
    } finally {
      // A handle kept past its unit of work would run on this connection's next transaction,
      // perhaps another tenant's: from here on it refuses every statement.
      open = false;
      client.off('error', onError);
      client.release(broken);
    }
  }

  async $disconnect(): Promise<void> {
    await this.pool.end();
  }

  private async connect(maxWaitMs?: number): Promise<PoolClient> {
    if (!maxWaitMs) return this.pool.connect();
    let timer: NodeJS.Timeout | undefined;
    const connecting = this.pool.connect();
    try {
      return await Promise.race([
        connecting,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no database connection free within ${maxWaitMs} ms`)), maxWaitMs);
        }),
      ]);
    } catch (error) {
      // Hand back a connection that arrives after we gave up on it.
      connecting.then((late) => late.release(), () => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** BEGIN with the transaction's timeouts and settings, as one string (literals escaped by pg). */
function beginning(options: TransactionOptions): string {
  const limit = options.timeout ? Math.max(1, Math.floor(options.timeout)) : 0;
  const statements = ['BEGIN'];
  if (limit) statements.push(`SET LOCAL statement_timeout = ${limit}`, `SET LOCAL idle_in_transaction_session_timeout = ${limit}`);
  const settings = Object.entries(options.settings ?? {});
  if (settings.length > 0) statements.push(`SELECT ${settings.map(([name, value]) => `set_config(${escapeLiteral(name)}, ${escapeLiteral(value)}, true)`).join(', ')}`);
  return statements.join('; ');
}

/**
 * The raw-SQL surface over a pool (a statement each) or one transaction's connection; a
 * transaction's handle answers only while `isOpen()` says its unit of work runs.
 */
function sqlOver(client: Pool | PoolClient, template: SqlTemplate, isOpen: () => boolean = () => true): TemplateSqlClient {
  const build = (query: TemplateStringsArray | SqlFragment, values: unknown[]): SqlFragment =>
    Array.isArray(query) ? template(query as readonly string[], ...values) : (query as SqlFragment);
  const run = (text: string, params: unknown[]) => {
    if (!isOpen()) return Promise.reject(new Error('PgSqlClient: this transaction handle is unusable, its unit of work has ended; use the one of the current unit of work'));
    return client.query(text, params);
  };
  return {
    async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> {
      return (await run(query, values)).rows as T;
    },
    async $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
      return (await run(query, values)).rowCount ?? 0;
    },
    async $queryRaw<T = unknown>(query: TemplateStringsArray | SqlFragment, ...values: unknown[]): Promise<T> {
      const { text, values: params } = build(query, values);
      return (await run(text, params)).rows as T;
    },
    async $executeRaw(query: TemplateStringsArray | SqlFragment, ...values: unknown[]): Promise<number> {
      const { text, values: params } = build(query, values);
      return (await run(text, params)).rowCount ?? 0;
    },
  };
}

/** `$1 … $n` for plain values; a nested fragment needs a real template (PgSqlClientOptions.template). */
function flatTemplate(strings: readonly string[], ...values: unknown[]): SqlFragment {
  if (values.some((value) => value !== null && typeof value === 'object' && 'text' in value && 'values' in value)) {
    throw new TypeError('PgSqlClient: a nested SQL fragment needs options.template (e.g. Prisma.sql)');
  }
  return { text: strings.reduce((text, part, i) => (i === 0 ? part : `${text}$${i}${part}`), ''), values };
}

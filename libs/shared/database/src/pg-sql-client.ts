import { escapeLiteral, Pool, type PoolClient, type QueryResult } from 'pg';
import { inlineParams, literalOf } from './inline-params';
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

/** What PgSqlClient's units of work offer beyond a Prisma transaction's raw surface. */
export interface RawSqlClient extends TemplateSqlClient {
  /**
   * A unit of work's last statement and its COMMIT in one round trip, so the locks it takes
   * (a counter row, a conflicting insert's wait) are released when it ends, not a round trip
   * later. Nothing may run after it. Outside a transaction it is the statement alone.
   */
  $queryRawAndCommit<T = unknown>(query: TemplateStringsArray | SqlFragment, ...values: unknown[]): Promise<T>;
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
export class PgSqlClient implements TransactionalClient<RawSqlClient> {
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
   * between, and `settings` are set with the BEGIN. The BEGIN travels with the unit of work's
   * first statement (a round trip saved on every transaction), and a work that runs nothing
   * sends nothing.
   */
  async $transaction<R>(work: (tx: RawSqlClient) => Promise<R>, timeouts: TransactionOptions = {}): Promise<R> {
    const client = await this.connect(timeouts.maxWait);
    const unit: UnitState = { opening: beginning(timeouts), began: false, committed: false, open: true };
    let broken = false;
    // The server may end a checked-out connection (idle past its timeout after a stall, a
    // restart); pg reports that as an 'error' event, which unheard would end the process. The
    // unit of work fails with the statement that meets the closed connection instead.
    const onError = () => (broken = true);
    client.on('error', onError);
    try {
      const result = await work(unitOver(client, this.template, unit));
      if (unit.began && !unit.committed) await client.query('COMMIT');
      return result;
    } catch (error) {
      if (unit.began && !unit.committed) await client.query('ROLLBACK').catch(() => (broken = true));
      // Its prepared statements are stale (a migration changed a table under them): a new
      // connection prepares them afresh, so the retry succeeds.
      if (isStalePlan(error)) broken = true;
      throw error;
    } finally {
      // A handle kept past its unit of work would run on this connection's next transaction,
      // perhaps another tenant's: from here on it refuses every statement.
      unit.open = false;
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

/** Where a unit of work stands: its BEGIN not yet sent, begun, committed, ended. */
interface UnitState {
  opening: string;
  began: boolean;
  committed: boolean;
  open: boolean;
}

type Run = (text: string, params: unknown[], commit: boolean) => Promise<QueryResult>;

/** Distinct statements the process prepares at most; the rest run unnamed (planned each time). */
const MAX_PREPARED_STATEMENTS = 1_000;
/** Longer texts are built per call (long IN lists, VALUES rows): never worth a name. */
const MAX_PREPARED_TEXT = 8_192;
const preparedNames = new Map<string, string>();

/**
 * A bound statement, prepared on its connection the first time it runs there and reused after:
 * PostgreSQL then plans it once per connection (or settles on a generic plan) rather than on
 * every call, and planning costs more than running most of the services' statements. Names
 * follow the text, the same in every pool of the process.
 */
function preparedStatement(text: string, values: unknown[]): { name?: string; text: string; values: unknown[] } {
  let name = preparedNames.get(text);
  if (name === undefined && preparedNames.size < MAX_PREPARED_STATEMENTS && text.length <= MAX_PREPARED_TEXT) {
    name = `parking_${preparedNames.size}`;
    preparedNames.set(text, name);
  }
  return name === undefined ? { text, values } : { name, text, values };
}

/** The raw-SQL surface over a pool: a statement each, autocommitted. */
function sqlOver(pool: Pool, template: SqlTemplate): RawSqlClient {
  return surface(template, (text, params) => pool.query(preparedStatement(text, params)));
}

/**
 * The raw-SQL surface of one unit of work's connection. Its first statement goes with the
 * BEGIN, and `$queryRawAndCommit` with the COMMIT, as one simple-protocol string: an EXECUTE of
 * the statement prepared on this connection (parameters as literals), or the statement with its
 * parameters inlined when it has no name; every other statement is bound as usual. It answers
 * only while its unit of work runs.
 */
function unitOver(client: PoolClient, template: SqlTemplate, unit: UnitState): RawSqlClient {
  return surface(template, async (text, params, commit) => {
    if (!unit.open) throw new Error('PgSqlClient: this transaction handle is unusable, its unit of work has ended; use the one of the current unit of work');
    if (unit.committed) throw new Error('PgSqlClient: this unit of work has committed; nothing may run after $queryRawAndCommit');
    const opening = unit.began ? undefined : unit.opening;
    const statement = preparedStatement(text, params);
    if (!opening && !commit) return client.query(statement);
    if (statement.name && !isParsedOn(client, statement.name)) {
      // Its first run on this connection: prepared on its own (a round trip more, once), so
      // that from now on it can travel with a BEGIN or a COMMIT as an EXECUTE.
      unit.began = true;
      if (opening) await client.query(opening);
      const result = await client.query(statement);
      if (commit) {
        await client.query('COMMIT');
        unit.committed = true;
      }
      return result;
    }
    const sql = statement.name ? executeOf(statement.name, params) : inlineParams(text, params).replace(/[\s;]+$/, '');
    const statements = [...(opening ? [opening] : []), sql, ...(commit ? ['COMMIT'] : [])];
    unit.began = true;
    const results = (await client.query(statements.join(';\n'))) as QueryResult | QueryResult[];
    if (commit) unit.committed = true;
    const list = Array.isArray(results) ? results : [results];
    return list[list.length - (commit ? 2 : 1)];
  });
}

/** PostgreSQL refuses a prepared statement whose result columns a schema change altered. */
function isStalePlan(error: unknown): boolean {
  return (error as { code?: string }).code === '0A000' && /cached plan must not change result type/.test((error as Error).message);
}

/** Whether pg has prepared the named statement on this connection (its own record of what it parsed there). */
function isParsedOn(client: PoolClient, name: string): boolean {
  const connection = (client as unknown as { connection?: { parsedStatements?: Record<string, string> } }).connection;
  return connection?.parsedStatements?.[name] !== undefined;
}

/** A prepared statement run by SQL: its parameters as quoted literals, typed by the statement as bound ones are. */
function executeOf(name: string, params: readonly unknown[]): string {
  return params.length === 0 ? `EXECUTE ${name}` : `EXECUTE ${name}(${params.map(literalOf).join(', ')})`;
}

function surface(template: SqlTemplate, run: Run): RawSqlClient {
  const build = (query: TemplateStringsArray | SqlFragment, values: unknown[]): SqlFragment =>
    Array.isArray(query) ? template(query as readonly string[], ...values) : (query as SqlFragment);
  return {
    async $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T> {
      return (await run(query, values, false)).rows as T;
    },
    async $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number> {
      return (await run(query, values, false)).rowCount ?? 0;
    },
    async $queryRaw<T = unknown>(query: TemplateStringsArray | SqlFragment, ...values: unknown[]): Promise<T> {
      const { text, values: params } = build(query, values);
      return (await run(text, params, false)).rows as T;
    },
    async $executeRaw(query: TemplateStringsArray | SqlFragment, ...values: unknown[]): Promise<number> {
      const { text, values: params } = build(query, values);
      return (await run(text, params, false)).rowCount ?? 0;
    },
    async $queryRawAndCommit<T = unknown>(query: TemplateStringsArray | SqlFragment, ...values: unknown[]): Promise<T> {
      const { text, values: params } = build(query, values);
      return (await run(text, params, true)).rows as T;
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

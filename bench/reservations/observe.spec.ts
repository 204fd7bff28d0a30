import { classifyBackend, commOf, groupDelta, poolsOf, profileOf, statementOf } from './observe';

describe('commOf', () => {
  it('reads the command name, spaces and parentheses included', () => {
    expect(commOf('2215 (postgres) S 1 2215 2215 0 -1')).toBe('postgres');
    expect(commOf('77 (node (worker) 1) R 1 77')).toBe('node (worker) 1');
  });
});

describe('groupDelta', () => {
  it('sums what each process used in between; one started meanwhile counts whole', () => {
    const before = new Map([
      [1, 100],
      [2, 50],
    ]);
    const after = new Map([
      [1, 130],
      [2, 55],
      [3, 20],
    ]);
    expect(groupDelta(before, after)).toBe(55);
  });
});

describe('what a backend of the service is doing', () => {
  const row = (state: string | null, wait_event_type: string | null = null, wait_event: string | null = null, query: string | null = null) => ({ state, wait_event_type, wait_event, query });

  it('names the statement by verb and first table of the schema', () => {
    expect(statementOf('\n  INSERT INTO reservations.monthly_usage (tenant_id, month) VALUES ($1, $2)', 'reservations')).toBe('INSERT monthly_usage');
    expect(statementOf('SELECT lower(period) FROM "reservations"."reservations" WHERE space_id = $1', 'reservations')).toBe('SELECT reservations');
    expect(statementOf('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))', 'reservations')).toBe('SELECT advisory lock');
    expect(statementOf('COMMIT', 'reservations')).toBe('COMMIT');
    expect(statementOf(null, 'reservations')).toBe('statement');
  });

  it('tells the pool, then running, waiting for a lock (and where), waiting on other things, or idle', () => {
    expect(classifyBackend({ ...row('active'), application_name: 'reservations-raw' }, 'reservations')).toBe('reservations-raw: running a statement');
    expect(classifyBackend(row('active', 'Lock', 'transactionid', 'INSERT INTO reservations.reservations (id) VALUES ($1)'), 'reservations')).toBe(
      'unnamed pool: waiting for a lock (transactionid) in INSERT reservations',
    );
    expect(classifyBackend(row('active', 'IO', 'WALSync', 'COMMIT'), 'reservations')).toBe('unnamed pool: waiting on IO:WALSync in COMMIT');
    expect(classifyBackend(row('idle in transaction', 'Client', 'ClientRead'), 'reservations')).toBe('unnamed pool: idle in transaction (waiting for the service)');
    expect(classifyBackend(row('idle', 'Client', 'ClientRead'), 'reservations')).toBe('unnamed pool: idle in the pool');
  });
});

describe('profileOf', () => {
  it('averages each activity over the samples, an absent one counting zero, highest first', () => {
    const profile = profileOf([{ 'running a statement': 2, 'idle in the pool': 8 }, { 'running a statement': 4, 'idle in the pool': 5, 'waiting for a lock (tuple) in INSERT x': 1 }], 20);
    expect(profile).toEqual({
      samples: 2,
      intervalMs: 20,
      connections: 10,
      meanByActivity: [
        { activity: 'idle in the pool', mean: 6.5 },
        { activity: 'running a statement', mean: 3 },
        { activity: 'waiting for a lock (tuple) in INSERT x', mean: 0.5 },
      ],
    });
  });
});

describe('poolsOf', () => {
  it('sums each pool’s activities: in a transaction, running, waiting for locks, other waits, waiting for the service', () => {
    const profile = profileOf(
      [
        {
          'reservations-raw: idle in transaction (waiting for the service)': 3,
          'reservations-raw: running a statement': 0.5,
          'reservations-raw: waiting for a lock (transactionid) in INSERT monthly_usage': 0.25,
          'reservations-raw: waiting on IO:WALSync in COMMIT': 0.25,
          'reservations-outbox-relay: idle in the pool': 2,
        },
      ],
      20,
    );
    expect(poolsOf(profile)).toEqual([
      { pool: 'reservations-raw', connections: 4, inTransaction: 4, running: 0.5, locks: 0.25, otherWaits: 0.25, waitingForService: 3 },
      { pool: 'reservations-outbox-relay', connections: 2, inTransaction: 0, running: 0, locks: 0, otherWaits: 0, waitingForService: 0 },
    ]);
  });
});

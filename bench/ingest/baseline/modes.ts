export type BaselineMode = 'b0' | 'b2' | 'b3';

/** The throw-away table B2 writes into (in a throw-away database). */
export const BENCH_TABLE = 'bench_uplinks';
export const BENCH_TABLE_DDL = `CREATE TABLE ${BENCH_TABLE} (
  deduplication_id uuid PRIMARY KEY,
  dev_eui text NOT NULL,
  f_cnt bigint NOT NULL,
  body jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
)`;

/** The stream B3 publishes into; namespaced, file storage, like the platform's streams. */
export const BENCH_STREAM = {
  name: 'BENCH_UPLINKS',
  subjects: ['bench.uplink.>'],
  description: 'Ingest bench baseline B3 (throw-away)',
  limits: { maxBytes: 1024 ** 3, maxAgeMs: 3_600_000 },
};
export const BENCH_SUBJECT_ROOT = 'bench.uplink';

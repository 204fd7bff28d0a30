import { defineEvent } from '../define-event';

export const RECONCILIATION_COMPLETED_V1 = 'chirpstack.reconciliation.completed.v1' as const;

export interface ReconciliationCountsV1 {
  /** Devices ChirpStack holds in the connection's applications. */
  inChirpstack: number;
  /** Devices of the registry in the connection. */
  inRegistry: number;
  /** Ours, missing in ChirpStack: created again. */
  missing: number;
  /** In ChirpStack, unknown here: reported as orphans. */
  orphans: number;
  /** Ours in both, with fields that differ. */
  drifted: number;
  /** Drifted devices set back in ChirpStack (platform-wins) or whose values went to the registry (chirpstack-wins). */
  fixed: number;
  /** Devices read one by one (Get) to compare what the list leaves out. */
  inspected: number;
  /** The LoRa gateways of the connection's ChirpStack tenant, compared the same way. */
  gateways: { inChirpstack: number; inRegistry: number; missing: number; unknown: number; drifted: number; fixed: number };
}

export interface ReconciliationCompletedV1Data {
  tenantId: string;
  runId: string;
  connectionId: string;
  trigger: 'schedule' | 'request';
  policy: 'platform-wins' | 'chirpstack-wins' | 'report-only';
  outcome: 'completed' | 'failed';
  /** Why the run stopped, when it failed. */
  error: string | null;
  counts: ReconciliationCountsV1;
  startedAt: string;
  finishedAt: string;
}

const COUNT = { type: 'integer', minimum: 0 } as const;

export const ReconciliationCompletedV1 = defineEvent<ReconciliationCompletedV1Data, typeof RECONCILIATION_COMPLETED_V1>({
  type: RECONCILIATION_COMPLETED_V1,
  aggregate: 'reconciliation run',
  description: "A reconciliation of one connection ended: what it compared, found and did, for devices and LoRa gateways. The run's findings are served by GET /api/v1/chirpstack/reconciliation-runs/{id}.",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'runId', 'connectionId', 'trigger', 'policy', 'outcome', 'error', 'counts', 'startedAt', 'finishedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      runId: { type: 'string', format: 'uuid' },
      connectionId: { type: 'string', format: 'uuid' },
      trigger: { enum: ['schedule', 'request'] },
      policy: { enum: ['platform-wins', 'chirpstack-wins', 'report-only'] },
      outcome: { enum: ['completed', 'failed'] },
      error: { type: ['string', 'null'], maxLength: 1000 },
      counts: {
        type: 'object',
        additionalProperties: false,
        required: ['inChirpstack', 'inRegistry', 'missing', 'orphans', 'drifted', 'fixed', 'inspected', 'gateways'],
        properties: {
          inChirpstack: COUNT,
          inRegistry: COUNT,
          missing: COUNT,
          orphans: COUNT,
          drifted: COUNT,
          fixed: COUNT,
          inspected: COUNT,
          gateways: {
            type: 'object',
            additionalProperties: false,
            required: ['inChirpstack', 'inRegistry', 'missing', 'unknown', 'drifted', 'fixed'],
            properties: { inChirpstack: COUNT, inRegistry: COUNT, missing: COUNT, unknown: COUNT, drifted: COUNT, fixed: COUNT },
          },
        },
      },
      startedAt: { type: 'string', format: 'date-time' },
      finishedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '8d2c4b6a-1e3f-4a5b-9c7d-0e1f2a3b4c5d',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    runId: '8d2c4b6a-1e3f-4a5b-9c7d-0e1f2a3b4c5d',
    connectionId: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c',
    trigger: 'schedule',
    policy: 'report-only',
    outcome: 'completed',
    error: null,
    counts: { inChirpstack: 412, inRegistry: 410, missing: 1, orphans: 3, drifted: 2, fixed: 0, inspected: 200, gateways: { inChirpstack: 12, inRegistry: 12, missing: 0, unknown: 0, drifted: 1, fixed: 0 } },
    startedAt: '2026-12-06T09:30:00.000Z',
    finishedAt: '2026-12-06T09:30:04.120Z',
  },
});

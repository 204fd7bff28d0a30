/** What the queue's announcements of a command's progress carry. */
export interface CommandStepV1Data {
  tenantId: string;
  commandId: string;
  displayId: string;
  devEui: string;
  /** Sends so far (the first included). */
  sends: number;
  /** ChirpStack's queue item of the latest send; null before one was queued. */
  queueItemId: string | null;
  /** The gateway the frame went through or was refused by, when known. */
  gatewayId: string | null;
  /** Why, for a failure: the gateway's TX status, ChirpStack's error, or `retries exhausted`. */
  reason: string | null;
  at: string;
}

export const COMMAND_STEP_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['tenantId', 'commandId', 'displayId', 'devEui', 'sends', 'queueItemId', 'gatewayId', 'reason', 'at'],
  properties: {
    tenantId: { type: 'string', format: 'uuid' },
    commandId: { type: 'string', format: 'uuid' },
    displayId: { type: 'string', format: 'uuid' },
    devEui: { type: 'string', pattern: '^[0-9a-f]{16}$' },
    sends: { type: 'integer', minimum: 0 },
    queueItemId: { type: ['string', 'null'], maxLength: 100 },
    gatewayId: { type: ['string', 'null'], maxLength: 100 },
    reason: { type: ['string', 'null'], maxLength: 500 },
    at: { type: 'string', format: 'date-time' },
  },
} as const;

export const COMMAND_STEP_EXAMPLE: CommandStepV1Data = {
  tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
  commandId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
  displayId: '9d2f0c4e-1a3b-4c5d-8e6f-7a8b9c0d1e2f',
  devEui: '2020203705250102',
  sends: 1,
  queueItemId: '42cb6459-a640-46ec-9623-bdff39dc4736',
  gatewayId: '0016c001f153a14c',
  reason: null,
  at: '2026-03-01T09:34:16.102Z',
};

import { defineEvent } from '../define-event';
import type { DisplayWish } from '../../downlink/display-wish';

export const COMMAND_QUEUED_V1 = 'downlink.command.queued.v1' as const;

export const COMMAND_PRIORITIES = ['override', 'state', 'refresh'] as const;
export type CommandPriority = (typeof COMMAND_PRIORITIES)[number];

export interface CommandQueuedV1Data {
  tenantId: string;
  commandId: string;
  displayId: string;
  devEui: string;
  /** What the display should show, and why it goes when it goes: an override first, then a state change, then a refresh. */
  wish: DisplayWish;
  priority: CommandPriority;
  fPort: number;
  /** The frame, base64. */
  frame: string;
  /** Time on air of the frame at the display's data rate, ms. */
  airtimeMs: number;
  /** The command this one replaced, already sent but not confirmed; null when none was. */
  supersedes: string | null;
  queuedAt: string;
}

const COLOUR = {
  type: 'object',
  additionalProperties: false,
  required: ['red', 'green', 'blue'],
  properties: { red: { type: 'integer', minimum: 0, maximum: 255 }, green: { type: 'integer', minimum: 0, maximum: 255 }, blue: { type: 'integer', minimum: 0, maximum: 255 } },
} as const;

export const DISPLAY_WISH_SCHEMA = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'colour', 'blink'],
      properties: { kind: { const: 'light' }, colour: COLOUR, blink: { enum: ['steady', 'slow', 'fast'] } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'count', 'text', 'arrow', 'colour', 'blink'],
      properties: {
        kind: { const: 'count' },
        count: { type: ['integer', 'null'], minimum: 0 },
        text: { type: 'string', maxLength: 64 },
        arrow: { enum: ['none', 'left', 'right', 'up', 'down'] },
        colour: COLOUR,
        blink: { enum: ['steady', 'slow', 'fast'] },
      },
    },
  ],
} as const;

export const CommandQueuedV1 = defineEvent<CommandQueuedV1Data, typeof COMMAND_QUEUED_V1>({
  type: COMMAND_QUEUED_V1,
  aggregate: 'display',
  description:
    "A display's newest wish went into the downlink queue as a frame. A wish that changes the frame of a command still waiting replaces it there " +
    'and announces nothing; one whose frame the sign already shows (or is already on its way) is not queued at all.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenantId', 'commandId', 'displayId', 'devEui', 'wish', 'priority', 'fPort', 'frame', 'airtimeMs', 'supersedes', 'queuedAt'],
    properties: {
      tenantId: { type: 'string', format: 'uuid' },
      commandId: { type: 'string', format: 'uuid' },
      displayId: { type: 'string', format: 'uuid' },
      devEui: { type: 'string', pattern: '^[0-9a-f]{16}$' },
      wish: DISPLAY_WISH_SCHEMA,
      priority: { enum: [...COMMAND_PRIORITIES] },
      fPort: { type: 'integer', minimum: 1, maximum: 223 },
      frame: { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: 400 },
      airtimeMs: { type: 'number', minimum: 0 },
      supersedes: { type: ['string', 'null'], format: 'uuid' },
      queuedAt: { type: 'string', format: 'date-time' },
    },
  },
  exampleAggregateId: '9d2f0c4e-1a3b-4c5d-8e6f-7a8b9c0d1e2f',
  example: {
    tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
    commandId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
    displayId: '9d2f0c4e-1a3b-4c5d-8e6f-7a8b9c0d1e2f',
    devEui: '2020203705250102',
    wish: { kind: 'light', colour: { red: 255, green: 0, blue: 0 }, blink: 'steady' },
    priority: 'state',
    fPort: 15,
    frame: '/wAA/wA=',
    airtimeMs: 1318.912,
    supersedes: null,
    queuedAt: '2026-03-01T09:34:15.940Z',
  },
});

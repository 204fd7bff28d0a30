import { defineEvent } from '../define-event';
import { COMMAND_STEP_EXAMPLE, COMMAND_STEP_SCHEMA, type CommandStepV1Data } from './command-step';

export const COMMAND_CONFIRMED_V1 = 'downlink.command.confirmed.v1' as const;

export const CommandConfirmedV1 = defineEvent<CommandStepV1Data, typeof COMMAND_CONFIRMED_V1>({
  type: COMMAND_CONFIRMED_V1,
  aggregate: 'display',
  description: "A command's frame was confirmed: a gateway transmitted it (txack), the display acknowledged it (ack), or its own status uplink echoes it. Its retries stop; the display is known to show it.",
  schema: COMMAND_STEP_SCHEMA,
  exampleAggregateId: COMMAND_STEP_EXAMPLE.displayId,
  example: COMMAND_STEP_EXAMPLE,
});

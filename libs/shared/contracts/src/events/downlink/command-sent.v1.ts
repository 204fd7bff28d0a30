import { defineEvent } from '../define-event';
import { COMMAND_STEP_EXAMPLE, COMMAND_STEP_SCHEMA, type CommandStepV1Data } from './command-step';

export const COMMAND_SENT_V1 = 'downlink.command.sent.v1' as const;

export const CommandSentV1 = defineEvent<CommandStepV1Data, typeof COMMAND_SENT_V1>({
  type: COMMAND_SENT_V1,
  aggregate: 'display',
  description: "A command's frame went into ChirpStack's queue for the display (with flushQueue and a short expiry, so no stale frame waits there). Repeated for each retry, with the count of sends.",
  schema: COMMAND_STEP_SCHEMA,
  exampleAggregateId: COMMAND_STEP_EXAMPLE.displayId,
  example: COMMAND_STEP_EXAMPLE,
});

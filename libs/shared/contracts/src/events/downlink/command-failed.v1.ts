import { defineEvent } from '../define-event';
import { COMMAND_STEP_EXAMPLE, COMMAND_STEP_SCHEMA, type CommandStepV1Data } from './command-step';

export const COMMAND_FAILED_V1 = 'downlink.command.failed.v1' as const;

export const CommandFailedV1 = defineEvent<CommandStepV1Data, typeof COMMAND_FAILED_V1>({
  type: COMMAND_FAILED_V1,
  aggregate: 'display',
  description: "A send of a command failed: a gateway refused it (its TX status, e.g. DUTY_CYCLE_OVERFLOW), ChirpStack could not take it, or its last retry went unconfirmed (reason `retries exhausted`: the frame went to the dead letters).",
  schema: COMMAND_STEP_SCHEMA,
  exampleAggregateId: COMMAND_STEP_EXAMPLE.displayId,
  example: COMMAND_STEP_EXAMPLE,
});

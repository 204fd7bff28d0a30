import { defineEvent } from '../define-event';
import { COMMAND_STEP_EXAMPLE, COMMAND_STEP_SCHEMA, type CommandStepV1Data } from './command-step';

export const DISPLAY_FAULTY_V1 = 'downlink.display.faulty.v1' as const;

export const DisplayFaultyV1 = defineEvent<CommandStepV1Data, typeof DISPLAY_FAULTY_V1>({
  type: DISPLAY_FAULTY_V1,
  aggregate: 'display',
  description: "A display did not confirm a frame through every retry: it is marked faulty (until a later frame is confirmed). The data names the frame's command.",
  schema: COMMAND_STEP_SCHEMA,
  exampleAggregateId: COMMAND_STEP_EXAMPLE.displayId,
  example: COMMAND_STEP_EXAMPLE,
});

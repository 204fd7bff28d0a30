import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { EVENT_ENVELOPE_SCHEMA, EventEnvelope } from './envelope/envelope';
import type { EventDefinition } from './events/define-event';

/** One thing wrong with a message, in the shape RPC and problem+json errors use. */
export interface EventProblem {
  field: string;
  message: string;
}

// One Ajv instance for the process: compiling is the expensive part, so every schema is
// compiled once and its validator cached by event type.
const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
addFormats(ajv);

let envelopeValidator: ValidateFunction | undefined;
const dataValidators = new Map<string, ValidateFunction>();

function problemsOf(errors: ErrorObject[] | null | undefined, prefix: string): EventProblem[] {
  return (errors ?? []).map((error) => {
    const missing = error.keyword === 'required' ? `/${String(error.params['missingProperty'])}` : '';
    const extra = error.keyword === 'additionalProperties' ? `/${String(error.params['additionalProperty'])}` : '';
    const field = `${prefix}${error.instancePath}${missing}${extra}` || '/';
    return { field, message: error.message ?? error.keyword };
  });
}

/** Checks the CloudEvents envelope itself (not `data`). Empty list = valid. */
export function validateEnvelope(value: unknown): EventProblem[] {
  envelopeValidator ??= ajv.compile(EVENT_ENVELOPE_SCHEMA);
  return envelopeValidator(value) ? [] : problemsOf(envelopeValidator.errors, '');
}

/** Checks `data` against the event's JSON Schema. Empty list = valid. */
export function validateEventData(def: EventDefinition, data: unknown): EventProblem[] {
  let validator = dataValidators.get(def.type);
  if (!validator) {
    validator = ajv.compile(def.schema);
    dataValidators.set(def.type, validator);
  }
  return validator(data) ? [] : problemsOf(validator.errors, '/data');
}

export function isEventEnvelope(value: unknown): value is EventEnvelope {
  return validateEnvelope(value).length === 0;
}

/** `/data/name: must NOT have fewer than 1 characters; …` for error messages and logs. */
export function describeProblems(problems: EventProblem[]): string {
  return problems.map((p) => `${p.field}: ${p.message}`).join('; ');
}

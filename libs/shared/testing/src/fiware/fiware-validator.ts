import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const FIWARE_SCHEMA_DIR = path.join(__dirname, 'schemas');
export const FIWARE_TYPES = ['ParkingSpot', 'OffStreetParking', 'OnStreetParking', 'ParkingGroup'] as const;

type Json = unknown;

const load = (file: string): Record<string, Json> => JSON.parse(readFileSync(path.join(FIWARE_SCHEMA_DIR, file), 'utf8'));

/**
 * OffStreetParking still writes draft-04 `"exclusiveMinimum": true`, which newer drafts
 * (and ajv) reject; it means what draft-06's `exclusiveMinimum: <minimum>` says.
 */
function modernise(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(modernise);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Record<string, Json> = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, modernise(value)]));
  if (typeof copy['exclusiveMinimum'] === 'boolean') {
    if (copy['exclusiveMinimum'] && typeof copy['minimum'] === 'number') copy['exclusiveMinimum'] = copy['minimum'];
    else delete copy['exclusiveMinimum'];
    delete copy['minimum'];
  }
  return copy;
}

/**
 * Validators for the Smart Data Models Parking JSON Schemas kept next to this file. They
 * `$ref` the common schema by its public URL, so it is registered under that `$id` and never
 * fetched. The upstream files name no usable draft and carry extra keywords, hence no strict
 * mode and no meta-schema check.
 */
export function fiwareValidators(): Record<(typeof FIWARE_TYPES)[number], ValidateFunction> {
  const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true });
  addFormats(ajv);
  const common = load('common-schema.json');
  ajv.addSchema(modernise(common) as object, common['$id'] as string);
  return Object.fromEntries(FIWARE_TYPES.map((type) => [type, ajv.compile(modernise(load(`${type}.schema.json`)) as object)])) as Record<
    (typeof FIWARE_TYPES)[number],
    ValidateFunction
  >;
}

/** Problems of one NGSI-LD entity against its model (`@context` dropped: the schemas are key-value). Empty: valid. */
export function fiwareProblems(validators: ReturnType<typeof fiwareValidators>, entity: { type: string; '@context'?: unknown; [attribute: string]: unknown }): string[] {
  const validate = validators[entity.type as (typeof FIWARE_TYPES)[number]];
  if (!validate) return [`no schema for type ${entity.type}`];
  const { '@context': _context, ...keyValues } = entity;
  return validate(keyValues) ? [] : (validate.errors ?? []).map((error) => `${entity.type} ${error.instancePath || '/'} ${error.message ?? error.keyword}`);
}

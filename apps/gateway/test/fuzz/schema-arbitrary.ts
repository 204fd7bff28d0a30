import fc from 'fast-check';

/** The part of an OpenAPI 3 document the fuzzer reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

export interface Operation {
  operationId?: string;
  parameters?: Array<{ name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: Array<Record<string, string[]>>;
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  additionalProperties?: boolean | Schema;
}

/** What no schema expects: the values a careless or hostile client sends. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', ' ', '0', '-1', 'null', 'NaN', '1e309', '../../etc/passwd', "' OR 1=1 --", '<script>', '\u0000', 'ÿ'.repeat(3), 'x'.repeat(5000)),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
);

/**
 * Values for `schema`: mostly shaped as it says (so requests get past the first check and reach
 * the services), with a share of junk at every level. `ids` are values for uuid fields: the
 * caller's own objects, another tenant's, and unknown ones.
 */
export function arbitraryFor(schema: Schema | undefined, doc: OpenApiDocument, ids: fc.Arbitrary<string>, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return junk;
  if (schema.$ref) return arbitraryFor(doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')], doc, ids, depth + 1);
  const shaped = shapedFor(schema, doc, ids, depth);
  const withNull = schema.nullable ? fc.oneof(shaped, fc.constant(null)) : shaped;
  return fc.oneof({ arbitrary: withNull, weight: 9 }, { arbitrary: junk, weight: 1 });
}

function shapedFor(schema: Schema, doc: OpenApiDocument, ids: fc.Arbitrary<string>, depth: number): fc.Arbitrary<unknown> {
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => arbitraryFor(s, doc, ids, depth + 1)));
  if (schema.allOf?.length) {
    const merged: Schema = { type: 'object', properties: {}, required: [] };
    for (const part of schema.allOf) {
      const resolved = part.$ref ? doc.components.schemas[part.$ref.replace('#/components/schemas/', '')] : part;
      Object.assign(merged.properties as object, resolved?.properties);
      merged.required?.push(...(resolved?.required ?? []));
    }
    return shapedFor(merged, doc, ids, depth);
  }
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string':
      return stringFor(schema, ids);
    case 'integer':
      return fc.oneof(fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 1_000 }), fc.integer());
    case 'number':
      return fc.oneof(fc.double({ min: schema.minimum ?? -10, max: schema.maximum ?? 1_000, noNaN: true }), fc.double());
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(arbitraryFor(schema.items, doc, ids, depth + 1), { maxLength: 4 });
    case 'object':
    case undefined: {
      const properties = schema.properties ?? {};
      const keys = Object.keys(properties);
      if (keys.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), junk, { maxKeys: 3 });
      const record = fc.record(
        Object.fromEntries(keys.map((key) => [key, arbitraryFor(properties[key], doc, ids, depth + 1)])),
        { requiredKeys: (schema.required ?? []).filter((key) => keys.includes(key)) },
      );
      // Now and then a key nobody declared.
      return fc.oneof({ arbitrary: record, weight: 8 }, { arbitrary: fc.tuple(record, fc.string({ maxLength: 8 }), junk).map(([r, k, v]) => ({ ...(r as object), [k]: v })), weight: 1 });
    }
    default:
      return junk;
  }
}

function stringFor(schema: Schema, ids: fc.Arbitrary<string>): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'uuid':
      return ids;
    case 'date-time':
      return fc.oneof(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom('2026-13-01T00:00:00Z', 'yesterday', '2026-01-01'));
    case 'date':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'email':
      return fc.oneof(fc.emailAddress(), fc.string({ maxLength: 20 }));
    default: {
      const maxLength = Math.min(schema.maxLength ?? 40, 80);
      const sized = fc.string({ minLength: Math.min(schema.minLength ?? 0, maxLength), maxLength });
      if (!schema.pattern) return fc.oneof({ arbitrary: sized, weight: 4 }, { arbitrary: fc.string({ maxLength: maxLength + 20 }), weight: 1 });
      return fc.oneof(fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= maxLength), sized);
    }
  }
}

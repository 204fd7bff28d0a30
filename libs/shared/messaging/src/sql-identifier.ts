const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** Schema names are interpolated into SQL, so only plain lower-case identifiers pass. */
export function quotedSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new TypeError(`Not a plain schema name: ${JSON.stringify(schema)}`);
  return `"${schema}"`;
}

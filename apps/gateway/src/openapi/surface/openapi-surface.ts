/**
 * What a client of the REST API depends on, as a sorted list of lines: each operation, its
 * parameters, the property names of its request body and of each response, by status and
 * media type. `$ref`s are followed, so renaming a schema class changes nothing here.
 */
type Schema = Record<string, unknown>;
type Document = { paths?: Record<string, Record<string, Schema>>; components?: { schemas?: Record<string, Schema> } };

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];
const MAX_DEPTH = 8;

function resolve(document: Document, schema: Schema | undefined): Schema | undefined {
  const ref = schema?.['$ref'];
  if (typeof ref !== 'string') return schema;
  return document.components?.schemas?.[ref.replace('#/components/schemas/', '')];
}

/** Property paths of a schema: `health.lastSeenAt`, `items[].id`; unions contribute all their branches. */
function propertyPaths(document: Document, schema: Schema | undefined, prefix: string, depth: number): string[] {
  const resolved = resolve(document, schema);
  if (!resolved || depth > MAX_DEPTH) return [];
  const paths: string[] = [];
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    for (const branch of (resolved[key] as Schema[] | undefined) ?? []) paths.push(...propertyPaths(document, branch, prefix, depth + 1));
  }
  if (resolved['items']) paths.push(...propertyPaths(document, resolved['items'] as Schema, `${prefix}[]`, depth + 1));
  for (const [name, property] of Object.entries((resolved['properties'] as Record<string, Schema> | undefined) ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    paths.push(path, ...propertyPaths(document, property, path, depth + 1));
  }
  return paths;
}

function contentLines(document: Document, head: string, content: Record<string, { schema?: Schema }> | undefined): string[] {
  return Object.entries(content ?? {}).flatMap(([mediaType, { schema }]) => [
    `${head} ${mediaType}`,
    ...propertyPaths(document, schema, '', 0).map((path) => `${head} ${mediaType} ${path}`),
  ]);
}

export function openApiSurface(openApi: object): string[] {
  const document = openApi as Document;
  const lines = new Set<string>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS.filter((m) => item[m])) {
      const operation = item[method] as Schema;
      const head = `${method.toUpperCase()} ${path}`;
      lines.add(head);
      for (const parameter of (operation['parameters'] as Schema[] | undefined) ?? []) {
        lines.add(`${head} param ${String(parameter['in'])}:${String(parameter['name'])}${parameter['required'] ? ' required' : ''}`);
      }
      const body = operation['requestBody'] as { content?: Record<string, { schema?: Schema }> } | undefined;
      contentLines(document, `${head} body`, body?.content).forEach((line) => lines.add(line));
      for (const [status, response] of Object.entries((operation['responses'] as Record<string, Schema> | undefined) ?? {})) {
        lines.add(`${head} response ${status}`);
        const content = (response as { content?: Record<string, { schema?: Schema }> }).content;
        contentLines(document, `${head} response ${status}`, content).forEach((line) => lines.add(line));
      }
    }
  }
  return [...lines].sort();
}

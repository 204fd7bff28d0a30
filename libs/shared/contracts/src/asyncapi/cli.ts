// Writes docs/asyncapi.json from the event registry: `npm run docs:asyncapi`.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderAsyncApi } from './generate-asyncapi';

const target = resolve(process.cwd(), process.argv[2] ?? 'docs/asyncapi.json');
writeFileSync(target, renderAsyncApi());
process.stdout.write(`wrote ${target}\n`);

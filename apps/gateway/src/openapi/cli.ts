// Writes the REST API's OpenAPI document, as the gateway serves it at /docs/openapi.json, to the
// path given (default dist/openapi.json): `npm run lint:openapi` lints it with Spectral.
// With --surface it rewrites surface/openapi-surface.json instead (`npm run openapi:surface`):
// the diff of that file is the API change a reviewer reads.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeGatewayApi } from './describe-gateway-api';
import { previewGatewayConfig } from './preview-config';
import { openApiSurface } from './surface/openapi-surface';

const surface = process.argv[2] === '--surface';
const target = resolve(process.cwd(), surface ? 'apps/gateway/src/openapi/surface/openapi-surface.json' : (process.argv[2] ?? 'dist/openapi.json'));
describeGatewayApi(previewGatewayConfig()).then(
  (document) => {
    writeFileSync(target, `${JSON.stringify(surface ? openApiSurface(document) : document, null, 2)}\n`);
    process.stdout.write(`wrote ${target}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`openapi: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);

// Writes the REST API's OpenAPI document, as the gateway serves it at /docs/openapi.json, to the
// path given (default dist/openapi.json): `npm run lint:openapi` lints it with Spectral.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '@parking/config';
import { gatewayConfigFrom, GatewayEnv } from '../config';
import { describeGatewayApi } from './describe-gateway-api';

const target = resolve(process.cwd(), process.argv[2] ?? 'dist/openapi.json');
// Preview mode connects to nothing; the NATS address only has to be well formed.
const config = gatewayConfigFrom(loadConfig(GatewayEnv, { ...process.env, NATS_URL: process.env.NATS_URL || 'nats://127.0.0.1:4222' }));
describeGatewayApi(config).then(
  (document) => {
    writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
    process.stdout.write(`wrote ${target}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`openapi: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);

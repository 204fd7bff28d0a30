import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describeGatewayApi } from '../describe-gateway-api';
import { previewGatewayConfig } from '../preview-config';
import { openApiSurface } from './openapi-surface';

const FIXTURE = 'apps/gateway/src/openapi/surface/openapi-surface.json';
const reviewed: string[] = JSON.parse(readFileSync(path.join(__dirname, 'openapi-surface.json'), 'utf8'));
const HOW = `If the change is meant, run npm run openapi:surface and commit ${FIXTURE}: its diff is the API change to review.`;

/** Every change of what clients depend on (operations, parameters, properties) shows up as a diff of one file. */
describe('the OpenAPI surface (operations, parameters, body and response properties)', () => {
  let now: string[];

  beforeAll(async () => {
    now = openApiSurface(await describeGatewayApi(previewGatewayConfig({})));
  }, 30_000);

  it('adds nothing the reviewed surface lacks', () => {
    const known = new Set(reviewed);
    expect({ added: now.filter((line) => !known.has(line)), HOW }).toEqual({ added: [], HOW });
  });

  it('loses nothing the reviewed surface holds', () => {
    const current = new Set(now);
    expect({ removed: reviewed.filter((line) => !current.has(line)), HOW }).toEqual({ removed: [], HOW });
  });
});

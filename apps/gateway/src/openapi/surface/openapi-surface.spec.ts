import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '@parking/config';
import { gatewayConfigFrom, GatewayEnv } from '../../config';
import { describeGatewayApi } from '../describe-gateway-api';
import { EXPLAINED_SURFACE_CHANGES } from './openapi-surface.changes';
import { openApiSurface } from './openapi-surface';

const before: string[] = JSON.parse(readFileSync(path.join(__dirname, 'openapi-surface.before.json'), 'utf8'));

describe('the OpenAPI surface (operations, parameters, body and response properties)', () => {
  let now: string[];

  beforeAll(async () => {
    const config = gatewayConfigFrom(loadConfig(GatewayEnv, { NATS_URL: 'nats://127.0.0.1:4222' }));
    now = openApiSurface(await describeGatewayApi(config));
  }, 30_000);

  it('adds nothing the fixture lacks unless the change is explained', () => {
    const known = new Set(before);
    const added = now.filter((line) => !known.has(line));
    expect(added.filter((line) => !(line in EXPLAINED_SURFACE_CHANGES.added))).toEqual([]);
  });

  it('loses nothing the fixture holds unless the change is explained', () => {
    const current = new Set(now);
    const removed = before.filter((line) => !current.has(line));
    expect(removed.filter((line) => !(line in EXPLAINED_SURFACE_CHANGES.removed))).toEqual([]);
  });

  it('explains only differences that exist', () => {
    const current = new Set(now);
    const known = new Set(before);
    expect(Object.keys(EXPLAINED_SURFACE_CHANGES.added).filter((line) => known.has(line) || !current.has(line))).toEqual([]);
    expect(Object.keys(EXPLAINED_SURFACE_CHANGES.removed).filter((line) => current.has(line) || !known.has(line))).toEqual([]);
  });
});

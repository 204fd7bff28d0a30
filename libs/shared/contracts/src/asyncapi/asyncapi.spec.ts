import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { EVENT_DEFINITIONS } from '../events/registry';
import { generateAsyncApi, renderAsyncApi } from './generate-asyncapi';

const COMMITTED = resolve(__dirname, '../../../../../docs/asyncapi.json');

describe('AsyncAPI document', () => {
  it('is a valid AsyncAPI 3.0 document without error diagnostics', async () => {
    const { diagnostics } = await new Parser().parse(JSON.stringify(generateAsyncApi()));
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`);
    expect(errors).toEqual([]);
  });

  it('has one channel per registered event with tenant and aggregate parameters', () => {
    const channels = generateAsyncApi()['channels'] as Record<string, { address: string }>;
    const addresses = Object.values(channels).map((c) => c.address);
    expect(addresses).toEqual(EVENT_DEFINITIONS.map((d) => `${d.type}.{tenantId}.{aggregateId}`));
  });

  it('matches the committed docs/asyncapi.json', () => {
    const committed = readFileSync(COMMITTED, 'utf8');
    if (committed !== renderAsyncApi()) {
      throw new Error('docs/asyncapi.json is stale: run npm run docs:asyncapi');
    }
  });
});

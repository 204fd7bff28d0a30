import { checkPayload } from '../payload-check';
import { IDENTITY_RPC } from './identity-rpc';
import { IntegrationLookupRequest } from './integrations-rpc';

const ID = '5c4b3a29-1807-4f6e-9d5c-4b3a29180716';
const problems = (plain: object) => [...new Set(checkPayload(IntegrationLookupRequest, plain).errors.map((e) => e.field))];

describe('the integration lookup (a gateway asking about a token it has not heard of)', () => {
  it('is for services only', () => {
    expect(IDENTITY_RPC.lookupIntegration).toMatchObject({ subject: 'rpc.identity.v1.webhook-integrations.lookup', access: 'service', callers: ['gateway'] });
  });

  it('takes a token prefix or an integration id, exactly one', () => {
    expect(problems({ tokenPrefix: 'whk_Abcd1234' })).toEqual([]);
    expect(problems({ integrationId: ID })).toEqual([]);
    expect(checkPayload(IntegrationLookupRequest, { integrationId: ID.toUpperCase() }).value.integrationId).toBe(ID);
    expect(problems({})).toEqual(['tokenPrefix', 'integrationId']);
    expect(problems({ tokenPrefix: 'whk_Abcd1234', integrationId: ID })).toEqual(['integrationId']);
    expect(problems({ tokenPrefix: 'whk_Abcd1234_secret' })).toEqual(['tokenPrefix']);
    expect(problems({ integrationId: 'not-a-uuid' })).toEqual(['integrationId']);
  });
});

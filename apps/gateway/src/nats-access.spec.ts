// The feeds the gateway follows are the ones its NATS user may follow (NATS_ACCESS): an ordered
// consumer with another filter would be refused by the server where authorization is on.
import { IdentityEvents, NATS_ACCESS, OccupancyEvents } from '@parking/contracts';
import { TENANT_SUSPENSIONS_FILTER, USER_REMOVALS_FILTER } from './auth/access-endings.feed';
import { API_KEY_REVOCATIONS_FILTER } from './auth/api-key-revocation.feed';
import { INTEGRATION_EVENTS_FILTER } from './webhook-integrations/integration-directory.feed';

describe("the gateway's feeds and its NATS access", () => {
  it('declares the filters of the tenant-limits, integration, API key revocation, access-ending and site-event feeds', () => {
    expect(NATS_ACCESS.gateway.follows).toEqual([
      { stream: 'IDENTITY', filter: `${IdentityEvents.TENANT_LIMITS_CHANGED_V1}.>` },
      { stream: 'IDENTITY', filter: INTEGRATION_EVENTS_FILTER },
      { stream: 'IDENTITY', filter: API_KEY_REVOCATIONS_FILTER },
      { stream: 'IDENTITY', filter: USER_REMOVALS_FILTER },
      { stream: 'IDENTITY', filter: TENANT_SUSPENSIONS_FILTER },
      // SiteEventFeed fills in the tenant: `<type>.<tenantId>.*`.
      { stream: 'OCCUPANCY', filter: `${OccupancyEvents.SPACE_STATE_CHANGED_V1}.*.*` },
    ]);
  });
});

// The consumers ingest runs are the ones its NATS user may create (NATS_ACCESS): a consumer
// missing from the declaration would be refused by the server where authorization is on.
import { NATS_ACCESS } from '@parking/contracts';
import { CHIRPSTACK_DRIFT_CONSUMER } from './devices/chirpstack-drift.consumer';
import { CHIRPSTACK_ORPHANS_CONSUMER } from './orphans/chirpstack-orphans.consumer';
import { PIPELINE_DURABLE, PIPELINE_FILTER } from './pipeline/pipeline-consumer';
import { TENANT_LIMITS_CONSUMER } from './tenant-limits/tenant-limits.consumer';

describe("ingest's consumers and its NATS access", () => {
  it('declares exactly the durable consumers the service runs', () => {
    expect([...NATS_ACCESS.ingest.durables]).toEqual([
      { stream: 'WEBHOOKS', durable: PIPELINE_DURABLE, filter: PIPELINE_FILTER },
      { stream: TENANT_LIMITS_CONSUMER.stream, durable: `ingest-${TENANT_LIMITS_CONSUMER.purpose}`, filter: TENANT_LIMITS_CONSUMER.filterSubject },
      { stream: CHIRPSTACK_ORPHANS_CONSUMER.stream, durable: `ingest-${CHIRPSTACK_ORPHANS_CONSUMER.purpose}`, filter: CHIRPSTACK_ORPHANS_CONSUMER.filterSubject },
      { stream: CHIRPSTACK_DRIFT_CONSUMER.stream, durable: `ingest-${CHIRPSTACK_DRIFT_CONSUMER.purpose}`, filter: CHIRPSTACK_DRIFT_CONSUMER.filterSubject },
    ]);
  });
});

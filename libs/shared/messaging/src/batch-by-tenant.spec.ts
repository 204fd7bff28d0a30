import { createEnvelope, OccupancyEvents, sourceFor, subjectOf, type EventDefinition, type EventType } from '@parking/contracts';
import type { BatchMessage } from './batch-consumer-runner';
import { handleByTenant, type TenantBatchItem } from './batch-by-tenant';

const TENANT_A = '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41';
const TENANT_B = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

function message<T>(def: EventDefinition<T, EventType>, tenantId: string, streamSequence: number): BatchMessage {
  const data = { ...def.example, tenantId } as T;
  const envelope = createEnvelope(def, { tenantId, aggregateId: def.exampleAggregateId ?? 'aggregate', data, source: sourceFor('occupancy') });
  return { subject: subjectOf(envelope), data: Buffer.from(JSON.stringify(envelope)), headers: {}, streamSequence, deliveryCount: 1 };
}

describe('handleByTenant', () => {
  const space = OccupancyEvents.SpaceUpsertedV1 as EventDefinition<unknown, EventType>;
  const state = OccupancyEvents.SpaceStateChangedV1 as EventDefinition<unknown, EventType>;
  const zone = OccupancyEvents.ZoneUpsertedV1 as EventDefinition<unknown, EventType>;

  it('hands each tenant its events of the accepted types in stream order, and poisons the others', async () => {
    const seen = new Map<string, Array<Pick<TenantBatchItem<unknown>, 'index' | 'type' | 'streamSequence'>>>();
    const batch = [message(state, TENANT_A, 1), message(zone, TENANT_A, 2), message(space, TENANT_B, 3), message(space, TENANT_A, 4)];
    const outcomes = await handleByTenant(
      batch,
      [space.type, state.type],
      async (tenantId, items) => void seen.set(tenantId, items.map(({ index, type, streamSequence }) => ({ index, type, streamSequence }))),
      () => undefined,
    );
    expect(seen.get(TENANT_A)).toEqual([
      { index: 0, type: state.type, streamSequence: 1 },
      { index: 3, type: space.type, streamSequence: 4 },
    ]);
    expect(seen.get(TENANT_B)).toEqual([{ index: 2, type: space.type, streamSequence: 3 }]);
    expect(outcomes.map((o) => o.kind)).toEqual(['ack', 'poison', 'ack', 'ack']);
    expect(outcomes[1]).toEqual({ kind: 'poison', reason: `unexpected event type ${zone.type} (expected ${space.type} or ${state.type})` });
  });

  it('retries the messages of a tenant whose work failed and acknowledges the rest', async () => {
    const failures: Array<[string, number]> = [];
    const outcomes = await handleByTenant(
      [message(state, TENANT_A, 1), message(state, TENANT_B, 2), message(state, TENANT_A, 3)],
      state.type,
      async (tenantId) => {
        if (tenantId === TENANT_A) throw new Error('deadlock detected');
      },
      (tenantId, count) => failures.push([tenantId, count]),
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['retry', 'ack', 'retry']);
    expect(failures).toEqual([[TENANT_A, 2]]);
  });

  it('poisons what is not an event at all', async () => {
    const junk: BatchMessage = { subject: 'occupancy.space.state_changed.v1.x.y', data: Buffer.from('{'), headers: {}, streamSequence: 1, deliveryCount: 1 };
    const [outcome] = await handleByTenant([junk], state.type, async () => undefined, () => undefined);
    expect(outcome).toMatchObject({ kind: 'poison', reason: expect.stringMatching(/^payload is not JSON/) });
  });
});

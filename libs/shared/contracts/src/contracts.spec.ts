import { createEnvelope, subjectOf } from './envelope/create-envelope';
import { defineEvent } from './events/define-event';
import { IdentityEvents } from './events/registry';
import { EVENT_DEFINITIONS, findEventDefinition } from './events/registry';
import { rpcSubject } from './rpc';
import { EVENT_DOMAINS, STREAMS, streamForDomain } from './streams';
import { validateEnvelope, validateEventData } from './validation';

const TENANT = '0b6a3c56-8f3e-4a49-9d0c-6c1e0f6a2b11';
const envelopeOf = (data: unknown = IdentityEvents.TenantCreatedV1.example) =>
  createEnvelope(IdentityEvents.TenantCreatedV1, {
    tenantId: TENANT,
    aggregateId: TENANT,
    data: data as never,
    source: '/parking/identity',
  });

describe('event definitions', () => {
  it.each(['identity.tenant.created', 'Identity.tenant.created.v1', 'identity.tenant.created.v0', 'identity.tenant-x.created.v1', 'identity.tenant.created.v1.extra'])(
    'refuses the malformed type %s',
    (type) => {
      expect(() => defineEvent({ type: type as never, aggregate: 'x', description: '', schema: {}, example: {} })).toThrow(/must look like/);
    },
  );

  it('refuses a domain that has no stream', () => {
    expect(() => defineEvent({ type: 'billing.invoice.paid.v1', aggregate: 'invoice', description: '', schema: {}, example: {} })).toThrow(/no stream/);
  });

  it('accepts snake case segments', () => {
    expect(defineEvent({ type: 'occupancy.space.state_changed.v12', aggregate: 'space', description: '', schema: {}, example: {} }).domain).toBe('occupancy');
  });

  it.each(EVENT_DEFINITIONS.map((d) => [d.type, d]))('documents %s with an example that its schema accepts', (_type, def) => {
    expect(validateEventData(def, def.example)).toEqual([]);
  });

  it('finds definitions by type', () => {
    expect(findEventDefinition('identity.tenant.suspended.v1')).toBe(IdentityEvents.TenantSuspendedV1);
    expect(findEventDefinition('identity.tenant.vanished.v1')).toBeUndefined();
  });
});

describe('envelopes', () => {
  it('builds a CloudEvents 1.0 envelope that validates', () => {
    const envelope = envelopeOf();
    expect(envelope).toMatchObject({ specversion: '1.0', type: 'identity.tenant.created.v1', subject: TENANT, tenantid: TENANT });
    expect(validateEnvelope(envelope)).toEqual([]);
  });

  it('publishes on <type>.<tenantId>.<aggregateId>', () => {
    expect(subjectOf(envelopeOf())).toBe(`identity.tenant.created.v1.${TENANT}.${TENANT}`);
  });

  it.each(['a.b', 'a*', 'a>', 'a b', ''])('refuses the aggregate id %j, which would break the subject', (aggregateId) => {
    expect(() =>
      createEnvelope(IdentityEvents.TenantCreatedV1, { tenantId: TENANT, aggregateId, data: IdentityEvents.TenantCreatedV1.example, source: '/parking/identity' }),
    ).toThrow(/NATS subject token/);
  });

  it('lists every problem of a bad envelope', () => {
    const problems = validateEnvelope({ ...envelopeOf(), id: 'nope', specversion: '0.3', extra: 1 });
    expect(problems.map((p) => p.field).sort()).toEqual(['/extra', '/id', '/specversion']);
  });

  it('lists every problem of bad data with its field', () => {
    const problems = validateEventData(IdentityEvents.TenantCreatedV1, { tenantId: 'x', name: '' });
    expect(problems.map((p) => p.field).sort()).toEqual(['/data/createdAt', '/data/name', '/data/plan', '/data/slug', '/data/tenantId']);
  });
});

describe('streams and RPC subjects', () => {
  it('has one stream per domain plus raw webhooks and the dead letters', () => {
    expect(Object.values(STREAMS).map((s) => s.subjects[0])).toEqual([
      'identity.>', 'ingest.>', 'occupancy.>', 'reservations.>', 'downlink.>', 'chirpstack.>', 'webhook.>', 'deadletter.>',
    ]);
    // Raw webhooks are not domain events: no event type may land in their stream.
    expect(EVENT_DOMAINS).not.toContain('webhook');
    expect(streamForDomain('chirpstack').name).toBe('CHIRPSTACK');
  });

  it('builds rpc.<service>.v<N>.<noun>.<verb>', () => {
    expect(rpcSubject('reservations', 1, 'reservation', 'create')).toBe('rpc.reservations.v1.reservation.create');
    expect(rpcSubject('identity', 'v2', 'tenant', 'get')).toBe('rpc.identity.v2.tenant.get');
    expect(() => rpcSubject('identity', 1, 'ten.ant', 'get')).toThrow();
    expect(() => rpcSubject('identity', 0, 'tenant', 'get')).toThrow();
  });
});

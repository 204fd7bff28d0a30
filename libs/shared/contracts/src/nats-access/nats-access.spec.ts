import * as contracts from '../index';
import { STREAMS, type StreamName } from '../streams';
import { generateNatsPasswords, natsPasswordsFromEnv, natsPasswordVariable } from './nats-credentials';
import { natsInboxPrefix, natsPermissionsOf } from './nats-permissions';
import { NATS_ACCESS, NATS_SERVICE_NAMES } from './platform-access';
import { renderNatsAuthorization } from './render-authorization';
import type { NatsServiceAccess } from './service-access';

const accesses = Object.entries(NATS_ACCESS) as Array<[string, NatsServiceAccess]>;

/** Every RPC contract the contracts library exports, found through its groups (`IDENTITY_RPC`, …). */
function allRpcSubjects(): string[] {
  return Object.values(contracts)
    .filter((value): value is Record<string, { subject: string }> => value !== null && typeof value === 'object' && !Array.isArray(value))
    .flatMap((group) => Object.values(group))
    .filter((item): item is { subject: string; request: unknown } => typeof item === 'object' && item !== null && typeof (item as { subject?: unknown }).subject === 'string' && 'request' in item)
    .map((contract) => contract.subject);
}

const consumedBy = (access: NatsServiceAccess): StreamName[] => [...access.durables, ...access.follows].map((c) => c.stream).concat(access.reads);

describe('NATS_ACCESS, the one declaration of what each service does on NATS', () => {
  it('has every RPC contract answered by a service that serves its root and called by someone', () => {
    const subjects = allRpcSubjects();
    expect(subjects.length).toBeGreaterThan(50);
    const called = new Set(accesses.flatMap(([, access]) => access.calls.flatMap((group) => Object.values(group).map((c) => c.subject))));
    for (const subject of subjects) {
      const service = subject.split('.')[1];
      expect({ subject, serves: NATS_ACCESS[service as keyof typeof NATS_ACCESS]?.servesRpc }).toEqual({ subject, serves: true });
      expect({ subject, called: called.has(subject) }).toEqual({ subject, called: true });
    }
  });

  it('gives every stream but the dead letters exactly one owner', () => {
    for (const name of Object.keys(STREAMS) as StreamName[]) {
      const owners = accesses.filter(([, access]) => access.owns.includes(name)).map(([service]) => service);
      expect({ name, owners: owners.length }).toEqual({ name, owners: name === 'DEADLETTER' ? 0 : 1 });
    }
  });

  it.each(accesses)('lets %s configure no stream it reads, so it cannot point one at subjects it may not subscribe to', (_service, access) => {
    expect(consumedBy(access).filter((stream) => access.owns.includes(stream))).toEqual([]);
  });

  it.each(accesses)('has %s create the streams of its durable consumers when missing, and publish its dead letters', (service, access) => {
    for (const durable of access.durables) {
      expect(access.owns.includes(durable.stream) || access.ensures.includes(durable.stream)).toBe(true);
      expect(durable.durable.startsWith(`${service}-`)).toBe(true);
    }
    if (access.durables.length > 0) {
      expect(access.ensures).toContain('DEADLETTER');
      expect(access.publishesInto).toContainEqual({ stream: 'DEADLETTER', subject: `deadletter.${service}.>` });
    }
  });
});

describe('natsPermissionsOf', () => {
  const ns = 'tns';

  it.each(NATS_SERVICE_NAMES)('never grants %s a wildcard over everything, deletion, or another inbox', (service) => {
    const { publish, subscribe } = natsPermissionsOf(service, ns);
    for (const subject of [...publish, ...subscribe]) {
      expect(subject).not.toMatch(/^(>|\*\.>|_INBOX\.>|\$JS\.API\.>|\$JS\.>|tns\.>)$/);
      expect(subject).not.toMatch(/\.(DELETE|PURGE)\./);
    }
    expect(subscribe.filter((s) => s.startsWith('_INBOX'))).toEqual([`${natsInboxPrefix(service, ns)}.>`]);
    expect(subscribe.filter((s) => !s.startsWith('_INBOX'))).toEqual(NATS_ACCESS[service].servesRpc ? [`tns.rpc.${service}.>`] : []);
  });

  it('lets occupancy create its own consumers on INGEST, with their filters, and only create the stream', () => {
    const { publish, allowResponses } = natsPermissionsOf('occupancy', ns);
    expect(publish).toEqual(
      expect.arrayContaining([
        '$JS.API.CONSUMER.CREATE.TNS_INGEST.occupancy-uplinks.tns.ingest.uplink.received.v1.>',
        '$JS.API.CONSUMER.MSG.NEXT.TNS_INGEST.occupancy-uplinks',
        '$JS.ACK.TNS_INGEST.occupancy-uplinks.>',
        '$JS.API.STREAM.CREATE.TNS_INGEST',
        'tns.occupancy.>',
        'tns.deadletter.occupancy.>',
      ]),
    );
    expect(publish).not.toContain('$JS.API.STREAM.UPDATE.TNS_INGEST');
    expect(publish.filter((s) => s.startsWith('tns.identity.') || s.startsWith('tns.ingest.') || s.startsWith('tns.rpc.'))).toEqual([]);
    expect(allowResponses).toBe(true);
  });

  it("gives the gateway exactly the contracts' subjects it calls and ordered consumers limited to their filters", () => {
    const { publish, allowResponses } = natsPermissionsOf('gateway', ns);
    expect(publish).toContain(`tns.${contracts.IDENTITY_RPC.login.subject}`);
    expect(publish).not.toContain('tns.rpc.identity.>');
    expect(publish).toContain('$JS.API.CONSUMER.CREATE.TNS_OCCUPANCY.*.tns.occupancy.space.state_changed.v1.*.*');
    expect(publish.filter((s) => s.startsWith('$JS.ACK.'))).toEqual([]);
    expect(allowResponses).toBe(false);
  });

  it('names inboxes and streams without a namespace in production', () => {
    expect(natsInboxPrefix('chirpstack-sync')).toBe('_INBOX_chirpstack-sync');
    expect(natsPermissionsOf('identity').publish).toEqual(['$JS.API.INFO', 'identity.>', '$JS.API.STREAM.INFO.IDENTITY', '$JS.API.STREAM.CREATE.IDENTITY', '$JS.API.STREAM.UPDATE.IDENTITY']);
  });
});

describe('renderNatsAuthorization', () => {
  it('writes one user per service with its quoted password and permissions', () => {
    const passwords = generateNatsPasswords();
    const text = renderNatsAuthorization({ namespace: 'tns', passwords });
    for (const service of NATS_SERVICE_NAMES) {
      expect(text).toContain(`user: "${service}"\n      password: "${passwords[service]}"`);
    }
    expect(text).toContain('"$JS.API.INFO"');
    expect(text).toMatch(/^authorization \{\n {2}users = \[/m);
  });

  it('refers to the environment when told to, so a committed file holds no secret', () => {
    const text = renderNatsAuthorization({ passwords: 'environment' });
    expect(text).toContain('password: $NATS_PASSWORD_CHIRPSTACK_SYNC\n');
    expect(natsPasswordVariable('chirpstack-sync')).toBe('NATS_PASSWORD_CHIRPSTACK_SYNC');
  });

  it('refuses a password the server would misread', () => {
    const passwords = { ...generateNatsPasswords(), identity: '9e5' };
    expect(() => renderNatsAuthorization({ passwords })).toThrow(/password of identity/);
    expect(() => natsPasswordsFromEnv({})).toThrow(/NATS_PASSWORD_GATEWAY, NATS_PASSWORD_IDENTITY/);
  });
});

import { status } from '@grpc/grpc-js';
import { FakeChirpStack } from '@parking/chirpstack-fake';
import { inspect } from 'node:util';
import { ChirpStackCallError } from './chirpstack-errors';
import { ChirpStackClient, type ChirpStackCallObserver, type ChirpStackCallPolicy } from './chirpstack-client';
import type { ChirpStackDevice } from '@parking/chirpstack-records';

const TOKEN = 'cs-token-4f1c9e';
// Short waits so a test of retries and the breaker takes milliseconds; a deadline with room for a loaded machine.
const POLICY: ChirpStackCallPolicy = { deadlineMs: 1_000, attempts: 3, firstDelayMs: 5, maxDelayMs: 20, breakAfter: 3, halfOpenAfterMs: 150 };

function recording(): ChirpStackCallObserver & { attempts: Array<[string, string]>; states: string[] } {
  const attempts: Array<[string, string]> = [];
  const states: string[] = [];
  return { attempts, states, attempted: (method, _seconds, code) => attempts.push([method, code]), circuit: (state) => states.push(state) };
}

describe('ChirpStackClient against the fake ChirpStack', () => {
  let fake: FakeChirpStack;
  let applicationId: string;
  let profileId: string;
  const clients: ChirpStackClient[] = [];
  const clientOf = (options: { token?: string; policy?: ChirpStackCallPolicy; observer?: ChirpStackCallObserver } = {}) => {
    const client = new ChirpStackClient({ id: 'conn-1', apiUrl: fake.url, apiToken: options.token ?? TOKEN }, options.policy ?? POLICY, options.observer);
    clients.push(client);
    return client;
  };
  const device = (devEui: string): ChirpStackDevice => ({
    devEui,
    name: `bay ${devEui.slice(-4)}`,
    description: 'level 2, north row',
    applicationId,
    deviceProfileId: profileId,
    isDisabled: false,
    skipFcntCheck: false,
    joinEui: '70b3d57ed0000001',
    tags: { site: 'garage-7', level: '2' },
    variables: { platformDeviceId: 'c0ffee00-0000-4000-8000-000000000001' },
  });

  beforeEach(async () => {
    fake = await FakeChirpStack.start({ tokens: [TOKEN] });
    applicationId = fake.addApplication({ tenantId: 'cs-tenant', name: 'parking' });
    profileId = fake.addDeviceProfile({ tenantId: 'cs-tenant', name: 'sensor EU868' });
  });
  afterEach(async () => {
    clients.splice(0).forEach((client) => client.close());
    await fake.stop();
  });

  it('creates, reads, updates, lists and deletes a device with every mapped field', async () => {
    const client = clientOf();
    await client.createDevice(device('0011223344556677'));
    expect(fake.device('0011223344556677')).toMatchObject({ name: 'bay 6677', applicationId, deviceProfileId: profileId, tags: { site: 'garage-7', level: '2' }, variables: { platformDeviceId: 'c0ffee00-0000-4000-8000-000000000001' }, joinEui: '70b3d57ed0000001' });

    expect(await client.getDevice('0011223344556677')).toMatchObject({ ...device('0011223344556677'), lastSeenAt: null });
    await client.updateDevice({ ...device('0011223344556677'), name: 'bay 17', isDisabled: true });
    expect(fake.device('0011223344556677')).toMatchObject({ name: 'bay 17', isDisabled: true });

    const page = await client.listDevices(applicationId, { limit: 10, offset: 0 });
    expect(page).toEqual({ total: 1, devices: [expect.objectContaining({ devEui: '0011223344556677', name: 'bay 17', deviceProfileId: profileId })] });

    await client.deleteDevice('0011223344556677');
    expect(fake.devices()).toEqual([]);
    await expect(client.getDevice('0011223344556677')).rejects.toMatchObject({ failure: 'not_found', grpcStatus: status.NOT_FOUND });
  });

  it('sends the bearer token on every call; a refused token is not retried', async () => {
    const observer = recording();
    await expect(clientOf({ token: 'wrong', observer }).getApplication(applicationId)).rejects.toMatchObject({ failure: 'refused' });
    expect(observer.attempts).toEqual([['ApplicationService.Get', 'UNAUTHENTICATED']]);
    expect(await clientOf().getApplication(applicationId)).toEqual({ id: applicationId, name: 'parking', tenantId: 'cs-tenant' });
  });

  it('retries a call that met UNAVAILABLE, with backoff, and succeeds', async () => {
    const observer = recording();
    fake.fail('DeviceService.Create', { code: status.UNAVAILABLE, times: 2 });
    await clientOf({ observer }).createDevice(device('0011223344556678'));
    expect(observer.attempts).toEqual([
      ['DeviceService.Create', 'UNAVAILABLE'],
      ['DeviceService.Create', 'UNAVAILABLE'],
      ['DeviceService.Create', 'OK'],
    ]);
    expect(fake.devices().map((d) => d.devEui)).toEqual(['0011223344556678']);
  });

  it('puts a deadline on each attempt; a create repeated after a deadline never makes a second device', async () => {
    fake.slow('DeviceService.Create', 1_500);
    const error = await clientOf().createDevice(device('0011223344556679')).catch((e: unknown) => e);
    await fake.idle();
    // The slow first attempt created it; the repeats met it (or their own deadline).
    expect(error).toBeInstanceOf(ChirpStackCallError);
    expect(['timeout', 'already_exists']).toContain((error as ChirpStackCallError).failure);
    expect(fake.devices().map((d) => d.devEui)).toEqual(['0011223344556679']);
  });

  it('opens the circuit after repeated failures, pauses calls without reaching ChirpStack, and closes again once a call succeeds', async () => {
    const observer = recording();
    const client = clientOf({ observer });
    fake.outage(true);
    await expect(client.getDevice('0011223344556677')).rejects.toMatchObject({ failure: 'unavailable' });
    const reached = fake.calls.length;
    expect(reached).toBe(3);
    await expect(client.getDevice('0011223344556677')).rejects.toMatchObject({ failure: 'circuit_open' });
    expect(fake.calls.length).toBe(reached);
    expect(observer.states).toEqual(['open']);

    fake.outage(false);
    await new Promise((resolve) => setTimeout(resolve, POLICY.halfOpenAfterMs + 20));
    await client.createDevice(device('001122334455667a'));
    expect(observer.states).toEqual(['open', 'half_open', 'closed']);
  });

  it('enqueues the exact bytes and fPort once, never repeating a frame after a failure, and answers the queue item id', async () => {
    const client = clientOf();
    await client.createDevice(device('001122334455667b'));
    const id = await client.enqueue({ devEui: '001122334455667b', fPort: 15, data: Buffer.from('0000ffff00', 'hex'), confirmed: true });
    expect(fake.queue('001122334455667b')).toEqual([expect.objectContaining({ id, fPort: 15, confirmed: true, data: Buffer.from('0000ffff00', 'hex') })]);

    fake.fail('DeviceService.Enqueue', { code: status.UNAVAILABLE, times: 1 });
    await expect(client.enqueue({ devEui: '001122334455667b', fPort: 15, data: Buffer.from('ff0000ff00', 'hex'), confirmed: false })).rejects.toMatchObject({ failure: 'unavailable' });
    expect(fake.callsOf('DeviceService.Enqueue')).toHaveLength(2);
    expect(fake.queue('001122334455667b')).toHaveLength(1);

    await client.flushQueue('001122334455667b');
    expect(fake.queue('001122334455667b')).toEqual([]);
  });

  it('sends OTAA keys with CreateKeys', async () => {
    const client = clientOf();
    await client.createDevice(device('001122334455667c'));
    await client.createKeys('001122334455667c', { nwkKey: '00112233445566778899aabbccddeeff', appKey: '' });
    expect(fake.keys('001122334455667c')).toMatchObject({ nwkKey: '00112233445566778899aabbccddeeff' });
  });

  it('provisions a gateway and reads its state by ChirpStack rule (offline after twice its stats interval)', async () => {
    const client = clientOf();
    await client.createGateway({ gatewayId: '0016c001f153a14c', name: 'roof', description: 'north mast', tenantId: 'cs-tenant', tags: { site: 'garage-7' }, statsInterval: 30 });
    const now = new Date();
    expect(await client.getGateway('0016c001f153a14c', now)).toMatchObject({ name: 'roof', state: 'never_seen', lastSeenAt: null });
    fake.setGatewayLastSeen('0016c001f153a14c', new Date(now.getTime() - 50_000));
    expect((await client.getGateway('0016c001f153a14c', now)).state).toBe('online');
    fake.setGatewayLastSeen('0016c001f153a14c', new Date(now.getTime() - 61_000));
    expect((await client.getGateway('0016c001f153a14c', now)).state).toBe('offline');
    expect(await client.listGateways('cs-tenant', { limit: 10, offset: 0 })).toEqual({ total: 1, gateways: [expect.objectContaining({ gatewayId: '0016c001f153a14c', state: 'offline' })] });
  });

  it('keeps the token out of its errors and out of what inspecting it shows', async () => {
    const client = clientOf();
    fake.revokeToken(TOKEN);
    const error = await client.getApplication(applicationId).catch((e: unknown) => e);
    expect(inspect(error)).not.toContain(TOKEN);
    expect(inspect(client, { depth: 5, showHidden: true })).not.toContain(TOKEN);
  });
});

/**
 * A site's FIWARE (NGSI-LD) and DATEX II views through the compiled gateway, identity and
 * occupancy processes; the FIWARE entities are validated against the Smart Data Models schemas.
 */
import { expectEventually, fiwareProblems, fiwareValidators } from '@parking/testing';
import { startApiStack, type ApiAnswer, type ApiStack, type SignedIn } from '../../test/api-stack';

function expectStatus(answer: ApiAnswer, status: number): ApiAnswer['body'] {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

describe('FIWARE and DATEX II views of a site through the gateway', () => {
  let api: ApiStack;
  let owner: SignedIn;
  let viewer: SignedIn;
  const as = (who: SignedIn, body?: unknown) => ({ accessToken: who.accessToken, body });

  beforeAll(async () => {
    api = await startApiStack({ prefix: 'gateway-interop', services: ['identity', 'gateway', 'occupancy'] });
    owner = await api.register('interop');
    await api.upgrade(owner.tenantId);
    await expectEventually(
      async () => expect(await api.sql('SELECT sites, spaces FROM occupancy.tenant_limits WHERE tenant_id = $1', [owner.tenantId])).toEqual([{ sites: null, spaces: null }]),
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    viewer = await api.inviteAndAccept(owner, 'viewer');
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('shows a site, its zones and spaces as valid Smart Data Models entities and as DATEX II publications', async () => {
    const site = expectStatus(
      await api.call('POST', '/api/v1/sites', as(owner, { name: 'Interop car park', category: 'off_street', address: 'Alexanderplatz 1', location: { latitude: 52.5219, longitude: 13.4132 } })),
      201,
    );
    const level = expectStatus(await api.call('POST', `/api/v1/sites/${site.id}/zones`, as(owner, { name: 'Level 1', kind: 'level' })), 201);
    const inLevel = expectStatus(await api.call('POST', '/api/v1/spaces', as(owner, { siteId: site.id, code: 'L1-1', zoneId: level.id, location: { latitude: 52.522, longitude: 13.4133 } })), 201);
    const outside = expectStatus(await api.call('POST', '/api/v1/spaces', as(owner, { siteId: site.id, code: 'G-1', category: 'on_street' })), 201);
    expectStatus(await api.call('PUT', `/api/v1/spaces/${outside.id}/maintenance`, as(owner, { reason: 'Resurfacing' })), 200);

    const fiware = await api.call('GET', `/api/v1/sites/${site.id}/fiware`, as(viewer));
    expect(fiware.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    const entities = expectStatus(fiware, 200) as Array<{ id: string; type: string; '@context': unknown; [attribute: string]: unknown }>;
    const validators = fiwareValidators();
    expect(entities.flatMap((entity) => fiwareProblems(validators, entity))).toEqual([]);
    const byId = new Map(entities.map((entity) => [entity.id, entity]));
    const siteUrn = `urn:ngsi-ld:OffStreetParking:${site.id}`;
    expect(byId.get(siteUrn)).toMatchObject({ type: 'OffStreetParking', name: 'Interop car park', availableSpotNumber: 0, occupiedSpotNumber: 0, totalSpotNumber: 2, address: { streetAddress: 'Alexanderplatz 1' } });
    expect(byId.get(`urn:ngsi-ld:ParkingGroup:${level.id}`)).toMatchObject({ type: 'ParkingGroup', refParkingSite: siteUrn, totalSpotNumber: 1, category: ['offStreet', 'completeFloor'] });
    expect(byId.get(`urn:ngsi-ld:ParkingSpot:${inLevel.id}`)).toMatchObject({
      status: 'unknown',
      refParkingSite: siteUrn,
      refParkingGroup: `urn:ngsi-ld:ParkingGroup:${level.id}`,
      location: { type: 'Point', coordinates: [13.4133, 52.522] },
    });
    expect(byId.get(`urn:ngsi-ld:ParkingSpot:${outside.id}`)).toMatchObject({ status: 'closed', category: ['onStreet'], location: { type: 'Point', coordinates: [13.4132, 52.5219] } });
    expect(entities).toHaveLength(4);

    const datex2 = expectStatus(await api.call('GET', `/api/v1/sites/${site.id}/datex2`, as(viewer)), 200);
    expect(datex2.modelBaseVersion).toBe('3');
    const [record] = datex2.parkingTablePublication.parkingTable[0].parkingRecord;
    expect(record).toMatchObject({ id: site.id, urbanParkingSiteType: 'offStreetParking', parkingNumberOfSpaces: 2, parkingName: { values: [{ lang: 'en', value: 'Interop car park' }] } });
    expect(datex2.parkingStatusPublication).toMatchObject({
      lang: 'en',
      publicationTime: expect.any(String),
      publicationCreator: { nationalIdentifier: owner.tenantId },
      parkingRecordStatus: [
        { recordType: 'ParkingSiteStatus', parkingRecordReference: { id: site.id }, parkingSiteStatus: 'unknown', parkingOccupancy: { parkingNumberOfVacantSpaces: 0, parkingNumberOfOccupiedSpaces: 0 } },
        { recordType: 'ParkingSpaceStatus', parkingRecordReference: { id: inLevel.id }, parkingSpaceStatus: 'unknown' },
        { recordType: 'ParkingSpaceStatus', parkingRecordReference: { id: outside.id }, parkingSpaceStatus: 'closed' },
      ],
    });
  });

  it('needs credentials and documents both routes', async () => {
    expect((await api.call('GET', `/api/v1/sites/${owner.tenantId}/fiware`)).status).toBe(401);
    const document = expectStatus(await api.call('GET', '/docs/openapi.json'), 200);
    expect(Object.keys(document.paths['/api/v1/sites/{id}/fiware'])).toEqual(['get']);
    expect(Object.keys(document.paths['/api/v1/sites/{id}/datex2'])).toEqual(['get']);
    expect(Object.keys(document.paths['/api/v1/sites/{id}/fiware'].get.responses['200'].content)).toEqual(['application/ld+json']);
  });
});

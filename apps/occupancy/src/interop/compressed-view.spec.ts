import { gunzipSync } from 'node:zlib';
import { SPACE_STATES } from '@parking/contracts';
import { compressView } from './compressed-view';
import { toDatex2 } from './datex2-mapper';
import { toFiware } from './fiware-mapper';
import { inventory, space } from './inventory.fixture';

/** NATS's default limit on one message. */
const NATS_MAX_PAYLOAD = 1024 * 1024;

describe('views as they travel over NATS', () => {
  it('come back unchanged after gzip and base64', async () => {
    const view = toFiware(inventory());
    const compressed = await compressView(view);
    expect(compressed.contentEncoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(Buffer.from(compressed.data, 'base64')).toString('utf8'))).toEqual(view);
  });

  it('fit one NATS message for a site of 10,000 spaces', async () => {
    const big = inventory();
    big.spaces = Array.from({ length: 10_000 }, (_, index) =>
      space(0, SPACE_STATES[index % SPACE_STATES.length], {
        id: `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`,
        code: `S-${index}`,
        location: { latitude: 52.5 + index / 1e6, longitude: 13.4 + index / 1e6 },
      }),
    );
    const fiware = toFiware(big);
    const datex2 = toDatex2(big, '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', new Date());
    expect(JSON.stringify(fiware).length).toBeGreaterThan(NATS_MAX_PAYLOAD);
    for (const view of [fiware, datex2]) {
      const compressed = await compressView(view);
      expect(JSON.stringify(compressed).length).toBeLessThan(NATS_MAX_PAYLOAD / 2);
    }
  });
});

import { parseStreamLimits, STREAMS, streamLimitsOf, type StreamName } from './streams';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const DAY_MS = 86_400_000;

describe('stream limits', () => {
  it('gives every stream a max_bytes and a max_age', () => {
    for (const name of Object.keys(STREAMS) as StreamName[]) {
      const { maxBytes, maxAgeMs } = streamLimitsOf(STREAMS[name]);
      expect([name, maxBytes > 0, maxAgeMs > 0]).toEqual([name, true, true]);
    }
  });

  it('keeps the defaults small enough for one modest NATS server (JetStream reserves max_bytes of every stream)', () => {
    const total = Object.values(STREAMS).reduce((sum, spec) => sum + streamLimitsOf(spec).maxBytes, 0);
    expect(total).toBeLessThanOrEqual(5 * GiB);
  });

  it('reads NATS_STREAM_LIMITS: named streams, `*` for the others, sizes and ages with units', () => {
    const parsed = parseStreamLimits(' WEBHOOKS=10GiB/3d, *=64MiB/12h ,INGEST=1048576/3600s');
    expect(parsed).toEqual({
      ok: true,
      limits: { WEBHOOKS: { maxBytes: 10 * GiB, maxAgeMs: 3 * DAY_MS }, '*': { maxBytes: 64 * MiB, maxAgeMs: 12 * 3_600_000 }, INGEST: { maxBytes: MiB, maxAgeMs: 3_600_000 } },
    });
    if (!parsed.ok) return;
    expect(streamLimitsOf(STREAMS.WEBHOOKS, parsed.limits)).toEqual({ maxBytes: 10 * GiB, maxAgeMs: 3 * DAY_MS });
    expect(streamLimitsOf(STREAMS.OCCUPANCY, parsed.limits)).toEqual({ maxBytes: 64 * MiB, maxAgeMs: 12 * 3_600_000 });
    expect(parseStreamLimits('')).toEqual({ ok: true, limits: {} });
  });

  it.each([
    ['an unknown stream', 'PARKING=1GiB/1d', /PARKING/],
    ['a size without a number', 'WEBHOOKS=GiB/1d', /WEBHOOKS/],
    ['no age', 'WEBHOOKS=1GiB', /WEBHOOKS/],
    ['a zero size', 'WEBHOOKS=0/1d', /WEBHOOKS/],
    ['a stream named twice', 'WEBHOOKS=1GiB/1d,WEBHOOKS=2GiB/1d', /twice/],
  ])('refuses %s', (_what, text, reason) => {
    const parsed = parseStreamLimits(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

import { latencyHistogram, recordMs, summarise } from './latency';

describe('latency summary', () => {
  it('reports percentiles in ms to three significant digits', () => {
    const histogram = latencyHistogram();
    for (let i = 1; i <= 1000; i++) recordMs(histogram, i / 10); // 0.1 … 100 ms
    const summary = summarise(histogram);
    expect(summary.count).toBe(1000);
    expect(summary.p50).toBeCloseTo(50, 0);
    expect(summary.p99).toBeCloseTo(99, 0);
    expect(summary.p999).toBeCloseTo(99.9, 0);
    expect(summary.max).toBeCloseTo(100, 0);
  });

  it('keeps a sub-microsecond latency above zero and grows for long stalls', () => {
    const histogram = latencyHistogram();
    recordMs(histogram, 0);
    recordMs(histogram, 60_000);
    expect(summarise(histogram).max).toBeCloseTo(60_000, -2);
    expect(histogram.minNonZeroValue).toBe(1);
  });
});

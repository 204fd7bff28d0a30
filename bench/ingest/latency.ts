import * as hdr from 'hdr-histogram-js';

export type LatencyHistogram = hdr.Histogram;

/** Latencies in microseconds, 3 significant digits, growing as needed. */
export function latencyHistogram(): LatencyHistogram {
  return hdr.build({ numberOfSignificantValueDigits: 3, autoResize: true, useWebAssembly: false });
}

export function recordMs(histogram: LatencyHistogram, ms: number): void {
  histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/** Percentiles in milliseconds. */
export function summarise(histogram: LatencyHistogram): LatencySummary {
  const at = (p: number) => histogram.getValueAtPercentile(p) / 1000;
  return { count: histogram.totalCount, p50: at(50), p99: at(99), p999: at(99.9), max: histogram.maxValue / 1000 };
}

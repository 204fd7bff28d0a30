/**
 * Whether a series sampled over a soak keeps growing: the mean of its last third against the
 * mean of its middle third (the first third is the warm-up: caches and JIT filling, pools
 * opening). Growing means more than `relative` and more than `absolute` above the middle
 * third, and ending at least as high as the middle third ever was: a series that levels off or
 * saws up and down does not count.
 */
export interface Trend {
  growing: boolean;
  middle: number;
  last: number;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);

export function trendOf(series: readonly number[], limits: { relative: number; absolute: number }): Trend {
  if (series.length < 3) return { growing: false, middle: series[0] ?? 0, last: series[series.length - 1] ?? 0 };
  const third = Math.floor(series.length / 3);
  const middleThird = series.slice(third, series.length - third);
  const lastThird = series.slice(series.length - third);
  const middle = mean(middleThird);
  const last = mean(lastThird);
  const end = series[series.length - 1];
  const growing = last > middle * (1 + limits.relative) && last - middle > limits.absolute && end >= Math.max(...middleThird);
  return { growing, middle, last };
}

/** Resident memory: more than 5 % and 10 MB up from the middle of the run to its end. */
export const memoryTrend = (mb: readonly number[]) => trendOf(mb, { relative: 0.05, absolute: 10 });

/** A queue: more than `perSecond` × 5 messages up, i.e. it gained more than five seconds of load (less is noise). */
export const backlogTrend = (messages: readonly number[], perSecond: number) => trendOf(messages, { relative: 0, absolute: perSecond * 5 });

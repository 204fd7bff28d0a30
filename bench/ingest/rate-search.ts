/** What one short open-loop step at a fixed rate showed. */
export interface StepVerdict {
  rate: number;
  passed: boolean;
  /** Why it failed, or a one-line summary when it passed. */
  note: string;
}

export interface RateSearchOptions {
  startRate: number;
  /** Never probe above this (the load generator's own ceiling on a small machine). */
  maxRate: number;
  /** Give up halving below this. */
  minRate: number;
  /** Most bisection steps after the bracket is found. */
  bisectSteps: number;
  /** Stop bisecting once the bracket is narrower than this share of its upper end. */
  precision: number;
  /** Probe a failing rate once more before believing it (a stall of a noisy machine fails one step). */
  confirmFailures: boolean;
}

export interface RateSearchResult {
  /** The highest rate that passed (0 when none did). */
  sustainable: number;
  /** true when even maxRate passed: the real limit lies above. */
  capped: boolean;
  steps: StepVerdict[];
}

/**
 * The highest sustainable rate: double from startRate while steps pass (halve while they
 * fail), then bisect between the last pass and the first failure. With confirmFailures a
 * rate fails only when two steps in a row fail.
 */
export async function searchSustainableRate(probe: (rate: number) => Promise<StepVerdict>, options: RateSearchOptions): Promise<RateSearchResult> {
  const steps: StepVerdict[] = [];
  const once = async (rate: number) => {
    const verdict = await probe(rate);
    steps.push(verdict);
    return verdict.passed;
  };
  const run = async (rate: number) => (await once(rate)) || (options.confirmFailures && (await once(rate)));
  let pass = 0;
  let fail = Infinity;
  let rate = Math.min(options.startRate, options.maxRate);
  if (await run(rate)) {
    pass = rate;
    while (pass < options.maxRate) {
      rate = Math.min(pass * 2, options.maxRate);
      if (!(await run(rate))) {
        fail = rate;
        break;
      }
      pass = rate;
    }
  } else {
    fail = rate;
    while (fail / 2 >= options.minRate) {
      rate = Math.round(fail / 2);
      if (await run(rate)) {
        pass = rate;
        break;
      }
      fail = rate;
    }
  }
  if (fail === Infinity) return { sustainable: pass, capped: true, steps };
  for (let i = 0; i < options.bisectSteps && pass > 0 && (fail - pass) / fail > options.precision; i++) {
    const mid = Math.round((pass + fail) / 2);
    if (await run(mid)) pass = mid;
    else fail = mid;
  }
  return { sustainable: pass, capped: false, steps };
}

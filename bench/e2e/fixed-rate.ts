import type { RateSearchResult } from '../ingest/rate-search';

/**
 * The rate of the latency step: half of B2's sustainable rate, or half of the stack's when that
 * is lower (or the setting), with the reason in words for the report.
 */
export function chooseFixedRate(setting: number | undefined, b2Rate: number | undefined, search: RateSearchResult | undefined): { rate: number; origin: string } {
  if (setting) return { rate: setting, origin: 'BENCH_E2E_FIXED_RATE' };
  const halfB2 = b2Rate ? Math.max(10, Math.round(b2Rate / 2)) : undefined;
  if (search && search.sustainable === 0 && search.steps.length > 0) {
    const lowest = Math.min(...search.steps.map((s) => s.rate));
    return { rate: Math.max(1, Math.round(lowest / 2)), origin: `no step of the stack passed: half of the lowest rate tried (${lowest}/s)` };
  }
  const halfStack = search?.sustainable ? Math.max(1, Math.round(search.sustainable / 2)) : undefined;
  if (halfStack !== undefined && halfB2 === undefined) return { rate: halfStack, origin: "half of the stack's sustainable rate (B2 not measured)" };
  if (halfStack !== undefined && halfB2 !== undefined && halfStack < halfB2) return { rate: halfStack, origin: "half of the stack's sustainable rate, which is below half of B2's" };
  if (halfB2 !== undefined) return { rate: halfB2, origin: "half of B2's sustainable rate" };
  return { rate: 50, origin: 'neither B2 nor the stack measured: a default of 50/s' };
}

import { chooseFixedRate } from './fixed-rate';

const search = (sustainable: number, rates: number[] = [sustainable]) => ({ sustainable, capped: false, steps: rates.map((rate) => ({ rate, passed: rate <= sustainable, note: '' })) });

describe('chooseFixedRate', () => {
  it("takes half of B2's rate when the stack sustains more than that", () => {
    expect(chooseFixedRate(undefined, 1000, search(1200))).toEqual({ rate: 500, origin: "half of B2's sustainable rate" });
  });

  it("takes half of the stack's rate when that is lower, and says so", () => {
    expect(chooseFixedRate(undefined, 1000, search(225))).toMatchObject({ rate: 113, origin: expect.stringContaining("half of the stack's sustainable rate") });
    expect(chooseFixedRate(undefined, undefined, search(40))).toEqual({ rate: 20, origin: "half of the stack's sustainable rate (B2 not measured)" });
  });

  it('halves the lowest rate tried when no step of the stack passed', () => {
    expect(chooseFixedRate(undefined, 1000, search(0, [100, 50, 25, 13, 7]))).toMatchObject({ rate: 4, origin: expect.stringContaining('lowest rate tried (7/s)') });
  });

  it('keeps the setting, and falls back to 50/s when nothing was measured', () => {
    expect(chooseFixedRate(30, 1000, search(500))).toEqual({ rate: 30, origin: 'BENCH_E2E_FIXED_RATE' });
    expect(chooseFixedRate(undefined, undefined, undefined)).toMatchObject({ rate: 50 });
  });
});

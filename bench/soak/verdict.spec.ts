import { backlogTrend, memoryTrend } from './verdict';

describe('soak verdict', () => {
  it('calls memory that climbs to the end growing', () => {
    expect(memoryTrend([180, 200, 210, 220, 230, 240, 250, 260, 270]).growing).toBe(true);
  });

  it('does not call memory that levels off after the warm-up, or saws, growing', () => {
    expect(memoryTrend([150, 190, 205, 208, 207, 209, 208, 207, 209]).growing).toBe(false);
    expect(memoryTrend([200, 240, 200, 245, 201, 243, 202, 244, 200]).growing).toBe(false);
  });

  it('calls a backlog that keeps accumulating growing, and one that comes and goes not', () => {
    expect(backlogTrend([0, 50, 400, 900, 1500, 2200, 3000, 3900, 5000], 90).growing).toBe(true);
    expect(backlogTrend([0, 120, 30, 200, 0, 90, 150, 10, 60], 90).growing).toBe(false);
    // A consumer that falls further behind, even slowly, is not keeping up.
    expect(backlogTrend([282, 142, 651, 1395, 2360, 3097, 3957, 4501, 4929, 4650, 4503, 4510, 4358, 4693, 5396, 5574, 5712, 5902, 6164], 90).growing).toBe(true);
  });

  it('judges nothing from fewer than three samples', () => {
    expect(memoryTrend([100, 500]).growing).toBe(false);
  });
});

import { cpuTicksFromStat, machineJiffies, processCpuMs } from './proc-cpu';

describe('CPU time from /proc', () => {
  it('adds utime and stime, also when the command name holds spaces and parentheses', () => {
    const stat = '4242 (node (main) x) S 1 4242 4242 0 -1 4194560 1234 0 0 0 750 125 0 0 20 0 11 0 1000 1000000 5000';
    expect(cpuTicksFromStat(stat)).toBe(875);
  });

  it('refuses a line it cannot read', () => {
    expect(() => cpuTicksFromStat('garbage')).toThrow(/unreadable/);
  });

  it('reads this process, and its CPU time grows with work', () => {
    const before = processCpuMs(process.pid);
    // Burn CPU until /proc shows 50 ms more (bounded by wall time, so a busy machine only slows it).
    const until = Date.now() + 10_000;
    // The process's other threads (GC, the worker's own) count too, so the 50 ms may show before any spin.
    let spins = 0;
    while (processCpuMs(process.pid) - before < 50 && Date.now() < until) spins += Math.sqrt(spins + 1);
    expect(processCpuMs(process.pid) - before).toBeGreaterThanOrEqual(50);
  });

  it('tells busy from idle jiffies on the cpu line', () => {
    expect(machineJiffies('cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3')).toEqual({ busy: 150, total: 1000 });
  });
});

import { performance } from 'node:perf_hooks';
import { cpuOfProcessesNamedMs, machineJiffies, processCpuMs } from '../ingest/proc-cpu';

export interface CpuUsage {
  /** CPU ms per second, per process named, and `postgres` for every PostgreSQL process. */
  msPerSecond: Record<string, number>;
  /** The whole machine's busy share. */
  machineBusy: number;
}

/** Starts counting the CPU the processes (by name) use; `stop()` answers it per second of wall time. */
export function countCpu(processes: Record<string, number>): { stop(): CpuUsage } {
  const reading = () => ({ ...Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, processCpuMs(pid)])), postgres: cpuOfProcessesNamedMs('postgres') });
  const before: Record<string, number> = reading();
  const machineBefore = machineJiffies();
  const began = performance.now();
  return {
    stop() {
      const seconds = (performance.now() - began) / 1000;
      const after: Record<string, number> = reading();
      const machineAfter = machineJiffies();
      return {
        msPerSecond: Object.fromEntries(Object.keys(after).map((name) => [name, (after[name] - before[name]) / seconds])),
        machineBusy: (machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total),
      };
    },
  };
}

import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { machineJiffies, processCpuMs } from '../ingest/proc-cpu';

/** CPU time of every PostgreSQL process on the machine (the bench's and anyone else's), ms. */
function postgresCpuMs(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += processCpuMs(Number(entry));
    } catch {
      // The process ended while being read.
    }
  }
  return total;
}

export interface CpuUsage {
  /** CPU ms per second, per process named, and `postgres` for every PostgreSQL process. */
  msPerSecond: Record<string, number>;
  /** The whole machine's busy share. */
  machineBusy: number;
}

/** Starts counting the CPU the processes (by name) use; `stop()` answers it per second of wall time. */
export function countCpu(processes: Record<string, number>): { stop(): CpuUsage } {
  const reading = () => ({ ...Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, processCpuMs(pid)])), postgres: postgresCpuMs() });
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

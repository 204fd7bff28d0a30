import { performance } from 'node:perf_hooks';
import type { Pool } from 'undici';
import { describeStep, endpointPool, runOpenLoopStep, stepPassed, type Endpoint, type StepOutcome } from './open-loop';
import { machineJiffies, processCpuMs } from './proc-cpu';
import { searchSustainableRate, type RateSearchOptions, type RateSearchResult } from './rate-search';
import { stepSize } from './schedule';
import type { BenchUplink, UplinkTraffic } from './traffic';

export interface MeasureSettings {
  search: RateSearchOptions;
  stepSeconds: number;
  fixedSeconds: number;
  p99LimitMs: number;
  connections: number;
}

export interface FixedRateResult {
  outcome: StepOutcome;
  /** CPU ms of the endpoint's processes per uplink sent (all kinds). */
  cpuMsPerUplink: number;
  /** The same, per process. */
  cpuMsPerUplinkByProcess: Record<string, number>;
  /** The whole machine's busy share during the step (PostgreSQL, NATS and the load generator included). */
  machineBusy: number;
}

/** Decides one rate-search step by more than the HTTP answers (e.g. the events it caused). */
export interface StepJudge {
  onDispatch(uplink: BenchUplink, scheduledAt: number): void;
  /** Called once the step's last answer is in. */
  verdict(outcome: StepOutcome): Promise<{ passed: boolean; note: string }>;
}

export interface EndpointHooks {
  /** Waits for work the endpoint left behind (e.g. consumers still catching up) before the next step. */
  drain?: () => Promise<void>;
  /** For the fixed-rate step. */
  onDispatch?: (uplink: BenchUplink, scheduledAt: number) => void;
  /** A judge per rate-search step; without one a step passes by stepPassed (HTTP p99 and errors). */
  judgeStep?: () => StepJudge;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class EndpointBench {
  private readonly pool: Pool;

  constructor(
    private readonly label: string,
    private readonly endpoint: Endpoint,
    private readonly processes: Readonly<Record<string, number>>,
    private readonly traffic: UplinkTraffic,
    private readonly settings: MeasureSettings,
    private readonly hooks: EndpointHooks = {},
  ) {
    this.pool = endpointPool(endpoint.origin, settings.connections);
  }

  private async step(rate: number, seconds: number, onDispatch?: EndpointHooks['onDispatch']): Promise<StepOutcome> {
    await this.hooks.drain?.();
    await pause(200);
    const uplinks = this.traffic.take(stepSize(rate, seconds));
    return runOpenLoopStep(this.pool, this.endpoint, uplinks, rate, { onDispatch });
  }

  async searchRate(): Promise<RateSearchResult> {
    // A short step at the start rate opens connections (the pool's and the server's) and warms the JIT.
    await this.step(this.settings.search.startRate, 2);
    return searchSustainableRate(async (rate) => {
      const judge = this.hooks.judgeStep?.();
      const outcome = await this.step(rate, this.settings.stepSeconds, judge && ((uplink, at) => judge.onDispatch(uplink, at)));
      const { passed, note } = judge ? await judge.verdict(outcome) : { passed: stepPassed(outcome, this.settings.p99LimitMs), note: describeStep(outcome) };
      console.log(`  ${this.label} ${passed ? 'pass' : 'FAIL'} ${note}`);
      return { rate, passed, note };
    }, this.settings.search);
  }

  async fixedRate(rate: number): Promise<FixedRateResult> {
    await this.hooks.drain?.();
    await pause(200);
    const uplinks = this.traffic.take(stepSize(rate, this.settings.fixedSeconds));
    const cpuBefore = this.cpuByProcess();
    const machineBefore = machineJiffies();
    const started = performance.now();
    const outcome = await runOpenLoopStep(this.pool, this.endpoint, uplinks, rate, { onDispatch: this.hooks.onDispatch });
    const machineAfter = machineJiffies();
    // Work the step caused but finished later (consumers catching up) belongs to it too.
    await this.hooks.drain?.();
    const cpuAfter = this.cpuByProcess();
    const perUplink = Object.fromEntries(Object.entries(cpuAfter).map(([name, ms]) => [name, (ms - cpuBefore[name]) / outcome.sent]));
    console.log(`  ${this.label} fixed ${describeStep(outcome)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return {
      outcome,
      cpuMsPerUplink: Object.values(perUplink).reduce((a, b) => a + b, 0),
      cpuMsPerUplinkByProcess: perUplink,
      machineBusy: (machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total),
    };
  }

  private cpuByProcess(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.processes).map(([name, pid]) => [name, processCpuMs(pid)]));
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

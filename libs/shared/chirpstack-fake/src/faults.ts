import { status } from '@grpc/grpc-js';

/** A method as `<Service>.<Method>` from the gRPC path, e.g. 'DeviceService.Create', or '*' for all. */
export type MethodSelector = string;

export interface Failure {
  code: status;
  /** How many calls fail; without it, every call until `heal()`. */
  times?: number;
  message?: string;
}

interface ActiveFailure {
  code: status;
  message: string;
  remaining: number;
}

export interface Rejection {
  code: status;
  message: string;
}

/** Injected failures and delays. A specific method's rule wins over the '*' rule. */
export class Faults {
  private readonly failures = new Map<MethodSelector, ActiveFailure>();
  private readonly delays = new Map<MethodSelector, number>();
  private down = false;

  fail(method: MethodSelector, failure: Failure): void {
    const remaining = failure.times ?? Number.POSITIVE_INFINITY;
    if (!(remaining > 0)) throw new Error(`times must be positive, got ${failure.times}`);
    const message = failure.message ?? `injected ${status[failure.code] ?? failure.code}`;
    this.failures.set(method, { code: failure.code, message, remaining });
  }

  slow(method: MethodSelector, ms: number): void {
    if (ms > 0) this.delays.set(method, ms);
    else this.delays.delete(method);
  }

  outage(on: boolean): void {
    this.down = on;
  }

  heal(): void {
    this.failures.clear();
    this.delays.clear();
    this.down = false;
  }

  get isDown(): boolean {
    return this.down;
  }

  /** Decided when a call arrives, so `times` counts calls in arrival order. */
  takeFailure(method: string): Rejection | undefined {
    const key = this.failures.has(method) ? method : '*';
    const failure = this.failures.get(key);
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining <= 0) this.failures.delete(key);
    return { code: failure.code, message: failure.message };
  }

  delayFor(method: string): number {
    return this.delays.get(method) ?? this.delays.get('*') ?? 0;
  }
}

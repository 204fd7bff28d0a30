import { EventEmitter } from 'node:events';

/**
 * How the relay learns that a row was appended:
 * - 'poll': the writer signals the relay in the same process once the transaction has
 *   committed (TenantDatabase's afterCommit); a writer outside a TenantDatabase signals
 *   before its commit, and the relay answers that with a short burst of polls.
 * - 'notify': the writer runs pg_notify in its transaction; PostgreSQL delivers it after
 *   the commit to the relay's LISTEN connection, in any process.
 */
export type OutboxWake = 'poll' | 'notify';

/** Chosen by bench/outbox-wakeup (see bench/results): the faster of the two here. */
export const DEFAULT_OUTBOX_WAKE: OutboxWake = 'poll';

/** In-process "a row may be pending" signal between writers and the relay. */
export class OutboxSignal extends EventEmitter {
  /** `beforeCommit`: the row is not visible yet, so one poll right now may miss it. */
  notify(options: { beforeCommit?: boolean } = {}): void {
    this.emit('wake', options.beforeCommit === true);
  }
}

const signals = new Map<string, OutboxSignal>();

/** One signal per schema and process, so a writer and a relay meet without wiring. */
export function outboxSignalFor(schema: string): OutboxSignal {
  let signal = signals.get(schema);
  if (!signal) {
    signal = new OutboxSignal();
    signal.setMaxListeners(0);
    signals.set(schema, signal);
  }
  return signal;
}

/** `outbox_<schema>`: the LISTEN/NOTIFY channel of the 'notify' wake. */
export function outboxChannel(schema: string): string {
  return `outbox_${schema}`;
}

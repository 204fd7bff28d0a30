// Loaded with `node --require` into one service process of the chaos run (NODE_OPTIONS), never
// into a deployment: it kills its own process with SIGKILL at one point of the delivery path,
// once CHAOS_FAULT_DELAY_MS have passed, so the service is under load when it dies there.
//   CHAOS_FAULT=relay-before-publish   an outbox row is committed and loaded, not yet published
//   CHAOS_FAULT=relay-after-publish    JetStream acked the row, the relay has not marked it published
//   CHAOS_FAULT=consumer-before-ack    a consumer committed its transaction, its ack not yet sent
// CHAOS_FAULT_SUBJECT limits the fault to messages or rows whose subject contains it.
import path from 'node:path';
import { CHAOS_FAULTS, type ChaosFault } from './faults';

const fault = process.env.CHAOS_FAULT as ChaosFault | undefined;
const armedAt = Date.now() + Number(process.env.CHAOS_FAULT_DELAY_MS ?? 0);
const subject = process.env.CHAOS_FAULT_SUBJECT ?? '';

/** Dies right here, as a crash at this point would, once armed and on a matching subject. */
function dieHere(where: string, on: string): void {
  if (Date.now() < armedAt || !on.includes(subject)) return;
  process.stderr.write(`chaos: SIGKILL ${where} (${on})\n`);
  process.kill(process.pid, 'SIGKILL');
}

interface RelayRow {
  subject: string;
}
type Hooks = { beforePublish?(row: RelayRow): void; afterPublish?(row: RelayRow): void };

if (fault !== undefined) {
  if (!CHAOS_FAULTS.includes(fault)) throw new Error(`CHAOS_FAULT must be one of ${CHAOS_FAULTS.join(', ')}; not "${fault}"`);
  if (fault === 'consumer-before-ack') {
    // Every consumer commits before it acks (batch consumers with ack(), the others with ackAck()).
    // The package exports no path to the message class: its file is reached beside the entry point.
    const jsmsg = path.join(path.dirname(require.resolve('@nats-io/jetstream', { paths: [process.cwd()] })), 'jsmsg.js');
    // A preload patches synchronously, before the service loads: the same module instance it will use.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { JsMsgImpl } = require(jsmsg) as {
      JsMsgImpl: { prototype: Record<'ack' | 'ackAck', (...args: unknown[]) => unknown> & { subject: string } };
    };
    for (const method of ['ack', 'ackAck'] as const) {
      const original = JsMsgImpl.prototype[method];
      JsMsgImpl.prototype[method] = function (this: { subject: string }, ...args: unknown[]) {
        dieHere(`after the commit, before ${method}`, this.subject);
        return original.apply(this, args);
      };
    }
  } else {
    // The relay's own fault-injection hooks (OutboxRelayHooks), set on every relay as it starts.
    const relayModule = path.resolve(__dirname, '..', '..', 'libs', 'shared', 'messaging', 'src', 'outbox-relay.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { OutboxRelay } = require(relayModule) as { OutboxRelay: { prototype: { start(): Promise<void> } } };
    const start = OutboxRelay.prototype.start;
    OutboxRelay.prototype.start = function (this: { options: { hooks?: Hooks } }) {
      const hook = fault === 'relay-before-publish' ? 'beforePublish' : 'afterPublish';
      this.options.hooks = { ...this.options.hooks, [hook]: (row: RelayRow) => dieHere(hook === 'beforePublish' ? 'before publishing an outbox row' : 'after publishing an outbox row, before marking it', row.subject) };
      return start.call(this);
    };
  }
}

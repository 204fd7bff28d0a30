import type { EventDefinition, EventType } from '@parking/contracts';
import type { SqlClient } from '@parking/database';
import type { OutboxAppend, OutboxWriter } from '@parking/messaging';

/** One event of a batch; `outboxEntry` keeps `data` typed by its definition. */
export interface OutboxEntry {
  def: EventDefinition<unknown, EventType>;
  input: OutboxAppend<unknown>;
}

export function outboxEntry<TData, TType extends EventType>(def: EventDefinition<TData, TType>, input: OutboxAppend<TData>): OutboxEntry {
  return { def: def as unknown as EventDefinition<unknown, EventType>, input: input as OutboxAppend<unknown> };
}

/**
 * The events of one tenant's share of a batch in arrival order. A slot can be reserved
 * before it is known whether the event happens (an uplink that may turn out a duplicate).
 * Written with one statement per run of same-type events, so the relay keeps the order.
 */
export class OutboxBatch {
  private readonly slots: Array<OutboxEntry | undefined> = [];

  reserve(): number {
    this.slots.push(undefined);
    return this.slots.length - 1;
  }

  fill(slot: number, entry: OutboxEntry): void {
    this.slots[slot] = entry;
  }

  add(entry: OutboxEntry): void {
    this.slots.push(entry);
  }

  async write(tx: SqlClient, outbox: OutboxWriter): Promise<void> {
    const entries = this.slots.filter((e): e is OutboxEntry => e !== undefined);
    for (let start = 0; start < entries.length; ) {
      let end = start + 1;
      while (end < entries.length && entries[end].def === entries[start].def) end++;
      await outbox.appendMany(tx, entries[start].def, entries.slice(start, end).map((e) => e.input));
      start = end;
    }
  }
}

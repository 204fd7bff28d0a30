import { publishInOrder } from './publish-in-order';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe('publishInOrder', () => {
  it('keeps at most maxInFlight publishes outstanding and reports acks in row order', async () => {
    const acks = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    const run = publishInOrder([0, 1, 2, 3], 2, {
      publish: (row) => {
        started.push(row);
        return acks[row].promise;
      },
    });

    await settle();
    expect(started).toEqual([0, 1]);
    acks[1].resolve(); // out of order: row 0 still holds the window
    await settle();
    expect(started).toEqual([0, 1]);
    acks[0].resolve();
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    acks[3].resolve();
    acks[2].resolve();

    await expect(run).resolves.toEqual({ published: [0, 1, 2, 3] });
  });

  it('starts a window of publishes without yielding in between, so the client sends them in one write', async () => {
    const started: number[] = [];
    const acks = [deferred(), deferred(), deferred()];
    const run = publishInOrder([0, 1, 2], 8, {
      publish: (row) => {
        started.push(row);
        return acks[row].promise;
      },
    });
    // Synchronously, before any microtask (NATS flushes its buffer in one) could run.
    expect(started).toEqual([0, 1, 2]);
    acks.forEach((ack) => ack.resolve());
    await expect(run).resolves.toEqual({ published: [0, 1, 2] });
  });

  it('stops at the first failure and counts only the acked prefix', async () => {
    const after = jest.fn(async () => undefined);
    const outcome = await publishInOrder([0, 1, 2, 3, 4], 3, {
      publish: async (row) => {
        if (row === 2) throw new Error('no ack');
      },
      after,
    });

    expect(outcome.published).toEqual([0, 1]);
    expect(outcome.failure).toEqual({ row: 2, error: new Error('no ack') });
    expect(after).toHaveBeenCalledTimes(2);
  });

  it('waits for each ack before the next publish with a window of one', async () => {
    const log: string[] = [];
    await publishInOrder([0, 1], 1, {
      publish: async (row) => void log.push(`publish ${row}`),
      after: async (row) => void log.push(`acked ${row}`),
    });
    expect(log).toEqual(['publish 0', 'acked 0', 'publish 1', 'acked 1']);
  });
});

import { packageOf, summarizeProfile, type CpuProfile } from './summary';

describe('CPU profile summary', () => {
  it('names the package a frame comes from', () => {
    expect(packageOf('file:///app/node_modules/pg/lib/client.js')).toBe('pg');
    expect(packageOf('file:///app/node_modules/@nats-io/nats-core/lib/nats.js')).toBe('@nats-io/nats-core');
    expect(packageOf('file:///app/node_modules/a/node_modules/@scope/b/x.js')).toBe('@scope/b');
    expect(packageOf('node:internal/streams/writable')).toBe('node:internal');
    expect(packageOf('file:///app/dist/libs/shared/messaging/src/outbox-relay.js')).toBe('ours');
    expect(packageOf('')).toBe('(native)');
  });

  it('adds self time per function and package from the samples, leaving idle out', () => {
    const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3, 4] },
        { id: 2, callFrame: frame('(idle)') },
        { id: 3, callFrame: frame('query', 'file:///app/node_modules/pg/lib/client.js') },
        { id: 4, callFrame: frame('batch', 'file:///app/dist/libs/shared/messaging/src/outbox-relay.js') },
      ],
      startTime: 0,
      endTime: 10_000_000,
      // A sample's time is the delta after it: idle 5 ms, query 3 ms, batch 1 ms.
      samples: [2, 3, 4, 3],
      timeDeltas: [0, 5_000, 2_000, 1_000, 1_000],
    };

    const summary = summarizeProfile(profile);

    expect(summary.wallMs).toBe(10_000);
    expect(summary.busyMs).toBe(4);
    expect(summary.packages).toEqual([
      { name: 'pg', ms: 3, share: 0.75 },
      { name: 'ours', ms: 1, share: 0.25 },
    ]);
    expect(summary.topFunctions[0]).toMatchObject({ name: 'query pg client.js:1', ms: 3 });
  });
});

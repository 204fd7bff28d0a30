import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Namespace } from '@parking/contracts';

/** Deletes every stream a test's namespace created (services provision theirs at boot). */
export async function removeNamespaceStreams(namespace: string, natsUrl = process.env.NATS_URL || 'nats://127.0.0.1:4222'): Promise<string[]> {
  if (!namespace) throw new Error('refusing to remove the streams of the empty (production) namespace');
  const prefix = new Namespace(namespace).stream('');
  const nc = await connect({ servers: natsUrl.split(','), name: 'test-cleanup' });
  try {
    const jsm = await jetstreamManager(nc);
    const removed: string[] = [];
    for await (const stream of jsm.streams.list()) {
      if (!stream.config.name.startsWith(prefix)) continue;
      await jsm.streams.delete(stream.config.name);
      removed.push(stream.config.name);
    }
    return removed;
  } finally {
    await nc.close();
  }
}

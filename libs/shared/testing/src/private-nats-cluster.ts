import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateNatsPasswords, natsServiceEnv, renderNatsAuthorization, type NatsPasswords, type NatsServiceName } from '@parking/contracts';
import { expectEventually } from './expect-eventually';
import { greets } from './private-nats-server';
import { freeTcpPort } from './service-launcher';

export interface PrivateNatsCluster {
  /** The nodes' client URLs, in node order. */
  urls: string[];
  namespace: string;
  passwords: NatsPasswords;
  /** nats-server's version, and whether the sample's `sync_interval: always` is on (2.10 and later know it). */
  version: string;
  syncEveryWrite: boolean;
  /** What a service needs to use the cluster as itself: every node's URL, its user, and R3 streams. */
  envFor(service: NatsServiceName): NodeJS.ProcessEnv;
  /** The node's server_name (`node-<i>`), as stream and meta leaders are named. */
  serverName(node: number): string;
  /** Ends a node at once (SIGKILL): no flush, no goodbye to its routes. */
  kill(node: number): Promise<void>;
  /** Starts a killed node again, on its ports and its JetStream store. */
  restart(node: number): Promise<void>;
  /** The server_name of the node that leads `stream` (its namespaced name), from a running node's monitoring port. */
  streamLeader(stream: string): Promise<string>;
  /** Every stream of the cluster with its replicas (num_replicas). */
  streamReplicas(): Promise<Record<string, number>>;
  log(node: number): string;
  stop(): Promise<void>;
}

interface Jsz {
  meta_cluster?: { leader?: string };
  account_details?: Array<{ stream_detail?: Array<{ name: string; cluster?: { leader?: string }; config?: { num_replicas?: number } }> }>;
}

/** deploy/nats/cluster/nats-node.conf, the sample every node of the test cluster runs. */
function sampleConfig(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'deploy', 'nats', 'cluster', 'nats-node.conf');
    if (existsSync(file)) return file;
  }
  throw new Error('deploy/nats/cluster/nats-node.conf not found above the testing library');
}

interface Node {
  name: string;
  clientPort: number;
  clusterPort: number;
  monitorPort: number;
  store: string;
  child?: ChildProcess;
  exited?: Promise<void>;
  output: string;
}

/**
 * Three `nats-server` processes on private ports, each running deploy/nats/cluster/nats-node.conf
 * with its own JetStream store, clustered over routes, and the authorization generated for
 * `namespace`. On a server older than 2.10 the sample's `sync_interval` line is left out (it does
 * not know it); `syncEveryWrite` says so.
 */
export async function startPrivateNatsCluster(options: { namespace: string; nodes?: number }): Promise<PrivateNatsCluster> {
  const count = options.nodes ?? 3;
  const binary = process.env.NATS_SERVER_BIN || 'nats-server';
  const version = await serverVersion(binary);
  const syncEveryWrite = atLeast(version, [2, 10]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nats-cluster-'));
  const passwords = generateNatsPasswords();
  const sample = readFileSync(sampleConfig(), 'utf8');
  const config = path.join(dir, 'nats-node.conf');
  writeFileSync(config, syncEveryWrite ? sample : sample.replace(/^\s*sync_interval:.*$/m, ''));
  writeFileSync(path.join(dir, 'nats-auth.conf'), renderNatsAuthorization({ namespace: options.namespace, passwords }), { mode: 0o600 });
  const nodes: Node[] = [];
  for (let i = 0; i < count; i++) {
    nodes.push({ name: `node-${i}`, clientPort: await freeTcpPort(), clusterPort: await freeTcpPort(), monitorPort: await freeTcpPort(), store: path.join(dir, `store-${i}`), output: '' });
  }
  const routes = `[${nodes.map((n) => `nats-route://127.0.0.1:${n.clusterPort}`).join(', ')}]`;

  const spawnNode = (node: Node) => {
    const child = spawn(binary, ['-c', config, '-a', '127.0.0.1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NATS_SERVER_NAME: node.name,
        NATS_CLIENT_PORT: String(node.clientPort),
        NATS_CLUSTER_PORT: String(node.clusterPort),
        NATS_MONITOR_PORT: String(node.monitorPort),
        NATS_STORE_DIR: node.store,
        NATS_ROUTES: routes,
      },
    });
    child.stdout?.on('data', (chunk) => (node.output += chunk));
    child.stderr?.on('data', (chunk) => (node.output += chunk));
    node.child = child;
    node.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  };
  const running = (node: Node) => node.child !== undefined && node.child.exitCode === null && node.child.signalCode === null;
  const end = async (node: Node, signal: NodeJS.Signals) => {
    if (running(node)) node.child?.kill(signal);
    await node.exited;
  };
  /** Up: it greets clients and JetStream's meta group has a leader it knows. */
  const untilUp = (node: Node) =>
    expectEventually(
      async () => {
        if (!running(node)) throw new Error(`${node.name} exited:\n${node.output}`);
        if (!(await greets(node.clientPort))) throw new Error(`${node.name} does not greet yet`);
        const jsz = (await (await fetch(`http://127.0.0.1:${node.monitorPort}/jsz`)).json()) as Jsz;
        if (!jsz.meta_cluster?.leader) throw new Error(`${node.name}: JetStream has no meta leader yet`);
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  const stop = async () => {
    await Promise.all(nodes.map((node) => end(node, 'SIGTERM')));
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    nodes.forEach(spawnNode);
    await Promise.all(nodes.map(untilUp));
  } catch (error) {
    await stop();
    throw error;
  }
  const urls = nodes.map((n) => `nats://127.0.0.1:${n.clientPort}`);
  const streams = async () => {
    const node = nodes.find(running);
    if (!node) throw new Error('no node of the cluster is running');
    const jsz = (await (await fetch(`http://127.0.0.1:${node.monitorPort}/jsz?accounts=true&streams=true&config=true`)).json()) as Jsz;
    return jsz.account_details?.flatMap((account) => account.stream_detail ?? []) ?? [];
  };
  return {
    urls,
    namespace: options.namespace,
    passwords,
    version,
    syncEveryWrite,
    envFor: (service) => ({ NATS_URL: urls.join(','), NATS_NAMESPACE: options.namespace, NATS_STREAM_REPLICAS: String(count), ...natsServiceEnv(service, passwords[service]) }),
    serverName: (node) => nodes[node].name,
    kill: (node) => end(nodes[node], 'SIGKILL'),
    restart: async (node) => {
      spawnNode(nodes[node]);
      await untilUp(nodes[node]);
    },
    streamLeader: async (stream) => {
      const found = (await streams()).find((detail) => detail.name === stream);
      if (!found?.cluster?.leader) throw new Error(`no node knows a leader of stream ${stream}`);
      return found.cluster.leader;
    },
    streamReplicas: async () => Object.fromEntries((await streams()).map((detail) => [detail.name, detail.config?.num_replicas ?? 1])),
    log: (node) => nodes[node].output,
    stop,
  };
}

function serverVersion(binary: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--version']);
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('error', reject);
    child.once('exit', () => resolve(/v?(\d+\.\d+\.\d+)/.exec(out)?.[1] ?? 'unknown'));
  });
}

function atLeast(version: string, [major, minor]: [number, number]): boolean {
  const [a, b] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

// Compose's NATS TLS really runs: deploy/docker/nats-tls.sh makes the certificates, a nats-server
// of this test's own runs the tls block of deploy/docker/nats.conf with them (and the compose
// authorization), and the services' NATS clients get in only over TLS and only trusting that CA,
// configured as compose configures them: a tls:// URL (so `tls: {}`, TLS required) and NODE_EXTRA_CA_CERTS, no CA option.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { connect as connectV3 } from '@nats-io/transport-node';
import { natsPasswordVariable } from '@parking/contracts';
import { expectEventually, freeTcpPort } from '@parking/testing';
import { connect as connectV2 } from 'nats';

const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(__dirname, 'nats-tls.sh');
const run = promisify(execFile);

/** The INFO a NATS server greets every client with, before TLS or authentication. */
function serverInfo(port: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000, () => socket.destroy(new Error('no INFO')));
    socket.once('error', reject);
    socket.once('data', (chunk) => {
      socket.destroy();
      const line = chunk.toString('utf8');
      if (line.startsWith('INFO ')) resolve(JSON.parse(line.slice(5)) as Record<string, unknown>);
      else reject(new Error(`not a NATS greeting: ${line}`));
    });
  });
}

/** TLS options naming the server to check: both clients hand them to node:tls as they are, though their types omit `servername`. */
function tlsFor(ca: string, servername: string): { ca: string } {
  const options = { ca, servername };
  return options;
}

/** Connects as a service process of compose does: both NATS clients, the URL, `tls: {}` (natsServerOptions for a tls:// URL) and credentials. */
const SERVICE_CLIENT = `
const [url, user, pass] = process.argv.slice(1);
const attempt = (connect) => connect({ servers: url, tls: {}, user, pass, timeout: 5000 })
  .then((nc) => nc.close().then(() => 'connected'), (error) => 'refused: ' + error.message);
Promise.all([attempt(require('nats').connect), attempt(require('@nats-io/transport-node').connect)])
  .then(([v2, v3]) => process.stdout.write(JSON.stringify({ nats: v2, '@nats-io/transport-node': v3 })));
`;

describe('NATS TLS of docker compose (deploy/docker/nats-tls.sh, the tls block of deploy/docker/nats.conf)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'compose-nats-tls-'));
  const certs = path.join(dir, 'certs');
  let port: number;
  let server: ChildProcess;
  let exited: Promise<unknown>;
  let passwords: Record<string, string>;
  const url = () => `tls://localhost:${port}`;
  const gateway = () => ({ user: 'gateway', pass: passwords[natsPasswordVariable('gateway')] });

  beforeAll(async () => {
    execFileSync('sh', [SCRIPT, certs]);
    const envFile = path.join(dir, '.env');
    execFileSync('sh', [path.join(__dirname, 'nats-passwords.sh'), envFile]);
    passwords = Object.fromEntries(readFileSync(envFile, 'utf8').trim().split('\n').map((line) => line.split('=') as [string, string]));
    copyFileSync(path.join(__dirname, 'nats-auth.conf'), path.join(dir, 'nats-auth.conf'));
    // The committed block as it is, only pointed at this test's files instead of compose's mounts.
    const block = /^tls\s*\{[\s\S]*?^\}/m.exec(readFileSync(path.join(__dirname, 'nats.conf'), 'utf8'))?.[0];
    if (!block) throw new Error('deploy/docker/nats.conf has no active tls block');
    port = await freeTcpPort();
    const config = path.join(dir, 'nats.conf');
    writeFileSync(config, `listen: 127.0.0.1:${port}\n${block.replaceAll('/etc/nats/certs/', `${certs}/`)}\ninclude ./nats-auth.conf\n`);
    server = spawn(process.env.NATS_SERVER_BIN || 'nats-server', ['-c', config], { env: { ...process.env, ...passwords }, stdio: 'ignore' });
    exited = new Promise((resolve) => server.once('exit', resolve));
    await expectEventually(() => serverInfo(port), { timeoutMs: 10_000, intervalMs: 100 });
  });

  afterAll(async () => {
    server?.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes a private CA and a certificate of the names nats and localhost once, the keys 0600', () => {
    const ca = new X509Certificate(readFileSync(path.join(certs, 'ca.crt')));
    const cert = new X509Certificate(readFileSync(path.join(certs, 'server.crt')));
    expect(ca.ca).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe('DNS:nats, DNS:localhost');
    for (const key of ['ca.key', 'server.key']) expect(statSync(path.join(certs, key)).mode & 0o777).toBe(0o600);

    // Run again: every file stays; without server.crt, a new one under the same CA.
    const again = path.join(dir, 'again');
    execFileSync('sh', [SCRIPT, again]);
    const files = ['ca.crt', 'ca.key', 'server.crt', 'server.key'];
    const before = files.map((file) => readFileSync(path.join(again, file), 'utf8'));
    execFileSync('sh', [SCRIPT, again]);
    expect(files.map((file) => readFileSync(path.join(again, file), 'utf8'))).toEqual(before);
    unlinkSync(path.join(again, 'server.crt'));
    execFileSync('sh', [SCRIPT, again]);
    expect(readFileSync(path.join(again, 'ca.crt'), 'utf8')).toBe(before[0]);
    expect(readFileSync(path.join(again, 'server.crt'), 'utf8')).not.toBe(before[2]);
    expect(new X509Certificate(readFileSync(path.join(again, 'server.crt'))).verify(new X509Certificate(before[0]).publicKey)).toBe(true);
  });

  it('lets a service in over TLS with NODE_EXTRA_CA_CERTS, as compose sets it, through both NATS clients', async () => {
    expect(await serverInfo(port)).toMatchObject({ tls_required: true });
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: path.join(certs, 'ca.crt') };
    const { stdout } = await run(process.execPath, ['-e', SERVICE_CLIENT, url(), gateway().user, gateway().pass], { cwd: ROOT, env });
    expect(JSON.parse(stdout)).toEqual({ nats: 'connected', '@nats-io/transport-node': 'connected' });
  });

  it('refuses the same clients without the CA', async () => {
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    const { stdout } = await run(process.execPath, ['-e', SERVICE_CLIENT, url(), gateway().user, gateway().pass], { cwd: ROOT, env });
    const refused = expect.stringMatching(/^refused: .*certificate/);
    expect(JSON.parse(stdout)).toEqual({ nats: refused, '@nats-io/transport-node': refused });
  });

  it.each([
    ['nats', connectV2],
    ['@nats-io/transport-node', connectV3],
  ] as const)('%s checks the certificate against the CA and the name it dials', async (_client, connect) => {
    const ca = readFileSync(path.join(certs, 'ca.crt'), 'utf8');
    const servers = `tls://127.0.0.1:${port}`;
    // Compose's services dial the name nats.
    const nc = await connect({ servers, ...gateway(), tls: tlsFor(ca, 'nats') });
    await nc.close();
    await expect(connect({ servers, ...gateway(), tls: tlsFor(ca, 'nats.example') })).rejects.toThrow(/altnames/);
    const other = path.join(dir, 'other-ca');
    execFileSync('sh', [SCRIPT, other]);
    await expect(connect({ servers, ...gateway(), tls: tlsFor(readFileSync(path.join(other, 'ca.crt'), 'utf8'), 'nats') })).rejects.toThrow(/certificate/);
  });

  it('refuses a client that speaks plain NATS', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      let received = '';
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.setTimeout(5_000, () => socket.destroy(new Error(`still open after: ${received}`)));
      socket.on('error', reject);
      socket.on('data', (chunk) => {
        received += chunk.toString('utf8');
        if (received.startsWith('INFO ') && received.includes('\r\n')) {
          socket.write(`CONNECT ${JSON.stringify({ verbose: false, user: gateway().user, pass: gateway().pass })}\r\nPING\r\n`);
        }
      });
      socket.on('close', () => resolve(received));
    });
    expect(answer).toMatch(/^INFO /);
    expect(answer).not.toMatch(/PONG|\+OK/);
  });

  it('has a CA that vouches for no other name, should its key leak', async () => {
    const rogue = path.join(dir, 'rogue');
    execFileSync('sh', ['-c', 'mkdir -p "$1" && cd "$1" && printf "subjectAltName=DNS:example.com\\n" > ext && openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=example.com -keyout key.pem -out csr.pem 2>/dev/null && openssl x509 -req -in csr.pem -CA "$2/ca.crt" -CAkey "$2/ca.key" -days 1 -extfile ext -out cert.pem 2>/dev/null', 'sh', rogue, certs]);
    const impostor = tls.createServer({ cert: readFileSync(path.join(rogue, 'cert.pem')), key: readFileSync(path.join(rogue, 'key.pem')) }, (socket) => socket.end());
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    try {
      const { port: impostorPort } = impostor.address() as net.AddressInfo;
      const outcome = await new Promise<string>((resolve) => {
        const socket = tls.connect({ host: '127.0.0.1', port: impostorPort, servername: 'example.com', ca: readFileSync(path.join(certs, 'ca.crt')) });
        socket.once('secureConnect', () => resolve('trusted'));
        socket.once('error', (error) => resolve(error.message));
      });
      expect(outcome).toMatch(/permitted subtree violation/);
    } finally {
      await new Promise((resolve) => impostor.close(resolve));
    }
  });
});

// The Kubernetes manifests are data nobody runs here; this keeps them in step with the code:
// every service has a workload with the probes, port and drain time the processes expect.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { rolePasswordVariable, SERVICES } from '@parking/database';
import { SERVICE_NAMES, servicePort } from '../local/stack-layout';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form Kubernetes objects, checked field by field below
type Manifest = { kind: string; metadata: { name: string }; spec?: any };

type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } };

const DIR = __dirname;
/** Each runtime role's Secret: its service reads it, the migrations Job reads them all. */
const dbSecret = (service: string) => `parking-db-${service}`;
const SHUTDOWN_TIMEOUT_S = 10;

function load(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(path.join(DIR, file), 'utf8')).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    return doc.toJS() as Manifest;
  });
}

const kustomization = load('kustomization.yaml')[0] as unknown as { resources: string[] };
const manifests = kustomization.resources.flatMap(load);

function workload(service: string): Manifest {
  const found = manifests.find((m) => (m.kind === 'Deployment' || m.kind === 'StatefulSet') && m.metadata.name === service);
  if (!found) throw new Error(`no Deployment or StatefulSet named ${service}`);
  return found;
}

describe('Kubernetes manifests', () => {
  it('lists every manifest file in the kustomization except the secret example', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml' && f !== 'secrets.example.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it.each(SERVICE_NAMES)('runs %s with its port, probes and enough time to drain', (service) => {
    const spec = workload(service).spec.template.spec;
    const container = spec.containers[0];
    const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    expect(env.SERVICE).toBe(service);
    const port = container.ports[0].containerPort;
    expect(port).toBe(servicePort(service, {}));
    expect(Number(env[service === 'gateway' ? 'GATEWAY_PORT' : 'HTTP_PORT'])).toBe(port);
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    const preStop = Number(container.lifecycle.preStop.exec.command[1]);
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(preStop + SHUTDOWN_TIMEOUT_S);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(manifests.some((m) => m.kind === 'Service' && m.metadata.name === service)).toBe(true);
  });

  it('keeps the gateway spool on a persistent volume per replica', () => {
    const gateway = workload('gateway');
    expect(gateway.kind).toBe('StatefulSet');
    const spoolDir = gateway.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'SPOOL_DIR').value;
    const mount = gateway.spec.template.spec.containers[0].volumeMounts.find((m: { name: string }) => m.name === 'spool');
    expect(mount.mountPath).toBe(spoolDir);
    expect(gateway.spec.volumeClaimTemplates.map((c: Manifest) => c.metadata.name)).toContain('spool');
  });

  it.each([
    ['ingest', 'WEBHOOKS', 'apps/ingest/src/pipeline/pipeline-consumer.ts', 'PIPELINE_DURABLE'],
    ['occupancy', 'INGEST', 'apps/occupancy/src/consumers/uplink-batch.consumer.ts', 'UPLINKS_DURABLE'],
  ])('scales %s on the lag of the consumer the code declares', (service, stream, file, constant) => {
    const source = readFileSync(path.join(DIR, '..', '..', file), 'utf8');
    const durable = new RegExp(`export const ${constant} = '([^']+)'`).exec(source)?.[1];
    const scaled = manifests.find((m) => m.kind === 'ScaledObject' && m.spec.scaleTargetRef.name === service);
    expect(scaled?.spec.triggers[0].metadata).toMatchObject({ stream, consumer: durable });
    expect(durable).toBeTruthy();
  });

  it("runs the migrations as a Job with the admin URL and every runtime role's own password", () => {
    const job = manifests.find((m) => m.kind === 'Job');
    const env: EnvVar[] = job?.spec.template.spec.containers[0].env;
    expect(env.map((e) => e.name)).toContain('DATABASE_ADMIN_URL');
    for (const { service } of SERVICES) {
      expect(env.find((e) => e.name === rolePasswordVariable(service))?.valueFrom).toEqual({ secretKeyRef: { name: dbSecret(service), key: 'password' } });
    }
  });

  it.each(SERVICE_NAMES)("gives %s its own database role's Secret and no other", (service) => {
    const container = workload(service).spec.template.spec.containers[0];
    const env: EnvVar[] = container.env;
    const fromSecrets = [
      ...env.map((e) => e.valueFrom?.secretKeyRef?.name),
      ...(container.envFrom ?? []).map((e: { secretRef?: { name: string } }) => e.secretRef?.name),
    ].filter((name): name is string => typeof name === 'string' && name.startsWith('parking-db-'));
    if (!SERVICES.some((s) => s.service === service)) {
      expect(fromSecrets).toEqual([]);
      return;
    }
    expect(new Set(fromSecrets)).toEqual(new Set([dbSecret(service)]));
    const from = (name: string) => env.find((e) => e.name === name)?.valueFrom;
    expect(from('DATABASE_URL')).toEqual({ secretKeyRef: { name: dbSecret(service), key: 'url' } });
    expect(from('DATABASE_PASSWORD')).toEqual({ secretKeyRef: { name: dbSecret(service), key: 'password' } });
  });

  it('shows in secrets.example.yaml one Secret per runtime role, with the keys the workloads read', () => {
    const secrets = load('secrets.example.yaml') as unknown as Array<{ metadata: { name: string }; stringData: Record<string, string> }>;
    for (const { service, role } of SERVICES) {
      const data = secrets.find((s) => s.metadata.name === dbSecret(service))?.stringData ?? {};
      expect(Object.keys(data).sort()).toEqual(['password', 'url']);
      // The URL names the role; its password lives only under `password`.
      expect({ user: new URL(data.url).username, password: new URL(data.url).password }).toEqual({ user: role, password: '' });
    }
    const shared = secrets.find((s) => s.metadata.name === 'parking-secrets')?.stringData ?? {};
    expect(Object.keys(shared).filter((key) => /DATABASE_URL$|DB_RUNTIME_PASSWORD/.test(key))).toEqual([]);
  });

  it('gives the gateway, reservations and downlink each its own RPC signing key, and the trusted public keys of all three to every service', () => {
    const config = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'parking-config') as unknown as { data: Record<string, string> };
    expect(config.data.RPC_TRUSTED_KEYS.split(',').map((entry) => entry.slice(0, entry.indexOf(':')))).toEqual(['gateway', 'reservations', 'downlink']);
    const signers: Record<string, string> = { gateway: 'parking-rpc-gateway', reservations: 'parking-rpc-reservations', downlink: 'parking-rpc-downlink' };
    for (const service of SERVICE_NAMES) {
      const container = workload(service).spec.template.spec.containers[0];
      const env = container.env as Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string } } }>;
      const signing = env.find((e) => e.name === 'RPC_SIGNING_KEY');
      expect(signing?.valueFrom).toEqual(signers[service] ? { secretKeyRef: { name: signers[service], key: 'signingKey' } } : undefined);
      // No other workload reads a signer's Secret, under any variable.
      const read = env.map((e) => e.valueFrom?.secretKeyRef?.name);
      for (const [signer, secret] of Object.entries(signers)) if (signer !== service) expect(read).not.toContain(secret);
      expect(container.envFrom.every((e: { configMapRef?: unknown }) => e.configMapRef)).toBe(true);
    }
    const secrets = load('secrets.example.yaml') as unknown as Array<{ metadata: { name: string }; stringData: Record<string, string> }>;
    for (const secret of Object.values(signers)) expect(Object.keys(secrets.find((s) => s.metadata.name === secret)?.stringData ?? {})).toEqual(['signingKey']);
  });

  it("sets the reservations service's own variables in its workload, at the code's defaults", () => {
    const env = Object.fromEntries(workload('reservations').spec.template.spec.containers[0].env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ IDEMPOTENCY_KEY_TTL_HOURS: '24', QUOTE_TTL_MINUTES: '15', LIFECYCLE_INTERVAL_MS: '15000' });
  });
});

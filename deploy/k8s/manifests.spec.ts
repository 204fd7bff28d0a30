// The Kubernetes manifests are data nobody runs here; this keeps them in step with the code:
// every service has a workload with the probes, port and drain time the processes expect.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SERVICE_NAMES, servicePort } from '../local/stack-layout';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form Kubernetes objects, checked field by field below
type Manifest = { kind: string; metadata: { name: string }; spec?: any };

const DIR = __dirname;
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

  it('runs the migrations as a Job with the admin URL', () => {
    const job = manifests.find((m) => m.kind === 'Job');
    const env = job?.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name);
    expect(env).toEqual(expect.arrayContaining(['DATABASE_ADMIN_URL', 'DB_RUNTIME_PASSWORD']));
  });
});

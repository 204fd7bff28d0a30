// The Kubernetes manifests' side of NATS authorization and network isolation, kept in step with
// the code: each workload logs in as its own NATS user from its own Secret, over TLS, and only the
// gateway is reachable from outside; the backing services admit only the platform's services.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NATS_SERVICE_NAMES } from '@parking/contracts';
import { SERVICES } from '@parking/database';
import { parseAllDocuments } from 'yaml';
import { k8sServiceSecret } from '../nats/nats-config-formats';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form Kubernetes objects, checked field by field below
type Manifest = { kind: string; metadata: { name: string; namespace?: string }; spec?: any; data?: Record<string, string>; stringData?: Record<string, string> };
type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } };

const load = (file: string): Manifest[] => parseAllDocuments(readFileSync(path.join(__dirname, file), 'utf8')).map((doc) => doc.toJS() as Manifest);
const kustomization = load('kustomization.yaml')[0] as unknown as { resources: string[] };
const manifests = kustomization.resources.flatMap(load);
const workload = (service: string) => manifests.find((m) => (m.kind === 'Deployment' || m.kind === 'StatefulSet') && m.metadata.name === service) as Manifest;
const policies = (list: Manifest[]) => list.filter((m) => m.kind === 'NetworkPolicy');

describe('NATS in the Kubernetes manifests', () => {
  it.each(NATS_SERVICE_NAMES)("logs %s in as its own NATS user, with the password of its own Secret only", (service) => {
    const pod = workload(service).spec.template.spec;
    const env: EnvVar[] = pod.containers[0].env;
    expect(env.find((e) => e.name === 'NATS_USER')?.value).toBe(service);
    expect(env.find((e) => e.name === 'NATS_PASSWORD')?.valueFrom).toEqual({ secretKeyRef: { name: k8sServiceSecret(service), key: 'password' } });
    const natsSecrets = env.map((e) => e.valueFrom?.secretKeyRef?.name).filter((name) => name?.startsWith('parking-nats-'));
    expect(natsSecrets).toEqual([k8sServiceSecret(service)]);
    // TLS: the CA of NATS's certificate is mounted where NODE_EXTRA_CA_CERTS points.
    expect(pod.volumes).toContainEqual({ name: 'nats-ca', configMap: { name: 'nats-ca', optional: true } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'nats-ca', mountPath: '/etc/nats-ca', readOnly: true });
  });

  it('reaches NATS over TLS and trusts the mounted CA', () => {
    const config = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'parking-config')?.data ?? {};
    expect(config.NATS_URL).toMatch(/^tls:\/\//);
    expect(config.NODE_EXTRA_CA_CERTS).toBe('/etc/nats-ca/ca.crt');
  });

  it('shows in secrets.example.yaml one NATS Secret per service, with the key the workloads read', () => {
    const secrets = load('secrets.example.yaml');
    for (const service of NATS_SERVICE_NAMES) {
      expect(Object.keys(secrets.find((s) => s.metadata.name === k8sServiceSecret(service))?.stringData ?? {})).toEqual(['password']);
    }
  });
});

describe('NetworkPolicies', () => {
  it('deny every connection into the namespace but to the gateway and the monitoring of /metrics', () => {
    const own = policies(manifests);
    expect(own.find((p) => p.metadata.name === 'default-deny-ingress')?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    const open = own.filter((p) => p.spec.ingress?.some((rule: { from?: unknown[] }) => !rule.from));
    expect(open.map((p) => p.spec.podSelector)).toEqual([{ matchLabels: { 'app.kubernetes.io/name': 'gateway' } }]);
    for (const policy of own.filter((p) => p.spec.ingress && !open.includes(p))) {
      for (const rule of policy.spec.ingress) expect(rule.from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
    }
  });

  const backing = policies(load('backing/network-policies.yaml'));
  const clientsOf = (namespace: string) => {
    const policy = backing.find((p) => p.metadata.namespace === namespace) as Manifest;
    const rule = policy.spec.ingress.find((r: { from?: Array<{ namespaceSelector?: unknown }> }) =>
      r.from?.some((f) => JSON.stringify(f.namespaceSelector ?? {}).includes('"parking"')),
    );
    return { pods: rule.from[0].podSelector.matchExpressions[0].values as string[], ports: rule.ports };
  };

  it('let only the seven services reach NATS', () => {
    expect(clientsOf('nats')).toEqual({ pods: [...NATS_SERVICE_NAMES], ports: [{ port: 4222, protocol: 'TCP' }] });
  });

  it('let only the services with a schema and the migrations Job reach PostgreSQL', () => {
    const migrate = manifests.find((m) => m.kind === 'Job')?.spec.template.metadata.labels['app.kubernetes.io/name'];
    expect(clientsOf('db')).toEqual({ pods: [...SERVICES.map((s) => s.service), migrate], ports: [{ port: 5432, protocol: 'TCP' }] });
  });
});

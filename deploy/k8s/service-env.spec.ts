// The Kubernetes manifests are data nobody runs here; this boots each service's configuration
// from the environment its workload would get (the ConfigMap, its values and its Secret keys as
// secrets.example.yaml shows them), so a variable a service now requires or refuses cannot be
// missed here, and checks which workloads read which Secret.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateNatsPasswords, isNatsServiceName } from '@parking/contracts';
import { SERVICES } from '@parking/database';
import { generateProofKeyPair, trustedKeyEntry } from '@parking/rpc-proof';
import { parseAllDocuments } from 'yaml';
import { bootServiceWith } from '../docker/service-boot';
import { SERVICE_NAMES, type ServiceName } from '../local/stack-layout';

type SecretKeyRef = { name: string; key: string; optional?: boolean };
type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: SecretKeyRef; configMapKeyRef?: unknown; fieldRef?: unknown } };
type Container = { env?: EnvVar[]; envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }> };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form Kubernetes objects, read field by field below
type Manifest = { kind: string; metadata: { name: string }; spec?: any; data?: Record<string, string>; stringData?: Record<string, string> };

const load = (file: string): Manifest[] => parseAllDocuments(readFileSync(path.join(__dirname, file), 'utf8')).map((doc) => doc.toJS() as Manifest);
const kustomization = load('kustomization.yaml')[0] as unknown as { resources: string[] };
const manifests = kustomization.resources.flatMap(load);
const exampleSecrets = load('secrets.example.yaml').filter((m) => m.kind === 'Secret');
const container = (service: string): Container =>
  manifests.find((m) => (m.kind === 'Deployment' || m.kind === 'StatefulSet') && m.metadata.name === service)?.spec.template.spec.containers[0];
const secretRefs = (service: string): SecretKeyRef[] =>
  (container(service).env ?? []).map((e) => e.valueFrom?.secretKeyRef).filter((ref): ref is SecretKeyRef => ref !== undefined);

/**
 * What an operator puts where secrets.example.yaml says CHANGE_ME, in the forms the docs name
 * (openssl rand, npm run rpc:keys, npm run nats:config): made once, shared by every workload.
 */
const rpc: Partial<Record<ServiceName, { privateKey: string; publicKey: string }>> = { gateway: generateProofKeyPair(), reservations: generateProofKeyPair(), downlink: generateProofKeyPair() };
const TRUSTED_KEYS = Object.entries(rpc).map(([issuer, pair]) => trustedKeyEntry(issuer, pair.publicKey)).join(',');
const natsPasswords = generateNatsPasswords();
const SAMPLES: Record<string, (service: ServiceName) => string> = {
  // Identity and chirpstack-sync each seal with a key of their own.
  SECRETS_KEY: oncePerService(() => randomBytes(32).toString('base64')),
  INTEGRATION_SECRETS_KEY: once(() => randomBytes(32).toString('base64')),
  WEBHOOK_PLATFORM_SECRET: once(() => randomBytes(32).toString('base64')),
  RPC_SIGNING_KEY: (service) => {
    const pair = rpc[service];
    if (!pair) throw new Error(`${service} reads an RPC signing key, and only the gateway, reservations and downlink sign`);
    return pair.privateKey;
  },
  RPC_TRUSTED_KEYS: () => TRUSTED_KEYS,
  NATS_PASSWORD: (service) => (isNatsServiceName(service) ? natsPasswords[service] : ''),
  DATABASE_PASSWORD: () => randomBytes(24).toString('hex'),
};

function once(make: () => string): () => string {
  let value: string | undefined;
  return () => (value ??= make());
}

function oncePerService(make: () => string): (service: ServiceName) => string {
  const values: Partial<Record<ServiceName, string>> = {};
  return (service) => (values[service] ??= make());
}

/** The environment of `service`'s container: its ConfigMaps, then its own entries (which win). */
function workloadEnv(service: ServiceName): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const set = (name: string, value: string | undefined) => {
    if (value === undefined) return;
    if (!value.includes('CHANGE_ME')) env[name] = value;
    else if (SAMPLES[name]) env[name] = SAMPLES[name](service);
    else throw new Error(`${service}: ${name} is CHANGE_ME in the examples, and this spec has no sample of it`);
  };
  for (const source of container(service).envFrom ?? []) {
    if (!source.configMapRef) throw new Error(`${service}: envFrom other than a ConfigMap is not resolved here`);
    const configMap = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === source.configMapRef?.name);
    if (!configMap) throw new Error(`${service}: no ConfigMap ${source.configMapRef.name} in the kustomization`);
    for (const [name, value] of Object.entries(configMap.data ?? {})) set(name, value);
  }
  for (const variable of container(service).env ?? []) {
    if (variable.value !== undefined) set(variable.name, variable.value);
    else if (variable.valueFrom?.secretKeyRef) {
      const { name, key, optional } = variable.valueFrom.secretKeyRef;
      const value = exampleSecrets.find((s) => s.metadata.name === name)?.stringData?.[key];
      if (value === undefined && !optional) throw new Error(`${service}: ${variable.name} reads ${name}/${key}, which secrets.example.yaml does not show`);
      set(variable.name, value);
    } else throw new Error(`${service}: ${variable.name} comes from somewhere this spec does not resolve`);
  }
  return env;
}

describe('the environment of each Kubernetes workload', () => {
  it.each(SERVICE_NAMES)('boots %s, with the Secret keys secrets.example.yaml shows', (service) => {
    const config = bootServiceWith(service, workloadEnv(service));
    expect(config.nats.url).toMatch(/^tls:\/\//);
    expect(config.nats.auth?.credentials?.user).toBe(service);
    // The gateway, reservations and downlink sign with their own keys; every service that answers RPCs trusts all three.
    expect(config.rpcProof.signingKey).toBe(rpc[service]?.privateKey);
    if (service !== 'gateway') expect(config.rpcProof.trustedKeys).toBe(TRUSTED_KEYS);
    if (SERVICES.some((s) => s.service === service)) expect((config as unknown as { database?: { url: string } }).database?.url).toMatch(/^postgres/);
  });

  it("gives identity and chirpstack-sync each its own key, in a Secret no other workload reads, and the shared one to identity and the gateway", () => {
    const readers = (secret: string) => SERVICE_NAMES.filter((service) => secretRefs(service).some((ref) => ref.name === secret));
    expect(readers('parking-identity-key')).toEqual(['identity']);
    expect(readers('parking-chirpstack-sync-key')).toEqual(['chirpstack-sync']);
    expect(readers('parking-integration-key').sort()).toEqual(['gateway', 'identity']);
    const from = (service: string, variable: string) => container(service).env?.find((e) => e.name === variable)?.valueFrom?.secretKeyRef;
    expect(from('identity', 'SECRETS_KEY')).toEqual({ name: 'parking-identity-key', key: 'key' });
    expect(from('chirpstack-sync', 'SECRETS_KEY')).toEqual({ name: 'parking-chirpstack-sync-key', key: 'key' });
    expect(SERVICE_NAMES.filter((service) => from(service, 'SECRETS_KEY')).sort()).toEqual(['chirpstack-sync', 'identity']);
    for (const service of ['identity', 'gateway']) expect(from(service, 'INTEGRATION_SECRETS_KEY')).toEqual({ name: 'parking-integration-key', key: 'key' });
    // Nothing the gateway reads holds it, under any key.
    const gatewaySecrets = new Set(secretRefs('gateway').map((ref) => ref.name));
    for (const secret of exampleSecrets.filter((s) => gatewaySecrets.has(s.metadata.name))) {
      expect(Object.keys(secret.stringData ?? {})).not.toContain('SECRETS_KEY');
    }
    expect(gatewaySecrets.has('parking-identity-key')).toBe(false);
  });

  it("boots reservations with its own settings as the manifest spells them", () => {
    const config = bootServiceWith('reservations', workloadEnv('reservations')) as unknown as { idempotencyKeyTtlMs: number; quoteTtlMs: number; lifecycleIntervalMs: number };
    expect(config).toMatchObject({ idempotencyKeyTtlMs: 24 * 3_600_000, quoteTtlMs: 15 * 60_000, lifecycleIntervalMs: 15_000 });
  });

  it('boots neither reservations nor downlink without its own RPC signing key', () => {
    for (const service of ['reservations', 'downlink'] as const) {
      const env = workloadEnv(service);
      delete env.RPC_SIGNING_KEY;
      expect(() => bootServiceWith(service, env)).toThrow(/exit 78: [\s\S]*RPC_SIGNING_KEY/);
    }
  });

  it("boots chirpstack-sync with its own key, not identity's", () => {
    const env = workloadEnv('chirpstack-sync');
    expect(env.SECRETS_KEY).not.toBe(workloadEnv('identity').SECRETS_KEY);
    const config = bootServiceWith('chirpstack-sync', env) as unknown as { secretsKey: { key: string; previousKeys: string[] } };
    expect(config.secretsKey).toEqual({ key: env.SECRETS_KEY, previousKeys: [] });
    delete env.SECRETS_KEY;
    expect(() => bootServiceWith('chirpstack-sync', env)).toThrow(/exit 78: [\s\S]*SECRETS_KEY/);
  });

  it('boots no gateway that is handed SECRETS_KEY, and no identity without INTEGRATION_SECRETS_KEY', () => {
    expect(() => bootServiceWith('gateway', { ...workloadEnv('gateway'), SECRETS_KEY: SAMPLES.SECRETS_KEY('gateway') })).toThrow(/must not be set on the gateway/);
    const identity = workloadEnv('identity');
    delete identity.INTEGRATION_SECRETS_KEY;
    expect(() => bootServiceWith('identity', identity)).toThrow(/INTEGRATION_SECRETS_KEY/);
  });
});

// Every manifest under deploy/k8s against the Kubernetes API schemas (kubernetes-models, which
// carries them, offline) and KEDA's CRD schemas (@kubernetes-models/keda): types, required
// fields, enums and formats. Unknown fields are not refused (the schemas allow them).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

type Manifest = { apiVersion: string; kind: string; metadata?: { name?: string } };
type Model = new (data: object) => { validate(): void };

/** The model class of an apiVersion and kind, from the package that holds its schema. */
function modelOf({ apiVersion, kind }: Manifest): Model {
  const module = apiVersion.startsWith('keda.sh/') ? `@kubernetes-models/keda/${apiVersion}/${kind}` : `kubernetes-models/${apiVersion}/${kind}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- one module per kind, chosen by the manifest
  return (require(module) as Record<string, Model>)[kind];
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return yamlFiles(file);
    return name.endsWith('.yaml') ? [file] : [];
  });
}

// kustomization.yaml configures kustomize; it is not an object the API server sees.
const FILES = yamlFiles(__dirname).filter((file) => path.basename(file) !== 'kustomization.yaml');
const MANIFESTS = FILES.flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    return { file: path.relative(__dirname, file), manifest: doc.toJS() as Manifest };
  }),
);

describe('Kubernetes manifests against the API schemas', () => {
  it('finds the workloads, policies and KEDA objects to check', () => {
    const kinds = new Set(MANIFESTS.map(({ manifest }) => manifest.kind));
    for (const kind of ['Deployment', 'StatefulSet', 'Job', 'Service', 'PodDisruptionBudget', 'NetworkPolicy', 'ScaledObject', 'ConfigMap', 'Secret']) expect(kinds).toContain(kind);
  });

  it.each(MANIFESTS.map(({ file, manifest }) => [`${file}: ${manifest.kind} ${manifest.metadata?.name ?? ''}`, manifest]))('%s is valid', (_name, manifest) => {
    const Model = modelOf(manifest);
    expect(Model).toBeDefined();
    expect(() => new Model(manifest).validate()).not.toThrow();
  });

  it('refuses what the API server would refuse', () => {
    const Deployment = modelOf({ apiVersion: 'apps/v1', kind: 'Deployment' });
    const broken = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: {}, replicas: 'two', template: { spec: { containers: [] } } } };
    expect(() => new Deployment(broken).validate()).toThrow(/replicas must be integer/);
    const ScaledObject = modelOf({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject' });
    expect(() => new ScaledObject({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'x' }, spec: { triggers: [] } }).validate()).toThrow(/scaleTargetRef/);
  });
});

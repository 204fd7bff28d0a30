import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateNatsPasswords, NATS_SERVICE_NAMES, natsPasswordsFromEnv, renderNatsAuthorization } from '@parking/contracts';
import { parseAllDocuments } from 'yaml';
import { K8S_SERVER_SECRET, K8S_SERVER_SECRET_KEY, k8sServiceSecret, renderNatsConfig, type NatsConfigRequest } from './nats-config-formats';

const base: NatsConfigRequest = { namespace: '', passwords: { kind: 'generate' }, format: 'conf', k8sNamespace: 'nats' };

describe('npm run nats:config', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nats-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders the authorization for the passwords npm start keeps', () => {
    const passwords = generateNatsPasswords();
    const file = path.join(dir, 'passwords.json');
    writeFileSync(file, JSON.stringify(passwords));
    expect(renderNatsConfig({ ...base, namespace: 'stack2', passwords: { kind: 'file', path: file } })).toBe(renderNatsAuthorization({ namespace: 'stack2', passwords }));
  });

  it('writes password variables that it reads back from the environment', () => {
    const lines = renderNatsConfig({ ...base, format: 'env' });
    const env = Object.fromEntries(lines.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    const passwords = natsPasswordsFromEnv(env);
    expect(renderNatsConfig({ ...base, passwords: { kind: 'env' } }, env)).toBe(renderNatsAuthorization({ passwords }));
  });

  it("writes the server's Secret and one Secret per service with the same passwords", () => {
    const docs = parseAllDocuments(renderNatsConfig({ ...base, format: 'k8s-secrets' })).map((doc) => {
      expect(doc.errors).toEqual([]);
      return doc.toJS() as { kind: string; metadata: { name: string; namespace: string }; stringData: Record<string, string> };
    });
    const [server, ...services] = docs;
    expect(server.metadata).toEqual({ name: K8S_SERVER_SECRET, namespace: 'nats' });
    const authorization = server.stringData[K8S_SERVER_SECRET_KEY];
    expect(authorization).toMatch(/^# NATS server authorization/);
    expect(services.map((s) => s.metadata)).toEqual(NATS_SERVICE_NAMES.map((service) => ({ name: k8sServiceSecret(service), namespace: 'parking' })));
    services.forEach((s, i) => expect(authorization).toContain(`user: "${NATS_SERVICE_NAMES[i]}"\n      password: "${s.stringData.password}"`));
  });

  it('refuses to print references where the passwords themselves are needed', () => {
    expect(() => renderNatsConfig({ ...base, passwords: { kind: 'references' }, format: 'env' })).toThrow(/references/);
    expect(renderNatsConfig({ ...base, passwords: { kind: 'references' } })).toContain('password: $NATS_PASSWORD_GATEWAY');
  });
});

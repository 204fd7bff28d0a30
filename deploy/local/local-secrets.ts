import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LocalSecrets {
  /** AES-256-GCM key (base64) that identity and the gateway share for integration secrets. */
  secretsKey: string;
  demoEmail: string;
  demoPassword: string;
}

/**
 * Secrets of a local stack: made once and kept in the data directory (mode 0600), so a
 * second start can still read what the first encrypted and the demo login stays the same.
 * SECRETS_KEY, DEMO_EMAIL and DEMO_PASSWORD in the environment win.
 */
export function localSecrets(dataDir: string, env: NodeJS.ProcessEnv): LocalSecrets {
  const file = path.join(dataDir, 'secrets.json');
  const stored: Partial<LocalSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets: LocalSecrets = {
    secretsKey: env.SECRETS_KEY || stored.secretsKey || randomBytes(32).toString('base64'),
    demoEmail: env.DEMO_EMAIL || stored.demoEmail || 'demo@parking.local',
    demoPassword: env.DEMO_PASSWORD || stored.demoPassword || `demo-${randomBytes(9).toString('base64url')}`,
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

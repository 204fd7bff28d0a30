import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateNatsPassword, NATS_PASSWORD_RULE, NATS_SERVICE_NAMES, renderNatsAuthorization, type NatsPasswords } from '@parking/contracts';

/** Where a local stack keeps each service's NATS password (made once, mode 0600). */
export function natsPasswordsFile(dataDir: string): string {
  return path.join(dataDir, 'nats-passwords.json');
}

/**
 * Each service's NATS password for the local stack: generated the first time, kept in
 * `.data/nats-passwords.json` (mode 0600) so a restart and an operator's server agree. Never printed.
 */
export function localNatsPasswords(dataDir: string): NatsPasswords {
  const file = natsPasswordsFile(dataDir);
  const stored: Partial<Record<string, string>> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const passwords = Object.fromEntries(
    NATS_SERVICE_NAMES.map((service) => {
      const kept = stored[service];
      return [service, kept && NATS_PASSWORD_RULE.test(kept) ? kept : generateNatsPassword()];
    }),
  ) as NatsPasswords;
  writeSecretFile(file, JSON.stringify(passwords, null, 2));
  return passwords;
}

/** The authorization the local nats-server runs with, rendered from NATS_ACCESS; returns its path. */
export function writeLocalNatsAuthorization(dataDir: string, namespace: string, passwords: NatsPasswords): string {
  const file = path.join(dataDir, 'nats-authorization.conf');
  writeSecretFile(file, renderNatsAuthorization({ namespace, passwords }));
  return file;
}

function writeSecretFile(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  // writeFileSync keeps the mode of an existing file.
  chmodSync(file, 0o600);
}

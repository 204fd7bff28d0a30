import { randomBytes } from 'node:crypto';
import { NATS_SERVICE_NAMES, type NatsServiceName } from './platform-access';

/**
 * A letter, then letters, digits, '-' or '_': safe quoted in the server's config and also
 * when the server reads it from an environment variable (`$NATS_PASSWORD_…` is parsed as a
 * config value there, so `9e5` would turn into a number).
 */
export const NATS_PASSWORD_RULE = /^[A-Za-z][A-Za-z0-9_-]{23,127}$/;

/** A fresh password: 'n' and 32 random bytes in base64url. */
export function generateNatsPassword(): string {
  return `n${randomBytes(32).toString('base64url')}`;
}

export function assertNatsPassword(service: string, password: string): void {
  if (!NATS_PASSWORD_RULE.test(password)) {
    throw new Error(`The NATS password of ${service} must be a letter followed by 23 to 127 letters, digits, '-' or '_' (npm run nats:config -- --passwords generate makes them)`);
  }
}

/** The variable that holds a service's password where one place keeps them all: `NATS_PASSWORD_CHIRPSTACK_SYNC`. */
export function natsPasswordVariable(service: string): string {
  return `NATS_PASSWORD_${service.toUpperCase().replace(/-/g, '_')}`;
}

export type NatsPasswords = Record<NatsServiceName, string>;

export function generateNatsPasswords(): NatsPasswords {
  return Object.fromEntries(NATS_SERVICE_NAMES.map((service) => [service, generateNatsPassword()])) as NatsPasswords;
}

/** Each service's password from `NATS_PASSWORD_<SERVICE>`; names every missing or malformed one. */
export function natsPasswordsFromEnv(env: Record<string, string | undefined>): NatsPasswords {
  const problems: string[] = [];
  const passwords = Object.fromEntries(
    NATS_SERVICE_NAMES.map((service) => {
      const value = env[natsPasswordVariable(service)] ?? '';
      if (!NATS_PASSWORD_RULE.test(value)) problems.push(natsPasswordVariable(service));
      return [service, value];
    }),
  ) as NatsPasswords;
  if (problems.length) throw new Error(`Missing or malformed (a letter, then 23 to 127 letters, digits, '-' or '_'): ${problems.join(', ')}`);
  return passwords;
}

/** What a service's process needs to connect as itself. */
export function natsServiceEnv(service: NatsServiceName, password: string): { NATS_USER: string; NATS_PASSWORD: string } {
  return { NATS_USER: service, NATS_PASSWORD: password };
}

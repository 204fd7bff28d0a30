import { randomBytes } from 'node:crypto';
import { SERVICES, serviceSchema } from './service-schemas';

/**
 * For a server that authenticates without passwords (the tests, trust-auth development):
 * runtime roles are created without one, and a password a role already has is left alone.
 */
export const TRUST_AUTH = 'trust-auth';

/** Each runtime role's own password, by service name (`identity`, `chirpstack-sync`), or TRUST_AUTH. */
export type RolePasswords = Readonly<Record<string, string>> | typeof TRUST_AUTH;

/** Set to `true` to run db:migrate without passwords, against a trust-auth server only. */
export const TRUST_AUTH_VARIABLE = 'DB_TRUST_AUTH';
const MIN_LENGTH = 16;
// Printable ASCII: PostgreSQL's SASLprep leaves it as it is, so our SCRAM verifier matches its own.
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/** `identity` → `DB_PASSWORD_IDENTITY`, `chirpstack-sync` → `DB_PASSWORD_CHIRPSTACK_SYNC`. */
export function rolePasswordVariable(service: string): string {
  return `DB_PASSWORD_${serviceSchema(service).service.toUpperCase().replace(/-/g, '_')}`;
}

/** A fresh random password for one runtime role (32 URL-safe characters). */
export function newRolePassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The runtime roles' passwords from DB_PASSWORD_<SERVICE>, one variable per role, or TRUST_AUTH
 * when DB_TRUST_AUTH=true. There is no shared default: a missing one is an error naming it.
 */
export function rolePasswordsFromEnv(env: NodeJS.ProcessEnv): RolePasswords {
  if (/^(true|1|yes)$/i.test(env[TRUST_AUTH_VARIABLE]?.trim() ?? '')) return TRUST_AUTH;
  const passwords = Object.fromEntries(SERVICES.map(({ service }) => [service, env[rolePasswordVariable(service)] ?? '']));
  const problems = rolePasswordProblems(passwords);
  if (problems.length > 0) {
    const legacy = env.DB_RUNTIME_PASSWORD ? ' DB_RUNTIME_PASSWORD, one password shared by every role, is no longer read.' : '';
    throw new Error(
      `Each runtime role needs its own password: ${problems.join('; ')}.${legacy} ` +
        `On a trust-auth development server only, set ${TRUST_AUTH_VARIABLE}=true instead.`,
    );
  }
  return passwords;
}

/**
 * What is wrong with `passwords`, naming variables, never values: one missing, shorter than
 * 16 characters, not printable ASCII, or shared by two roles.
 */
export function rolePasswordProblems(passwords: RolePasswords): string[] {
  if (passwords === TRUST_AUTH) return [];
  const problems: string[] = [];
  const owners = new Map<string, string[]>();
  for (const { service } of SERVICES) {
    const name = rolePasswordVariable(service);
    const password = passwords[service] ?? '';
    if (password === '') problems.push(`${name} is not set`);
    else if (password.length < MIN_LENGTH) problems.push(`${name} is shorter than ${MIN_LENGTH} characters`);
    else if (!PRINTABLE_ASCII.test(password)) problems.push(`${name} must be printable ASCII without spaces`);
    else owners.set(password, [...(owners.get(password) ?? []), name]);
  }
  for (const names of owners.values()) {
    if (names.length > 1) problems.push(`${names.join(' and ')} are the same`);
  }
  return problems;
}

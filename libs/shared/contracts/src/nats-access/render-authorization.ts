import type { Namespace } from '../namespace';
import { assertNatsPassword, natsPasswordVariable, type NatsPasswords } from './nats-credentials';
import { natsPermissionsOf } from './nats-permissions';
import { NATS_SERVICE_NAMES } from './platform-access';

export interface NatsAuthorizationOptions {
  /** The namespace the services run in (NATS_NAMESPACE); '' in production. */
  namespace?: Namespace | string;
  /**
   * Each service's password, or 'environment': the server then reads `$NATS_PASSWORD_<SERVICE>`
   * from its own environment (the committed compose file, which must hold no secret).
   */
  passwords: NatsPasswords | 'environment';
}

const HEADER = [
  '# NATS server authorization: one user per service, allowed only what it does on NATS.',
  '# Generated from libs/shared/contracts/src/nats-access (npm run nats:config); do not edit.',
];

/**
 * The `authorization { users = [...] }` block of nats-server 2.9+ for every service, in the
 * server's config syntax: a file of its own, passed with `-c` or `include`d by a larger one.
 * Without a user, nobody connects (anonymous clients are refused).
 */
export function renderNatsAuthorization(options: NatsAuthorizationOptions): string {
  const users = NATS_SERVICE_NAMES.map((service) => {
    const permissions = natsPermissionsOf(service, options.namespace ?? '');
    let password: string;
    if (options.passwords === 'environment') {
      password = `$${natsPasswordVariable(service)}`;
    } else {
      assertNatsPassword(service, options.passwords[service]);
      password = quote(options.passwords[service]);
    }
    return [
      '    {',
      `      user: ${quote(service)}`,
      `      password: ${password}`,
      '      permissions: {',
      `        publish: { allow: ${list(permissions.publish, 10)} }`,
      `        subscribe: { allow: ${list(permissions.subscribe, 10)} }`,
      `        allow_responses: ${permissions.allowResponses}`,
      '      }',
      '    }',
    ].join('\n');
  });
  return [...HEADER, 'authorization {', '  users = [', users.join('\n'), '  ]', '}', ''].join('\n');
}

/** Double-quoted, so '$', '>' and '*' are never read as a variable or syntax. */
function quote(value: string): string {
  return JSON.stringify(value);
}

function list(values: readonly string[], indent: number): string {
  const pad = ' '.repeat(indent);
  return `[\n${values.map((v) => `${pad}${quote(v)}`).join('\n')}\n${' '.repeat(indent - 2)}]`;
}
